Attribute VB_Name = "DdciRibbon"
' DDCI ribbon callbacks. Each button is a one-line Sub that names its function in
' xl_addin.buttons; adding a button = that Python function + one Sub here + one
' <button> in customUI.xml.
'
' DdciRun checks what Python cannot see (no workbook, Protected View, a workbook
' never saved), then hands over to Python through xlwings RunPython. A VBA error on
' the way (Defender blocking cmd.exe: 70; a broken xlwings.conf: 62) becomes a
' Vietnamese message box, never a Debug dialog. Everything after that is Python's.
'
' Keep this file ASCII: Vietnamese text is written as \uXXXX escapes, decoded by U()
' and shown with MessageBoxW (VBA's MsgBox would turn the letters into "?").
Option Explicit

#If VBA7 Then
Private Declare PtrSafe Function MessageBoxW Lib "user32" (ByVal hWnd As LongPtr, ByVal lpText As LongPtr, ByVal lpCaption As LongPtr, ByVal uType As Long) As Long
#Else
Private Declare Function MessageBoxW Lib "user32" (ByVal hWnd As Long, ByVal lpText As Long, ByVal lpCaption As Long, ByVal uType As Long) As Long
#End If

Public Const DDCI_ADDIN_VERSION As String = "0.1.0"

Private Const MB_ICONWARNING As Long = &H30&
Private Const PYTHON_CALL As String = "import xl_addin.buttons as b; b."
Private Const MSG_NO_BOOK As String = "Ch\u01B0a c\u00F3 b\u1EA3ng t\u00EDnh n\u00E0o \u0111ang m\u1EDF. H\u00E3y m\u1EDF t\u1EC7p master.xlsx trong th\u01B0 m\u1EE5c l\u00E0m vi\u1EC7c r\u1ED3i b\u1EA5m l\u1EA1i n\u00FAt."
Private Const MSG_PROTECTED_VIEW As String = "B\u1EA3ng t\u00EDnh \u0111ang m\u1EDF \u1EDF ch\u1EBF \u0111\u1ED9 Xem \u0111\u01B0\u1EE3c b\u1EA3o v\u1EC7 (Protected View) n\u00EAn n\u00FAt DDCI kh\u00F4ng \u0111\u1ECDc \u0111\u01B0\u1EE3c. H\u00E3y b\u1EA5m \u201CCho ph\u00E9p Ch\u1EC9nh s\u1EEDa\u201D (Enable Editing) tr\u00EAn thanh m\u00E0u v\u00E0ng r\u1ED3i b\u1EA5m l\u1EA1i n\u00FAt."
Private Const MSG_UNSAVED As String = "B\u1EA3ng t\u00EDnh \u0111ang m\u1EDF ch\u01B0a \u0111\u01B0\u1EE3c l\u01B0u th\u00E0nh t\u1EC7p. H\u00E3y m\u1EDF t\u1EC7p master.xlsx trong th\u01B0 m\u1EE5c l\u00E0m vi\u1EC7c r\u1ED3i b\u1EA5m l\u1EA1i n\u00FAt."
Private Const MSG_BLOCKED As String = "Windows kh\u00F4ng cho Excel ch\u1EA1y Python (l\u1ED7i 70, Permission denied). Nguy\u00EAn nh\u00E2n th\u01B0\u1EDDng g\u1EB7p: quy t\u1EAFc c\u1EE7a Microsoft Defender \u201CBlock all Office applications from creating child processes\u201D. H\u00E3y nh\u1EDD CNTT cho ph\u00E9p Excel ch\u1EA1y cmd.exe v\u00E0 Python (H\u01B0\u1EDBng d\u1EABn Windows, m\u1EE5c S\u1EF1 c\u1ED1 th\u01B0\u1EDDng g\u1EB7p)."
Private Const MSG_CONF As String = "Excel kh\u00F4ng \u0111\u1ECDc \u0111\u01B0\u1EE3c t\u1EC7p c\u1EA5u h\u00ECnh xlwings.conf (l\u1ED7i 62: t\u1EC7p c\u00F3 d\u00F2ng tr\u1ED1ng ho\u1EB7c d\u00F2ng sai d\u1EA1ng). H\u00E3y nh\u1EDD CNTT ch\u1EA1y l\u1EC7nh ddci setup-excel r\u1ED3i ddci doctor."
Private Const MSG_PATH As String = "Excel kh\u00F4ng m\u1EDF \u0111\u01B0\u1EE3c t\u1EC7p t\u1EA1m ho\u1EB7c t\u1EC7p c\u1EA5u h\u00ECnh c\u1EE7a xlwings, th\u01B0\u1EDDng do t\u00EAn t\u00E0i kho\u1EA3n Windows c\u00F3 ch\u1EEF c\u00F3 d\u1EA5u. H\u00E3y nh\u1EDD CNTT ch\u1EA1y l\u1EA1i l\u1EC7nh ddci setup-excel r\u1ED3i ddci doctor."
Private Const MSG_VBA_ERROR As String = "N\u00FAt DDCI kh\u00F4ng g\u1ECDi \u0111\u01B0\u1EE3c Python. H\u00E3y b\u1EA5m n\u00FAt Ch\u1EA9n \u0111o\u00E1n, ho\u1EB7c nh\u1EDD CNTT ch\u1EA1y l\u1EC7nh ddci doctor. Chi ti\u1EBFt l\u1ED7i VBA:"
Private Const MSG_NO_PYTHON As String = "Excel ch\u01B0a \u0111\u01B0\u1EE3c g\u1EAFn v\u1EDBi Python: kh\u00F4ng th\u1EA5y t\u1EC7p Python ghi trong c\u1EA5u h\u00ECnh xlwings. H\u00E3y nh\u1EDD CNTT ch\u1EA1y l\u1EC7nh ddci setup-excel r\u1ED3i ddci doctor. Python \u0111ang ghi:"
Private Const MSG_PYTHON_FAILED As String = "Python d\u1EEBng tr\u01B0\u1EDBc khi DDCI k\u1ECBp ch\u1EA1y (h\u1ED9p l\u1ED7i ti\u1EBFng Anh v\u1EEBa hi\u1EC7n l\u00E0 c\u1EE7a xlwings). H\u00E3y ch\u1EE5p m\u00E0n h\u00ECnh h\u1ED9p l\u1ED7i \u0111\u00F3, b\u1EA5m n\u00FAt Ch\u1EA9n \u0111o\u00E1n ho\u1EB7c nh\u1EDD CNTT ch\u1EA1y l\u1EC7nh ddci doctor."

Sub TaoBieuMau(control As IRibbonControl)
    DdciRun "tao_bieu_mau"
End Sub

Sub GuiBieuMau(control As IRibbonControl)
    DdciRun "gui_bieu_mau"
End Sub

Sub KiemTra(control As IRibbonControl)
    DdciRun "kiem_tra"
End Sub

Sub NhacNop(control As IRibbonControl)
    DdciRun "nhac_nop"
End Sub

Sub TongHop(control As IRibbonControl)
    DdciRun "tong_hop"
End Sub

Sub BienDongChiSo(control As IRibbonControl)
    DdciRun "bien_dong_chi_so"
End Sub

Sub NamMoi(control As IRibbonControl)
    DdciRun "nam_moi"
End Sub

Sub XuatKeHoach(control As IRibbonControl)
    DdciRun "xuat_ke_hoach"
End Sub

Sub XuatBaoCao(control As IRibbonControl)
    DdciRun "xuat_bao_cao"
End Sub

Sub MoThuMuc(control As IRibbonControl)
    DdciRun "mo_thu_muc"
End Sub

Sub ChanDoan(control As IRibbonControl)
    DdciRun "chan_doan", True
End Sub

' Runs xl_addin.buttons.<func>() through RunPython. anyBook: the button also works with
' no usable workbook in front (Chan doan): RunPython needs an active workbook, so a blank
' one is lent for the call and closed afterwards.
Private Sub DdciRun(ByVal func As String, Optional ByVal anyBook As Boolean = False)
    Dim wb As Object, pv As Object, lent As Object
    On Error Resume Next
    Set wb = Application.ActiveWorkbook
    Set pv = Application.ActiveProtectedViewWindow
    On Error GoTo 0
    If wb Is Nothing Then
        If anyBook Then
            Set lent = Application.Workbooks.Add
        ElseIf Not pv Is Nothing Then
            ShowW U(MSG_PROTECTED_VIEW)
            Exit Sub
        Else
            ShowW U(MSG_NO_BOOK)
            Exit Sub
        End If
    ElseIf Len(wb.Path) = 0 And Not anyBook Then
        ShowW U(MSG_UNSAVED)
        Exit Sub
    End If
    On Error GoTo Failed
    ' RunPython's own "Could not find Interpreter!" box is English: check first, as it does.
    Dim exe As String
    exe = GetConfig("INTERPRETER_WIN", "")
    If exe = "" Then exe = GetConfig("INTERPRETER", "python")
    If exe <> "python" And exe <> "pythonw" And Not FileExists(exe) Then
        ShowW U(MSG_NO_PYTHON) & " " & exe
        GoTo Finish
    End If
    ' Python exits 0 once xl_addin.buttons runs (it shows its own message); anything else
    ' failed before it (an import error, a wrong interpreter) and xlwings showed English text.
    If RunPython(PYTHON_CALL & func & "()") <> 0 Then ShowW U(MSG_PYTHON_FAILED)
Finish:
    On Error Resume Next
    If Not lent Is Nothing Then lent.Close False
    Exit Sub
Failed:
    Select Case Err.Number
        Case 70
            ShowW U(MSG_BLOCKED)
        Case 62
            ShowW U(MSG_CONF)
        Case 52, 53, 75, 76
            ShowW U(MSG_PATH) & " (" & Err.Number & ": " & Err.Description & ")"
        Case Else
            ShowW U(MSG_VBA_ERROR) & " " & Err.Number & ": " & Err.Description
    End Select
    Resume Finish
End Sub

' "\uXXXX" -> ChrW(&HXXXX): Vietnamese text kept in ASCII source.
Private Function U(ByVal s As String) As String
    Dim i As Long, r As String
    i = 1
    Do While i <= Len(s)
        If Mid$(s, i, 2) = "\u" And i + 5 <= Len(s) Then
            r = r & ChrW$(CLng("&H" & Mid$(s, i + 2, 4)))
            i = i + 6
        Else
            r = r & Mid$(s, i, 1)
            i = i + 1
        End If
    Loop
    U = r
End Function

Private Sub ShowW(ByVal text As String)
    MessageBoxW Application.Hwnd, StrPtr(text), StrPtr("DDCI"), MB_ICONWARNING
End Sub
