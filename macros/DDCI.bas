Attribute VB_Name = "DDCI"
' DDCI ribbon callbacks. One Sub per ribbon button, each a one-line shim that
' hands over to Python through xlwings RunPython. Keep this file ASCII only:
' every word the user sees (labels, messages, errors) comes from Python or
' from customUI.xml, never from VBA.
Option Explicit

Public Const DDCI_ADDIN_VERSION As String = "0.1.0"

Sub TaoBieuMau(control As IRibbonControl)
    RunPython "import xl_addin.buttons as b; b.tao_bieu_mau()"
End Sub

Sub GuiBieuMau(control As IRibbonControl)
    RunPython "import xl_addin.buttons as b; b.gui_bieu_mau()"
End Sub

Sub KiemTra(control As IRibbonControl)
    RunPython "import xl_addin.buttons as b; b.kiem_tra()"
End Sub

Sub NhacNop(control As IRibbonControl)
    RunPython "import xl_addin.buttons as b; b.nhac_nop()"
End Sub

Sub TongHop(control As IRibbonControl)
    RunPython "import xl_addin.buttons as b; b.tong_hop()"
End Sub

Sub BienDongChiSo(control As IRibbonControl)
    RunPython "import xl_addin.buttons as b; b.bien_dong_chi_so()"
End Sub

Sub NamMoi(control As IRibbonControl)
    RunPython "import xl_addin.buttons as b; b.nam_moi()"
End Sub

Sub XuatKeHoach(control As IRibbonControl)
    RunPython "import xl_addin.buttons as b; b.xuat_ke_hoach()"
End Sub

Sub XuatBaoCao(control As IRibbonControl)
    RunPython "import xl_addin.buttons as b; b.xuat_bao_cao()"
End Sub

Sub MoThuMuc(control As IRibbonControl)
    RunPython "import xl_addin.buttons as b; b.mo_thu_muc()"
End Sub

Sub ChanDoan(control As IRibbonControl)
    RunPython "import xl_addin.buttons as b; b.chan_doan()"
End Sub
