"""The seed plan (Kế hoạch nâng cao chỉ số DDCI 2024 of Sở TN&MT Lạng Sơn) as data.

This is the demo data and the content ``ddci init`` writes into a new master
workbook. Its facts are copied from the seed document; its mistakes are not: the
seed's indicator 6 says "tăng 01 bậc" for ranks 23 → 24, misspells a leader's name
once ("Thiệu"), has a stray Cyrillic "топ" and "PHÂN ĐÁU ... CẢI THIẾN". Units the
seed does not name (Phòng Quản lý đất đai and the two centres) are plausible
additions so every division has something to report; edit them in the workbook.
"""

from __future__ import annotations

import datetime as dt

from xl_addin.core.contracts import ReportKind
from xl_addin.core.model import ALL_UNITS, Agency, Indicator, OfficeText, Plan, Settings, Task, Unit, YearResult
from xl_addin.core.periods import periods_for_year

AGENCY = Agency(
    parent_agency="UBND TỈNH LẠNG SƠN",
    issuing_agency="SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
    name="Sở Tài nguyên và Môi trường",
    short_name="Sở",
    abbreviation="STNMT",
    place="Lạng Sơn",
    province_committee="Ủy ban nhân dân tỉnh Lạng Sơn",
    signer_authority="",
    signer_title="GIÁM ĐỐC",
    signer_name="Nguyễn Ngọc Thiều",
    drafting_unit="VP",
    recipients_plan=(
        "UBND tỉnh (để b/c)",
        "Sở Kế hoạch và Đầu tư",
        "Hiệp hội Doanh nghiệp tỉnh Lạng Sơn",
        "Lãnh đạo Sở",
        "Các phòng, đơn vị thuộc Sở (thực hiện)",
        "Văn phòng Sở (theo dõi, đôn đốc)",
    ),
    recipients_report=(
        "Sở Kế hoạch và Đầu tư",
        "Lãnh đạo Sở",
        "Các phòng, đơn vị thuộc Sở",
    ),
)

SETTINGS = Settings(
    plan_year=2024,
    base_year=None,
    compare_year=None,
    bottom_share=0.2,
    block_name="các Sở, ban, ngành (SBN)",
    block_short="các SBN",
    plan_number=None,
    plan_date=None,
    plan_basis=(
        "Thực hiện Công văn số 24/UBND-KT ngày 04/01/2024 của UBND tỉnh Lạng Sơn về việc triển khai "
        "thực hiện các khuyến nghị của Đơn vị tư vấn DDCI tại Hội nghị công bố Bộ chỉ số DDCI năm 2023; "
        "Kế hoạch số 36/KH-UBND ngày 06/02/2024 của UBND tỉnh Lạng Sơn khắc phục các hạn chế năm 2023 "
        "và thực hiện đánh giá năng lực cạnh tranh cấp sở, ban, ngành và UBND cấp huyện (DDCI) năm 2024."
    ),
    plan_context=(
        "Theo kết quả do UBND tỉnh Lạng Sơn công bố ngày 28/12/2023 tại Hội nghị công bố chỉ số đánh giá "
        "năng lực cạnh tranh (DDCI) cấp sở, ban, ngành (SBN) và UBND cấp huyện năm 2023, theo kết quả do "
        "Công ty Indochinasurvey - Đơn vị tư vấn DDCI khảo sát, tổng hợp trên cơ sở đánh giá của cộng đồng "
        "doanh nghiệp, hợp tác xã, hộ kinh doanh."
    ),
    detail_plan_deadline=dt.date(2024, 2, 28),
    current_period="2024-03",
    submission_grace_days=1,
    report_basis=(
        "Thực hiện Kế hoạch nâng cao chỉ số đánh giá năng lực cạnh tranh của Sở Tài nguyên và Môi trường "
        "năm 2024, Sở Tài nguyên và Môi trường báo cáo kết quả thực hiện như sau:"
    ),
    focal_unit="VP",
)

# Addresses on the reserved example.org domain (RFC 2606): the demo never writes to a real mailbox.
_MAIL = "stnmt.example.org"

UNITS = (
    Unit("VP", "Văn phòng Sở", "Chánh Văn phòng Sở", email=f"vanphong@{_MAIL}"),
    Unit("TTRA", "Thanh tra Sở", "Chánh Thanh tra Sở", email=f"thanhtra@{_MAIL}"),
    Unit("VPDKDD", "Văn phòng Đăng ký đất đai", "Giám đốc Văn phòng Đăng ký đất đai", email=f"vpdkdd@{_MAIL}"),
    Unit(
        "CCBVMT",
        "Chi cục Bảo vệ môi trường",
        "Chi cục trưởng Chi cục Bảo vệ môi trường",
        email=f"chicuc.bvmt@{_MAIL}",
    ),
    Unit(
        "TNNKS",
        "Phòng Quản lý Tài nguyên nước và Khoáng sản",
        "Trưởng phòng Quản lý Tài nguyên nước và Khoáng sản",
        email=f"tnn.ks@{_MAIL}",
    ),
    Unit("QLDD", "Phòng Quản lý đất đai", "Trưởng phòng Quản lý đất đai", email=f"qldd@{_MAIL}"),
    Unit(
        "TTCNTT",
        "Trung tâm Công nghệ thông tin tài nguyên và môi trường",
        "Giám đốc Trung tâm",
        email=f"ttcntt@{_MAIL}",
    ),
    Unit("TTQT", "Trung tâm Quan trắc tài nguyên và môi trường", "Giám đốc Trung tâm", email=f"quantrac@{_MAIL}"),
)


def _results(s22: float, r22: int, s23: float, r23: int) -> tuple[YearResult, ...]:
    return (YearResult(2022, s22, r22, 25), YearResult(2023, s23, r23, 25))


_GD = ("Nguyễn Ngọc Thiều", "Giám đốc Sở")

INDICATORS = (
    Indicator(
        "1",
        "Tính minh bạch và tiếp cận thông tin",
        "Ngô Viết Hải",
        "Phó Giám đốc Sở",
        "Về trang thông tin điện tử của Sở (đường truyền, giao diện, nội dung, công khai kết quả xử lý, "
        "trả lời ý kiến, khiếu nại của doanh nghiệp...); về thực hiện thủ tục hành chính (TTHC) trên dịch "
        "vụ công trực tuyến.",
        _results(8.08, 25, 7.63, 16),
        assessment_override=(
            "Sở năm 2023 so với năm 2022 điểm số bị giảm, xếp thứ hạng so với các SBN tăng cao do các SBN "
            "điểm số bị giảm nhiều. Đánh giá năm 2023 Sở thực hiện không tốt bằng năm 2022, cần phải phấn "
            "đấu cải thiện nữa trong năm 2024."
        ),
    ),
    Indicator(
        "2",
        "Chi phí thời gian",
        *_GD,
        "Thực hiện TTHC còn mất nhiều thời gian; cán bộ xử lý công việc, hỗ trợ, hướng dẫn người dân, "
        "doanh nghiệp chưa năng động, chuyên nghiệp; hoạt động thanh tra, kiểm tra gây mất nhiều thời gian "
        "của doanh nghiệp.",
        _results(6.81, 23, 6.39, 23),
        assessment_override=(
            "Sở năm 2023 so với năm 2022 điểm số bị giảm, xếp thứ hạng so với các SBN tương đương. Đánh giá "
            "năm 2023 điểm số và xếp hạng của Sở rất thấp ở trong top cuối; đồng thời, năm 2023 Sở thực hiện "
            "không tốt bằng năm 2022, cần phải phấn đấu cải thiện rất nhiều trong năm 2024."
        ),
    ),
    Indicator(
        "3",
        "Chi phí không chính thức",
        *_GD,
        "Có hiện tượng cán bộ gây khó khăn, trì hoãn thực hiện giải quyết TTHC; doanh nghiệp phải trả chi "
        "phí không chính thức để giải quyết công việc nhanh hơn.",
        _results(8.05, 16, 6.83, 21),
        assessment_override=(
            "Sở năm 2023 so với năm 2022 điểm số và thứ hạng so với các SBN bị giảm rất nhiều. Đánh giá năm "
            "2023 Sở thực hiện không tốt bằng năm 2022, cần phải phấn đấu cải thiện rất nhiều trong năm 2024."
        ),
    ),
    Indicator(
        "4",
        "Cạnh tranh bình đẳng",
        *_GD,
        "Về việc cơ quan đối xử ưu ái hơn cho các tổng Công ty, tập đoàn lớn, doanh nghiệp nhà nước, doanh "
        "nghiệp FDI,... so với doanh nghiệp vừa và nhỏ đang hoạt động trên địa bàn tỉnh (bao gồm: bố trí "
        "nguồn lực, thời gian, xử lý thủ tục, tư vấn,...).",
        _results(5.48, 18, 8.43, 13),
        assessment_override=(
            "Sở năm 2023 so với năm 2022 điểm số và thứ hạng so với các SBN tăng cao. Đánh giá năm 2023 Sở "
            "thực hiện tốt hơn rất nhiều so với năm 2022, cần phát huy và phấn đấu thực hiện tốt hơn nữa "
            "trong năm 2024."
        ),
    ),
    Indicator(
        "5",
        "Dịch vụ hỗ trợ doanh nghiệp",
        "Nguyễn Hữu Trục",
        "Phó Giám đốc Sở",
        "Cán bộ hướng dẫn Doanh nghiệp không nắm vững văn bản, quy định pháp luật; việc gửi kết quả giải "
        "quyết khó khăn cho doanh nghiệp sau khi tham gia đối thoại còn chậm.",
        _results(5.46, 20, 6.87, 19),
        assessment_override=(
            "Sở năm 2023 so với năm 2022 điểm số và thứ hạng so với các SBN có tăng (đặc biệt điểm số tăng "
            "cao), tuy nhiên, trong năm 2023 các SBN điểm số đều tăng, đạt điểm rất cao do vậy xếp hạng của "
            "Sở chỉ tăng lên 01 bậc so với năm 2022. Đánh giá năm 2023 Sở thực hiện tốt hơn so với năm 2022, "
            "cần phát huy và phấn đấu thực hiện tốt hơn nữa trong năm 2024."
        ),
    ),
    Indicator(
        "6",
        "Thiết chế pháp lý",
        "Triệu Đức Minh",
        "Phó Giám đốc Sở",
        "Về truyền thông và phổ biến văn bản pháp luật tới doanh nghiệp; thực thi văn bản pháp luật; doanh "
        "nghiệp tham gia vào quá trình xây dựng văn bản pháp luật liên quan đến doanh nghiệp do Sở tham "
        "mưu, ban hành.",
        _results(6.27, 23, 8.66, 24),
        # The seed's text here claimed "tăng lên 01 bậc" for ranks 23 → 24; left empty so the
        # computed assessment (which says "giảm 01 bậc") is used.
    ),
    Indicator(
        "7",
        "Vai trò người đứng đầu",
        *_GD,
        "Lãnh đạo cần thường xuyên giám sát và kịp thời chấn chỉnh, xử lý cán bộ có hành vi tiêu cực, nhũng "
        "nhiễu được Doanh nghiệp phản ánh; lắng nghe và tiếp thu các ý kiến góp ý của Doanh nghiệp; cải "
        "thiện văn hóa ứng xử của công chức, viên chức; triển khai có hiệu quả ứng dụng công nghệ thông tin "
        "trong giải quyết TTHC.",
        _results(7.67, 25, 7.89, 24),
        assessment_override=(
            "Sở năm 2023 so với năm 2022 điểm số và thứ hạng so với các SBN có tăng (tăng thấp) tuy nhiên "
            "trong năm 2023 các SBN điểm số đều tăng, đạt điểm rất cao do vậy xếp hạng của Sở chỉ tăng lên "
            "01 bậc so với năm 2022, vẫn ở trong top cuối. Đánh giá năm 2023 Sở thực hiện tốt hơn so với năm "
            "2022, cần phát huy và cần phải phấn đấu hơn nữa để cải thiện trong năm 2024."
        ),
    ),
    Indicator(
        "8",
        "Tính năng động và hiệu lực của hệ thống",
        "Chu Văn Thạch",
        "Phó Giám đốc Sở",
        "Thực hiện hiệu quả và linh hoạt các chỉ đạo của UBND tỉnh vì lợi ích của doanh nghiệp trong khuôn "
        "khổ theo quy định của pháp luật.",
        _results(5.71, 23, 7.12, 23),
        assessment_override=(
            "Sở năm 2023 so với năm 2022 điểm số có tăng cao, thứ hạng so với các SBN tương đương; lý do điểm "
            "số tăng cao nhưng thứ hạng không tăng do các SBN điểm số đều tăng, đạt điểm rất cao, Sở vẫn trong "
            "top cuối. Đánh giá năm 2023 Sở thực hiện tốt hơn so với năm 2022, cần phát huy và cần phải phấn "
            "đấu hơn nữa để cải thiện trong năm 2024."
        ),
    ),
)

_MEETING = "cuộc họp giao ban hằng tháng"
_MONTHLY = "Hằng tháng"
_REPORT = "báo cáo định kỳ về kết quả thực hiện tại cuộc họp giao ban hằng tháng"
_LEAD_ALL = "phối hợp với Trưởng các phòng, đơn vị liên quan thực hiện"
_ALL_TO_VP = "Trưởng các phòng, đơn vị liên quan thực hiện báo cáo về Chánh Văn phòng Sở tổng hợp"


def _task(code: str, text: str, lead: str, assignment: str, support: tuple[str, ...] = (ALL_UNITS,)) -> Task:
    return Task(
        code=code,
        indicator_code=code.split(".")[0],
        text=text,
        lead=lead,
        support=support if lead != ALL_UNITS else (),
        reports_to=_MEETING,
        cadence=_MONTHLY,
        assignment_text=assignment,
    )


TASKS = (
    _task(
        "1.1",
        "Về trang thông tin điện tử của Sở: kịp thời kiểm tra, khắc phục triệt để những lỗi đường truyền mạng "
        "internet ảnh hưởng đến việc truy cập; thường xuyên nghiên cứu chỉnh sửa lại giao diện đảm bảo nội "
        "dung phù hợp để người dân, doanh nghiệp dễ khai thác tìm hiểu thông tin; đăng tải đầy đủ kết quả xử "
        "lý, trả lời ý kiến, khiếu nại của doanh nghiệp",
        "VPDKDD",
        f"Giám đốc Văn phòng Đăng ký đất đai chủ trì, {_LEAD_ALL}; {_REPORT}",
    ),
    _task(
        "1.2",
        "Về thực hiện TTHC trên dịch vụ công trực tuyến: tăng cường và đổi mới các hình thức tuyên truyền, "
        "nâng cao nhận thức; bồi dưỡng, tập huấn, hỗ trợ người dân, doanh nghiệp tiếp nhận, sử dụng hiệu quả "
        "các dịch vụ công trực tuyến (DVCTT) do Sở Tài nguyên và Môi trường cung cấp. Thường xuyên rà soát "
        "nâng cao tối đa TTHC được cung cấp lên DVCTT; nâng cao hiệu quả sử dụng DVCTT",
        "VP",
        f"Chánh Văn phòng Sở chủ trì, {_LEAD_ALL}; {_REPORT}",
    ),
    _task(
        "2.1",
        "Thực hiện rà soát, đánh giá toàn bộ các TTHC còn vướng mắc, bất cập, đề xuất cắt giảm theo hướng "
        "dẫn, quy định; đẩy mạnh thực hiện thanh toán phí, lệ phí hồ sơ qua dịch vụ công trực tuyến; thường "
        "xuyên rà soát, đề xuất danh mục TTHC đủ điều kiện triển khai, cung cấp DVCTT một phần, toàn trình "
        "để giúp người dân, doanh nghiệp dễ thực hiện, giảm thời gian, chi phí đi lại cho việc gửi hồ sơ và "
        "nhận kết quả trong giải quyết TTHC",
        ALL_UNITS,
        f"{_ALL_TO_VP}; {_REPORT}",
    ),
    _task(
        "2.2",
        "Đổi mới phương thức, lề lối làm việc nhanh chóng, hiệu quả; kịp thời rà soát, phân công cử công "
        "chức, viên chức ưu tú, có đủ năng lực, phẩm chất đạo đức, kinh nghiệm thực tiễn để thực hiện nhiệm "
        "vụ ở những vị trí thường xuyên tiếp xúc, làm việc với người dân, doanh nghiệp, đảm bảo tính chuyên "
        "nghiệp, chuẩn mực (nhất là công chức, viên chức trực tại Bộ phận một cửa). Chấp hành nghiêm quy tắc "
        "ứng xử của công chức viên chức và người lao động thuộc Sở Tài nguyên và Môi trường tỉnh Lạng Sơn "
        "ban hành kèm theo Quyết định số 53/QĐ-STNMT ngày 01/3/2022 của Giám đốc Sở Tài nguyên và Môi "
        "trường và các quy định có liên quan hiện hành",
        ALL_UNITS,
        f"{_ALL_TO_VP}; {_REPORT}",
    ),
    _task(
        "2.3",
        "Tiếp tục làm tốt công tác rà soát các nội dung trong công tác thanh tra, kiểm tra các Doanh nghiệp "
        "đảm bảo phù hợp, tránh trùng lặp... nhằm giảm thiểu tối đa về thời gian kiểm tra ảnh hưởng đến "
        "hoạt động của Doanh nghiệp",
        "TTRA",
        f"Chánh Thanh tra Sở chủ trì, {_LEAD_ALL}; {_REPORT}",
    ),
    _task(
        "3.1",
        "Tăng cường kiểm tra kỷ luật, kỷ cương hành chính tại các phòng, đơn vị; kiểm tra đánh giá chất "
        "lượng hoạt động của Bộ phận một cửa của Sở Tài nguyên và Môi trường tại Trung tâm phục vụ hành "
        "chính công của tỉnh và viên chức được cử trực tại Bộ phận một cửa cấp huyện; nhất là trách nhiệm "
        "của công chức, viên chức trong việc tiếp nhận, giải quyết và trả kết quả giải quyết TTHC. Quan tâm "
        "kiểm tra, giám sát trong quá trình thực thi công vụ, ngăn chặn tình trạng nhũng nhiễu, gây phiền hà "
        "cho công dân, doanh nghiệp. Kiên quyết xử lý nghiêm theo quy định công chức, viên chức, người lao "
        "động có hành vi nhũng nhiễu, tiêu cực, gây khó khăn, tự ý đặt ra TTHC hoặc các loại giấy tờ không "
        "đúng quy định hoặc trễ quá hạn nhiều lần trong việc thực hiện giải quyết TTHC của người dân, doanh "
        "nghiệp",
        "TTRA",
        f"Chánh Thanh tra Sở chủ trì, {_LEAD_ALL}; {_REPORT}",
    ),
    _task(
        "3.2",
        "Tiếp nhận và kịp thời giải đáp đầy đủ các thông tin xác đáng phản ánh của người dân và doanh nghiệp "
        "liên quan đến phạm vi quản lý nhà nước của Sở thông qua đường dây nóng, qua Hội doanh nghiệp, chi "
        "hội doanh nghiệp,... các kênh thông tin (trang thông tin điện tử của Sở, zalo, fan page,...), hòm "
        "thư góp ý hoặc đơn thư khiếu nại, phản ánh để tham mưu cho Lãnh đạo Sở xử lý, giải quyết kịp thời "
        "các vấn đề bức xúc của người dân và doanh nghiệp",
        "TTRA",
        f"Chánh Thanh tra Sở chủ trì, {_LEAD_ALL}; {_REPORT}",
    ),
    _task(
        "4.1",
        "Tiếp tục thực hiện tốt hơn nữa về công khai minh bạch đầy đủ các thông tin về quy hoạch, kế hoạch, "
        "cơ chế chính sách... đến với 100% doanh nghiệp, nhằm tạo môi trường kinh doanh bình đẳng cho các "
        "doanh nghiệp lớn, vừa và nhỏ ở trong và ngoài tỉnh đang đầu tư trên địa bàn thông qua hình thức "
        "đăng tải trên trang thông tin điện tử của Sở hoặc gửi văn bản đến Ủy ban nhân dân các huyện, thành "
        "phố và Hiệp hội doanh nghiệp tỉnh, Hiệp hội doanh nghiệp vừa và nhỏ của tỉnh để phổ biến tới cộng "
        "đồng doanh nghiệp",
        "VPDKDD",
        f"Giám đốc Văn phòng Đăng ký đất đai chủ trì, {_LEAD_ALL}; {_REPORT}",
    ),
    _task(
        "4.2",
        "Kịp thời, thường xuyên đồng hành hướng dẫn, giúp đỡ, tháo gỡ các khó khăn, vướng mắc cho các Doanh "
        "nghiệp khi có yêu cầu; đồng thời thực hiện nhiệm vụ, công việc bình đẳng với tất cả các doanh "
        "nghiệp lớn, nhỏ, trong và ngoài tỉnh",
        ALL_UNITS,
        f"{_ALL_TO_VP}; {_REPORT}",
    ),
    _task(
        "5.1",
        "Thực hiện tham mưu cho Lãnh đạo Sở rà soát, theo dõi và đánh giá năng lực công chức, viên chức tại "
        "những vị trí thường xuyên tiếp xúc, làm việc với người dân, doanh nghiệp; tiếp tục đồng thời phối "
        "hợp với các cơ quan, đơn vị liên quan xây dựng Kế hoạch tập huấn, bồi dưỡng công chức, viên chức để "
        "nâng cao kỹ năng, nghiệp vụ trong giải quyết, hỗ trợ, hướng dẫn người dân, doanh nghiệp",
        "VP",
        f"Chánh Văn phòng Sở chủ trì, {_LEAD_ALL}; {_REPORT}",
    ),
    _task(
        "5.2",
        "Tổng hợp và giải đáp các kiến nghị, vướng mắc của doanh nghiệp, người dân chậm nhất 07 ngày sau khi "
        "nhận được ý kiến kiến nghị của doanh nghiệp, người dân... và đồng thời công khai trên trang thông "
        "tin điện tử của Sở và trả lời bằng văn bản đến các doanh nghiệp, người dân có kiến nghị",
        ALL_UNITS,
        f"Các phòng, đơn vị tham mưu thực hiện; {_REPORT}",
    ),
    _task(
        "6.1",
        "Rà soát, hệ thống hóa, kiểm tra, xử lý văn bản quy phạm pháp luật thuộc lĩnh vực Tài nguyên và Môi "
        "trường; tiếp tục làm tốt việc tuyên truyền phổ biến triển khai các quy định pháp luật của ngành tới "
        "các doanh nghiệp thông qua việc gửi bằng văn bản thông báo cho Hiệp hội doanh nghiệp tỉnh phổ biến "
        "tới cộng đồng doanh nghiệp trên địa bàn tỉnh",
        "TTRA",
        f"Chánh Thanh tra Sở chủ trì, {_LEAD_ALL}; {_REPORT}",
    ),
    _task(
        "6.2",
        "Các văn bản pháp luật được giao Sở tham mưu, ban hành... có nội dung liên quan đến doanh nghiệp cần "
        "phải mời, lấy ý kiến của doanh nghiệp để tăng cường tính minh bạch và nâng cao thực chất, thực "
        "tiễn, hiệu quả của văn bản",
        "TTRA",
        f"Chánh Thanh tra Sở chủ trì, {_LEAD_ALL}; {_REPORT}",
    ),
    _task(
        "6.3",
        "Tiếp tục đăng tải các văn bản quy phạm pháp luật của ngành do Chính phủ, Bộ Tài nguyên và Môi "
        "trường, Hội đồng nhân dân tỉnh, Ủy ban nhân dân tỉnh mới ban hành trên cổng thông tin điện tử của "
        "Sở để phục vụ cho công tác tra cứu tìm hiểu của người dân và doanh nghiệp",
        "VPDKDD",
        f"Giám đốc Văn phòng Đăng ký đất đai chủ trì, {_LEAD_ALL}; {_REPORT}",
    ),
    _task(
        "7.1",
        "Theo dõi kịp thời phát hiện và chấn chỉnh, xử lý nghiêm công chức, viên chức và người lao động của "
        "Sở có hành vi tiêu cực, nhũng nhiễu được người dân, doanh nghiệp phản ánh..., tăng cường ứng dụng "
        "công nghệ thông tin trong giải quyết TTHC, tiếp nhận các thông tin phản ánh; đồng chí Giám đốc Sở "
        "phụ trách chỉ đạo chung và chịu trách nhiệm trước Ủy ban nhân dân tỉnh về kết quả thực hiện của đơn "
        "vị mình, chỉ đạo thực hiện tốt công tác thanh tra, kiểm tra và kỷ luật, kỷ cương hành chính, công "
        "tác thi đua khen thưởng... các đồng chí Phó Giám đốc Sở theo lĩnh vực được phân công phụ trách có "
        "trách nhiệm chỉ đạo các phòng, đơn vị xây dựng các giải pháp để cải thiện nâng cao các chỉ số thành "
        "phần theo các lĩnh vực phân công. Thực hiện nghiêm túc chế độ họp lãnh đạo Sở, họp giao ban cơ quan "
        "hằng tháng",
        "TTRA",
        "Định kỳ hằng tháng, quý, Chánh Thanh tra Sở báo cáo kết quả công tác tiếp công dân, việc tiếp nhận, "
        f"xử lý đơn thư, kết quả giải quyết khiếu nại, tố cáo, kiến nghị, phản ánh; {_REPORT}",
    ),
    _task(
        "7.2",
        "Lãnh đạo Sở kịp thời chỉ đạo giải quyết các khó khăn, vướng mắc của doanh nghiệp, đại diện cộng đồng "
        "doanh nghiệp (Hội doanh nghiệp, Chi hội, Hợp tác xã...). Tiếp tục triển khai hoạt động “Tiếp công "
        "dân” định kỳ hằng tháng, “đường dây nóng”, tập trung chỉ đạo giải quyết dứt điểm các vụ việc phức "
        "tạp, vượt cấp kéo dài, kể cả các vụ việc đông người; nâng cao trách nhiệm của người đứng đầu cơ "
        "quan, đơn vị",
        "TTRA",
        "Định kỳ hằng tháng, quý, Chánh Thanh tra Sở báo cáo kết quả công tác tiếp công dân, việc tiếp nhận, "
        f"xử lý đơn thư, kết quả giải quyết khiếu nại, tố cáo, kiến nghị, phản ánh; {_REPORT}",
    ),
    _task(
        "7.3",
        "Trưởng các phòng, Thủ trưởng các đơn vị trực thuộc Sở tham mưu thực hiện tốt nhiệm vụ cải thiện môi "
        "trường kinh doanh, chịu trách nhiệm cải thiện chỉ số thành phần do phòng, đơn vị chủ trì và các chỉ "
        "số thành phần liên quan đến ngành, lĩnh vực chuyên môn phụ trách, khắc phục và cải thiện những chỉ "
        "tiêu thành phần còn thấp và giảm điểm, đề ra các giải pháp tối ưu nhằm góp phần đạt được những cải "
        "thiện và chỉ tiêu thứ hạng đề ra đối với từng chỉ số thành phần",
        ALL_UNITS,
        f"{_ALL_TO_VP}; {_REPORT}",
    ),
    _task(
        "8.1",
        "Tiếp tục thực hiện hiệu quả và linh hoạt các chỉ đạo, chủ trương của UBND tỉnh vì lợi ích của doanh "
        "nghiệp; có những giải pháp thiết thực, thuận lợi hơn nữa cho doanh nghiệp trong hoạt động sản xuất "
        "kinh doanh; hoàn thiện, thực hiện tốt các cơ chế, chính sách bồi thường, hỗ trợ tái định cư khi Nhà "
        "nước thu hồi đất, giải phóng mặt bằng, chính sách bố trí tái định cư, tuyên truyền cho người dân "
        "chấp hành tốt chính sách pháp luật về đất đai, bảo vệ môi trường, khai thác sử dụng có hiệu quả và "
        "tiết kiệm tài nguyên nước, tài nguyên khoáng sản... để tạo mặt bằng, môi trường đầu tư thông "
        "thoáng, thuận lợi nhất cho doanh nghiệp để triển khai thực hiện dự án",
        ALL_UNITS,
        f"{_ALL_TO_VP}; {_REPORT}",
    ),
)

OVERALL = (YearResult(2022, None, 25, 25), YearResult(2023, None, 21, 25))

# The seed's own paragraphs of mục IV, which no task row produces (table NoiDungBoSung).
PARAGRAPHS = (
    OfficeText(
        ReportKind.PLAN,
        "IV",
        1,
        "- Giao Văn phòng Đăng ký đất đai thực hiện tham mưu cho Sở: đẩy mạnh công tác rà soát và cấp Giấy "
        "chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất theo quy định để tạo "
        "điều kiện cho các doanh nghiệp, hợp tác xã, hộ kinh doanh có thêm tài sản đảm bảo trong việc tiếp cận "
        "với các nguồn vốn tín dụng của ngân hàng.",
    ),
    OfficeText(
        ReportKind.PLAN,
        "IV",
        2,
        "- Giao Chi cục Bảo vệ môi trường, Phòng Quản lý Tài nguyên nước và Khoáng sản theo chức năng, nhiệm vụ "
        "thực hiện chủ trì tham mưu cho Sở: phối hợp với Sở Nông nghiệp và Phát triển nông thôn và các cơ quan "
        "liên quan tham mưu UBND tỉnh ban hành các chính sách về bảo vệ môi trường, khai thác tài nguyên khoáng "
        "sản, tài nguyên nước, tăng cường quản lý, phát triển rừng, thúc đẩy thực hành xanh, đảm bảo chỉ số PGI "
        "của tỉnh nằm trong thứ hạng cao của cả nước.",
    ),
)


def seed_plan() -> Plan:
    """The seed plan with the 2024 reporting periods (12 months, 4 quarters, 2 halves, the year)."""
    return Plan(
        agency=AGENCY,
        settings=SETTINGS,
        units=UNITS,
        indicators=INDICATORS,
        tasks=TASKS,
        periods=periods_for_year(SETTINGS.plan_year, SETTINGS.submission_grace_days),
        overall=OVERALL,
        paragraphs=PARAGRAPHS,
    )
