"""Sample contexts for the Word templates, built from the seed Kế hoạch, plus text helpers.

Importable by several test modules (conftest.py is shared with other engineers, so the
samples live here). Every function returns a fresh deep copy: tests may mutate it.
"""

from __future__ import annotations

import copy
import unicodedata
from pathlib import Path
from typing import Any

AGENCY = {
    "parent_agency": "UBND TỈNH LẠNG SƠN",
    "issuing_agency_lines": ["SỞ TÀI NGUYÊN VÀ", "MÔI TRƯỜNG"],
    "name": "Sở Tài nguyên và Môi trường",
}

RECIPIENTS = [
    "- UBND tỉnh (để b/c);",
    "- Sở Kế hoạch và Đầu tư;",
    "- Hiệp hội Doanh nghiệp tỉnh Lạng Sơn;",
    "- Lãnh đạo Sở;",
    "- Các phòng, đơn vị thuộc Sở (thực hiện);",
    "- Văn phòng Sở (theo dõi, đôn đốc);",
    "- Lưu: VT, VP.",
]

_GIAO_BAN = "báo cáo định kỳ về kết quả thực hiện tại cuộc họp giao ban hằng tháng"

_KE_HOACH: dict[str, Any] = {
    "agency": AGENCY,
    "doc": {
        "number_line": "Số:      /KH-STNMT",
        "place_date": "Lạng Sơn, ngày      tháng 02 năm 2024",
        "kind_title": "KẾ HOẠCH",
        "subject_lines": [
            "Về việc nâng cao chỉ số đánh giá năng lực cạnh tranh",
            "của Sở Tài nguyên và Môi trường năm 2024",
        ],
    },
    "signer": {"authority_lines": ["GIÁM ĐỐC"], "name": "Nguyễn Ngọc Thiều"},
    "recipients": RECIPIENTS,
    "basis": (
        "Thực hiện Công văn số 24/UBND-KT ngày 04/01/2024 của UBND tỉnh Lạng Sơn về việc triển khai "
        "thực hiện các khuyến nghị của Đơn vị tư vấn DDCI tại Hội nghị công bố Bộ chỉ số DDCI năm "
        "2023; Kế hoạch số 36/KH-UBND ngày 06/02/2024 của UBND tỉnh Lạng Sơn khắc phục các hạn chế "
        "năm 2023 và thực hiện đánh giá năng lực cạnh tranh cấp sở, ban, ngành và UBND cấp huyện "
        "(DDCI) năm 2024."
    ),
    "context_paragraph": (
        "Theo kết quả do UBND tỉnh Lạng Sơn công bố ngày 28/12/2023 tại Hội nghị công bố chỉ số "
        "đánh giá năng lực cạnh tranh (DDCI) cấp sở, ban, ngành (SBN) và UBND cấp huyện năm 2023, "
        "năm 2023 Sở Tài nguyên và Môi trường được đánh giá xếp hạng thứ 21/25 đơn vị, tăng 04 bậc "
        "xếp hạng so với năm 2022. Để khắc phục các chỉ số thành phần đạt điểm thấp nhằm cải thiện "
        "vị trí xếp hạng trong năm 2024, Sở Tài nguyên và Môi trường xây dựng kế hoạch thực hiện "
        "như sau:"
    ),
    "purpose_items": [
        "- Xác định các chỉ số thành phần cần tập trung cải thiện trong năm 2024. Xây dựng các giải "
        "pháp phải cụ thể, rõ việc, rõ người phụ trách, phòng, đơn vị thực hiện, thời gian triển "
        "khai khắc phục những hạn chế năm 2023.",
        "- Kế hoạch này được triển khai sâu rộng đến từng phòng, đơn vị thuộc Sở bằng những giải "
        "pháp cụ thể. Tăng cường kiểm tra kỷ luật, kỷ cương hành chính, nâng cao chất lượng phục "
        "vụ người dân, doanh nghiệp.",
    ],
    "requirement": (
        "Lãnh đạo Sở, Trưởng các phòng, đơn vị thuộc Sở nêu cao tinh thần trách nhiệm trong tổ "
        "chức thực hiện, đôn đốc, kiểm tra, giám sát, xử lý kịp thời các phát sinh trong quá trình "
        "thực hiện các chỉ số thành phần DDCI tại Kế hoạch này."
    ),
    "section2_title": "ĐÁNH GIÁ VỀ 08 CHỈ SỐ THÀNH PHẦN NĂM 2023 SO VỚI NĂM 2022 CỦA SỞ",
    "indicators": [
        {
            "number": 1,
            "title": "Chỉ số “Tính minh bạch và tiếp cận thông tin”",
            "score_sentence": "Năm 2023 (7,63 điểm) giảm 0,45 điểm so với năm 2022 (8,08 điểm).",
            "rank_label": "Về thứ hạng so với các Sở, ban, ngành (SBN):",
            "rank_sentence": "Năm 2023 (xếp thứ 16/25) tăng 09 bậc so với năm 2022 (xếp thứ 25/25).",
            "assessment": (
                "Sở năm 2023 so với năm 2022 điểm số bị giảm, xếp thứ hạng so với các SBN tăng cao "
                "do các SBN điểm số bị giảm nhiều. Đánh giá năm 2023 Sở thực hiện không tốt bằng năm "
                "2022, cần phải phấn đấu cải thiện nữa trong năm 2024."
            ),
        },
        {
            "number": 2,
            "title": "Chỉ số “Chi phí thời gian”",
            "score_sentence": "Năm 2023 (6,39 điểm) giảm 0,42 điểm so với năm 2022 (6,81 điểm).",
            "rank_label": "Về thứ hạng so với các SBN:",
            "rank_sentence": "Năm 2023 (xếp thứ 23/25) bằng với năm 2022 (xếp thứ 23/25).",
            "assessment": (
                "Sở năm 2023 so với năm 2022 điểm số bị giảm, xếp thứ hạng so với các SBN tương "
                "đương, cần phải phấn đấu cải thiện rất nhiều trong năm 2024."
            ),
        },
        {
            "number": 4,
            "title": "Chỉ số “Cạnh tranh bình đẳng”",
            "score_sentence": "Năm 2023 (8,43 điểm) tăng 2,95 điểm so với năm 2022 (5,48 điểm).",
            "rank_label": "Về thứ hạng so với các SBN:",
            "rank_sentence": "Năm 2023 (xếp thứ 13/25) tăng 05 bậc so với năm 2022 (xếp thứ 18/25).",
            "assessment": (
                "Sở năm 2023 so với năm 2022 điểm số và thứ hạng so với các SBN tăng cao, cần phát "
                "huy và phấn đấu thực hiện tốt hơn nữa trong năm 2024."
            ),
        },
    ],
    "section3_intro": (
        "Trên cơ sở nội dung đánh giá của 08 chỉ số thành phần tại Mục II Kế hoạch này, cần phải "
        "phát huy và phấn đấu thực hiện tốt hơn nữa 02 chỉ số thành phần; đồng thời, phấn đấu cải "
        "thiện 06 chỉ số thành phần còn thấp, cụ thể như sau:"
    ),
    "groups": [
        {
            "heading": "(1) TIẾP TỤC PHÁT HUY VÀ THỰC HIỆN TỐT HƠN NỮA 02 CHỈ SỐ TRONG NĂM 2024",
            "items": [
                {
                    "number": 1,
                    "title": "Chỉ số thứ 4: Chỉ số “Cạnh tranh bình đẳng”",
                    "leader": "Đ/c Nguyễn Ngọc Thiều",
                    "leader_rest": ", Giám đốc Sở trực tiếp chỉ đạo.",
                    "weakness_label": (
                        "Những hạn chế chính liên quan đến chỉ số “Cạnh tranh bình đẳng” trong năm 2023 được chỉ ra:"
                    ),
                    "weaknesses": (
                        "Về việc cơ quan đối xử ưu ái hơn cho các tổng Công ty, tập đoàn lớn, doanh "
                        "nghiệp nhà nước, doanh nghiệp FDI,... so với doanh nghiệp vừa và nhỏ."
                    ),
                    "tasks": [
                        {
                            "text": (
                                "Tiếp tục thực hiện tốt hơn nữa về công khai minh bạch đầy đủ các "
                                "thông tin về quy hoạch, kế hoạch, cơ chế chính sách... đến với 100% "
                                "doanh nghiệp"
                            ),
                            "assignment": (
                                "Giám đốc Văn phòng Đăng ký đất đai chủ trì, phối hợp với Trưởng các "
                                f"phòng, đơn vị liên quan thực hiện; {_GIAO_BAN}"
                            ),
                        },
                        {
                            "text": (
                                "Kịp thời, thường xuyên đồng hành hướng dẫn, giúp đỡ, tháo gỡ các khó "
                                "khăn, vướng mắc cho các Doanh nghiệp khi có yêu cầu"
                            ),
                            "assignment": (
                                "Trưởng các phòng, đơn vị liên quan thực hiện báo cáo về Chánh Văn "
                                f"phòng Sở tổng hợp; {_GIAO_BAN}"
                            ),
                        },
                    ],
                }
            ],
        },
        {
            "heading": (
                "(2) PHẤN ĐẤU THỰC HIỆN KHẮC PHỤC 06 CHỈ SỐ THẤP ĐIỂM ĐƯỢC ĐÁNH GIÁ NĂM 2023 ĐỂ CẢI "
                "THIỆN ĐIỂM SỐ TRONG NĂM 2024"
            ),
            "items": [
                {
                    "number": 1,
                    "title": "Chỉ số thứ 1: Chỉ số “Tính minh bạch và tiếp cận thông tin”",
                    "leader": "Đ/c Ngô Viết Hải",
                    "leader_rest": ", Phó Giám đốc Sở trực tiếp chỉ đạo.",
                    "weakness_label": (
                        "Những hạn chế chính liên quan đến chỉ số “Tính minh bạch và tiếp cận thông "
                        "tin” trong năm 2023 được chỉ ra:"
                    ),
                    "weaknesses": (
                        "Về trang thông tin điện tử của Sở; về thực hiện thủ tục hành chính (TTHC) "
                        "trên dịch vụ công trực tuyến."
                    ),
                    "tasks": [
                        {
                            "text": (
                                "Về trang thông tin điện tử của Sở: kịp thời kiểm tra, khắc phục triệt "
                                "để những lỗi đường truyền mạng internet ảnh hưởng đến việc truy cập"
                            ),
                            "assignment": (
                                "Giám đốc Văn phòng Đăng ký đất đai chủ trì, phối hợp với Trưởng các "
                                f"phòng, đơn vị liên quan thực hiện; {_GIAO_BAN}"
                            ),
                        },
                        {
                            "text": (
                                "Thường xuyên rà soát nâng cao tối đa TTHC được cung cấp lên dịch vụ công trực tuyến"
                            ),
                            "assignment": "",
                        },
                    ],
                }
            ],
        },
    ],
    "organisation": [
        {
            "before": (
                "1. Yêu cầu các đồng chí Lãnh đạo Sở được phân công phụ trách từng chỉ số tại Kế "
                "hoạch này chủ động lãnh đạo, chỉ đạo tổ chức thực hiện đảm bảo có hiệu quả."
            ),
            "bold": "",
            "after": "",
        },
        {
            "before": (
                "2. Các phòng, đơn vị thuộc Sở căn cứ nội dung Kế hoạch này chủ động xây dựng kế hoạch chi tiết "
            ),
            "bold": "xong trước ngày 28/02/2024",
            "after": (
                ", trong đó: yêu cầu phân công công chức, viên chức triển khai ngay các nội dung công "
                "việc để cải thiện điểm các chỉ số thành phần theo đúng tiến độ được giao."
            ),
        },
        {"before": "3. Giao Văn phòng Sở:", "bold": "", "after": ""},
        {
            "before": ("- Thường xuyên đôn đốc, theo dõi, kiểm tra tiến độ triển khai, thực hiện Kế hoạch này;"),
            "bold": "",
            "after": "",
        },
    ],
    "closing": (
        "Trong quá trình triển khai thực hiện, đề nghị các phòng, đơn vị thuộc Sở kịp thời phản ánh "
        "khó khăn, vướng mắc gửi ý kiến bằng văn bản về Văn phòng Sở để báo cáo Giám đốc Sở xem xét, "
        "sửa đổi cho phù hợp với thực tế./."
    ),
}

_INDICATOR_NAMES = [
    "Tính minh bạch và tiếp cận thông tin",
    "Chi phí thời gian",
    "Chi phí không chính thức",
    "Cạnh tranh bình đẳng",
    "Dịch vụ hỗ trợ doanh nghiệp",
    "Thiết chế pháp lý",
    "Vai trò người đứng đầu",
    "Tính năng động và hiệu lực của hệ thống",
]
BASE_SCORES = [8.08, 6.81, 8.05, 5.48, 5.46, 6.27, 7.67, 5.71]
SCORES = [7.63, 6.39, 6.83, 8.43, 6.87, 8.66, 7.89, 7.12]
_BASE_RANKS = [25, 23, 16, 18, 20, 23, 25, 23]
_RANKS = [16, 23, 21, 13, 19, 24, 24, 23]
_LEADS = ["Văn phòng Đăng ký đất đai", "Văn phòng Sở", "Thanh tra Sở", "Chi cục Bảo vệ môi trường"]


def _vn(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _signed(value: float, places: int = 2) -> str:
    text = f"{abs(value):.{places}f}".replace(".", ",")
    return f"+{text}" if value > 0 else (f"-{text}" if value < 0 else text)


def _progress_rows(n: int) -> list[dict[str, str]]:
    rows = []
    for i in range(1, n + 1):
        done = i % 3 != 0
        rows.append(
            {
                "stt": str(i),
                "task": f"Nhiệm vụ {i}: rà soát, công khai thủ tục hành chính thuộc chỉ số "
                f"“{_INDICATOR_NAMES[(i - 1) % 8]}” trên trang thông tin điện tử của Sở",
                "lead": _LEADS[i % len(_LEADS)],
                "status": "Hoàn thành" if done else "Đang thực hiện",
                "percent": "100" if done else "60",
                "result": "Đã đăng tải 12 văn bản, trả lời 03 kiến nghị" if done else "Đang tổng hợp",
            }
        )
    return rows


def _change_rows() -> list[dict[str, str]]:
    rows = []
    for i, name in enumerate(_INDICATOR_NAMES):
        delta_rank = _BASE_RANKS[i] - _RANKS[i]
        rows.append(
            {
                "stt": str(i + 1),
                "name": name,
                "score_base": _vn(BASE_SCORES[i]),
                "score": _vn(SCORES[i]),
                "score_delta": _signed(SCORES[i] - BASE_SCORES[i]),
                "rank_base": f"{_BASE_RANKS[i]}/25",
                "rank": f"{_RANKS[i]}/25",
                "rank_delta": f"{delta_rank:+03d}" if delta_rank else "0",
                "group": "Phát huy" if i in (3, 4) else "Cần cải thiện",
            }
        )
    return rows


def _bao_cao(n_tasks: int = 12) -> dict[str, Any]:
    done = sum(1 for r in _progress_rows(n_tasks) if r["status"] == "Hoàn thành")
    return {
        "agency": AGENCY,
        "doc": {
            "number_line": "Số: 05/BC-STNMT",
            "place_date": "Lạng Sơn, ngày 05 tháng 4 năm 2024",
            "kind_title": "BÁO CÁO",
            "subject_lines": [
                "Kết quả thực hiện Kế hoạch nâng cao chỉ số đánh giá năng lực",
                "cạnh tranh của Sở Tài nguyên và Môi trường tháng 3 năm 2024",
            ],
        },
        "signer": {"authority_lines": ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "name": "Ngô Viết Hải"},
        "recipients": [
            "- Như trên;",
            "- Sở Kế hoạch và Đầu tư;",
            "- Lãnh đạo Sở;",
            "- Các phòng, đơn vị thuộc Sở;",
            "- Lưu: VT, VP.",
        ],
        "addressee": "Ủy ban nhân dân tỉnh Lạng Sơn",
        "period_name": "tháng 3 năm 2024",
        "basis": (
            "Thực hiện Kế hoạch số 36/KH-UBND ngày 06/02/2024 của UBND tỉnh Lạng Sơn; Kế hoạch số "
            "15/KH-STNMT ngày 20/02/2024 của Sở Tài nguyên và Môi trường về việc nâng cao chỉ số "
            "đánh giá năng lực cạnh tranh năm 2024, Sở Tài nguyên và Môi trường báo cáo kết quả thực "
            "hiện tháng 3 năm 2024 như sau:"
        ),
        "leadership": [
            "Ngay sau khi Kế hoạch được ban hành, Lãnh đạo Sở đã tổ chức quán triệt đến toàn thể "
            "công chức, viên chức và người lao động; phân công Lãnh đạo Sở phụ trách từng chỉ số "
            "thành phần.",
            "Các phòng, đơn vị thuộc Sở đã xây dựng kế hoạch chi tiết, phân công cụ thể người thực "
            "hiện và thời hạn hoàn thành từng nhiệm vụ & báo cáo định kỳ hằng tháng.",
        ],
        "results_intro": (
            f"Tổng số nhiệm vụ được giao: {n_tasks:02d} nhiệm vụ; đã hoàn thành {done:02d} nhiệm vụ; "
            f"đang thực hiện {n_tasks - done:02d} nhiệm vụ. Kết quả cụ thể như sau:"
        ),
        "results": [
            {
                "number": 1,
                "title": "Chỉ số “Tính minh bạch và tiếp cận thông tin”",
                "counts_sentence": "Có 02 nhiệm vụ; đã hoàn thành 02 nhiệm vụ.",
                "items": [
                    "- Đã đăng tải đầy đủ 12 văn bản quy phạm pháp luật mới của ngành trên trang "
                    "thông tin điện tử của Sở.",
                    "- Đã trả lời 03/03 kiến nghị của doanh nghiệp trong thời hạn 07 ngày.",
                ],
            },
            {
                "number": 2,
                "title": "Chỉ số “Chi phí thời gian”",
                "counts_sentence": "Có 02 nhiệm vụ; đã hoàn thành 01 nhiệm vụ, đang thực hiện 01 nhiệm vụ.",
                "items": [
                    "- Rà soát 45 thủ tục hành chính, đề xuất cắt giảm thời gian giải quyết 05 thủ tục.",
                ],
            },
        ],
        "difficulties": [
            "- Một số phòng, đơn vị báo cáo chưa đúng thời hạn quy định.",
            "- Tỷ lệ hồ sơ nộp trực tuyến toàn trình còn thấp.",
        ],
        "next_tasks": [
            "- Tiếp tục thực hiện các nhiệm vụ chưa hoàn thành trong tháng 3 năm 2024.",
            "- Tăng cường kiểm tra kỷ luật, kỷ cương hành chính tại Bộ phận một cửa.",
        ],
        "proposals": [
            "- Đề nghị UBND tỉnh chỉ đạo Sở Thông tin và Truyền thông hỗ trợ nâng cấp trang thông tin điện tử của Sở.",
        ],
        "closing": "Sở Tài nguyên và Môi trường báo cáo Ủy ban nhân dân tỉnh xem xét, chỉ đạo./.",
        "appendix": {
            "number_line": (
                "(Kèm theo Báo cáo số 05/BC-STNMT ngày 05 tháng 4 năm 2024 của Sở Tài nguyên và Môi trường)"
            ),
            "progress_title": "TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ CỦA KẾ HOẠCH THÁNG 3 NĂM 2024",
            "progress_rows": _progress_rows(n_tasks),
            "change_title": "BIẾN ĐỘNG ĐIỂM SỐ, THỨ HẠNG CÁC CHỈ SỐ THÀNH PHẦN NĂM 2023 SO VỚI NĂM 2022",
            "base_year": 2022,
            "year": 2023,
            "change_rows": _change_rows(),
            "chart_title": "BIỂU ĐỒ ĐIỂM SỐ CÁC CHỈ SỐ THÀNH PHẦN NĂM 2022 VÀ NĂM 2023",
        },
    }


def ke_hoach_context() -> dict[str, Any]:
    """A realistic Kế hoạch context (3 indicators, 2 groups) from the seed document."""
    return copy.deepcopy(_KE_HOACH)


def bao_cao_context(n_tasks: int = 12) -> dict[str, Any]:
    """A realistic Báo cáo context; ``n_tasks`` rows in the appendix progress table."""
    return _bao_cao(n_tasks)


def chart_args() -> dict[str, Any]:
    """Arguments for ``chart.score_chart_png`` matching the Báo cáo sample."""
    return {
        "names": list(_INDICATOR_NAMES),
        "base_year": 2022,
        "base_scores": list(BASE_SCORES),
        "year": 2023,
        "scores": list(SCORES),
    }


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def docx_lines(path: Path) -> list[str]:
    """The body as text lines: one per non-empty paragraph, one per table row.

    A row is its cells joined by " | ", a cell its non-empty paragraphs joined by " / ";
    vertically merged continuation cells are left out.
    """
    from docx import Document
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

    def cell_text(cell: _Cell) -> str:
        return " / ".join(nfc(p.text) for p in cell.paragraphs if p.text.strip())

    doc = Document(str(path))
    lines: list[str] = []
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text.strip():
                lines.append(nfc(block.text))
        elif isinstance(block, Table):
            for tr in block._tbl.tr_lst:
                cells = [_Cell(tc, block) for tc in tr.tc_lst if tc.vMerge != "continue"]
                lines.append(" | ".join(cell_text(c) for c in cells))
    return lines


# Golden text (``docx_lines``) of the two samples rendered with the default templates:
# ``ke_hoach_context()`` and ``bao_cao_context(3)``. Regenerate by hand only after checking a
# rendering by eye; never compare .docx bytes.
GOLDEN_KE_HOACH: list[str] = [
    (
        "UBND TỈNH LẠNG SƠN / SỞ TÀI NGUYÊN VÀ / MÔI TRƯỜNG | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc "
        "lập - Tự do - Hạnh phúc"
    ),
    "Số:      /KH-STNMT | Lạng Sơn, ngày      tháng 02 năm 2024",
    "KẾ HOẠCH",
    "Về việc nâng cao chỉ số đánh giá năng lực cạnh tranh",
    "của Sở Tài nguyên và Môi trường năm 2024",
    (
        "Thực hiện Công văn số 24/UBND-KT ngày 04/01/2024 của UBND tỉnh Lạng Sơn về việc triển khai "
        "thực hiện các khuyến nghị của Đơn vị tư vấn DDCI tại Hội nghị công bố Bộ chỉ số DDCI năm 2023; "
        "Kế hoạch số 36/KH-UBND ngày 06/02/2024 của UBND tỉnh Lạng Sơn khắc phục các hạn chế năm 2023 "
        "và thực hiện đánh giá năng lực cạnh tranh cấp sở, ban, ngành và UBND cấp huyện (DDCI) năm 2024."
    ),
    (
        "Theo kết quả do UBND tỉnh Lạng Sơn công bố ngày 28/12/2023 tại Hội nghị công bố chỉ số đánh "
        "giá năng lực cạnh tranh (DDCI) cấp sở, ban, ngành (SBN) và UBND cấp huyện năm 2023, năm 2023 "
        "Sở Tài nguyên và Môi trường được đánh giá xếp hạng thứ 21/25 đơn vị, tăng 04 bậc xếp hạng so "
        "với năm 2022. Để khắc phục các chỉ số thành phần đạt điểm thấp nhằm cải thiện vị trí xếp hạng "
        "trong năm 2024, Sở Tài nguyên và Môi trường xây dựng kế hoạch thực hiện như sau:"
    ),
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích",
    (
        "- Xác định các chỉ số thành phần cần tập trung cải thiện trong năm 2024. Xây dựng các giải "
        "pháp phải cụ thể, rõ việc, rõ người phụ trách, phòng, đơn vị thực hiện, thời gian triển khai "
        "khắc phục những hạn chế năm 2023."
    ),
    (
        "- Kế hoạch này được triển khai sâu rộng đến từng phòng, đơn vị thuộc Sở bằng những giải pháp "
        "cụ thể. Tăng cường kiểm tra kỷ luật, kỷ cương hành chính, nâng cao chất lượng phục vụ người "
        "dân, doanh nghiệp."
    ),
    "2. Yêu cầu",
    (
        "Lãnh đạo Sở, Trưởng các phòng, đơn vị thuộc Sở nêu cao tinh thần trách nhiệm trong tổ chức "
        "thực hiện, đôn đốc, kiểm tra, giám sát, xử lý kịp thời các phát sinh trong quá trình thực hiện "
        "các chỉ số thành phần DDCI tại Kế hoạch này."
    ),
    "II. ĐÁNH GIÁ VỀ 08 CHỈ SỐ THÀNH PHẦN NĂM 2023 SO VỚI NĂM 2022 CỦA SỞ",
    "1. Chỉ số “Tính minh bạch và tiếp cận thông tin”",
    "- Về điểm số: Năm 2023 (7,63 điểm) giảm 0,45 điểm so với năm 2022 (8,08 điểm).",
    (
        "- Về thứ hạng so với các Sở, ban, ngành (SBN): Năm 2023 (xếp thứ 16/25) tăng 09 bậc so với năm "
        "2022 (xếp thứ 25/25)."
    ),
    (
        "- Đánh giá chung: Sở năm 2023 so với năm 2022 điểm số bị giảm, xếp thứ hạng so với các SBN "
        "tăng cao do các SBN điểm số bị giảm nhiều. Đánh giá năm 2023 Sở thực hiện không tốt bằng năm "
        "2022, cần phải phấn đấu cải thiện nữa trong năm 2024."
    ),
    "2. Chỉ số “Chi phí thời gian”",
    "- Về điểm số: Năm 2023 (6,39 điểm) giảm 0,42 điểm so với năm 2022 (6,81 điểm).",
    "- Về thứ hạng so với các SBN: Năm 2023 (xếp thứ 23/25) bằng với năm 2022 (xếp thứ 23/25).",
    (
        "- Đánh giá chung: Sở năm 2023 so với năm 2022 điểm số bị giảm, xếp thứ hạng so với các SBN "
        "tương đương, cần phải phấn đấu cải thiện rất nhiều trong năm 2024."
    ),
    "4. Chỉ số “Cạnh tranh bình đẳng”",
    "- Về điểm số: Năm 2023 (8,43 điểm) tăng 2,95 điểm so với năm 2022 (5,48 điểm).",
    "- Về thứ hạng so với các SBN: Năm 2023 (xếp thứ 13/25) tăng 05 bậc so với năm 2022 (xếp thứ 18/25).",
    (
        "- Đánh giá chung: Sở năm 2023 so với năm 2022 điểm số và thứ hạng so với các SBN tăng cao, cần "
        "phát huy và phấn đấu thực hiện tốt hơn nữa trong năm 2024."
    ),
    "III. NỘI DUNG VÀ GIẢI PHÁP THỰC HIỆN",
    (
        "Trên cơ sở nội dung đánh giá của 08 chỉ số thành phần tại Mục II Kế hoạch này, cần phải phát "
        "huy và phấn đấu thực hiện tốt hơn nữa 02 chỉ số thành phần; đồng thời, phấn đấu cải thiện 06 "
        "chỉ số thành phần còn thấp, cụ thể như sau:"
    ),
    "(1) TIẾP TỤC PHÁT HUY VÀ THỰC HIỆN TỐT HƠN NỮA 02 CHỈ SỐ TRONG NĂM 2024",
    "1. Chỉ số thứ 4: Chỉ số “Cạnh tranh bình đẳng”",
    "a) Lãnh đạo chủ trì: Đ/c Nguyễn Ngọc Thiều, Giám đốc Sở trực tiếp chỉ đạo.",
    (
        "b) Những hạn chế chính liên quan đến chỉ số “Cạnh tranh bình đẳng” trong năm 2023 được chỉ ra: "
        "Về việc cơ quan đối xử ưu ái hơn cho các tổng Công ty, tập đoàn lớn, doanh nghiệp nhà nước, "
        "doanh nghiệp FDI,... so với doanh nghiệp vừa và nhỏ."
    ),
    "c) Giải pháp thực hiện:",
    (
        "- Tiếp tục thực hiện tốt hơn nữa về công khai minh bạch đầy đủ các thông tin về quy hoạch, kế "
        "hoạch, cơ chế chính sách... đến với 100% doanh nghiệp (Giám đốc Văn phòng Đăng ký đất đai chủ "
        "trì, phối hợp với Trưởng các phòng, đơn vị liên quan thực hiện; báo cáo định kỳ về kết quả "
        "thực hiện tại cuộc họp giao ban hằng tháng)."
    ),
    (
        "- Kịp thời, thường xuyên đồng hành hướng dẫn, giúp đỡ, tháo gỡ các khó khăn, vướng mắc cho các "
        "Doanh nghiệp khi có yêu cầu (Trưởng các phòng, đơn vị liên quan thực hiện báo cáo về Chánh Văn "
        "phòng Sở tổng hợp; báo cáo định kỳ về kết quả thực hiện tại cuộc họp giao ban hằng tháng)."
    ),
    ("(2) PHẤN ĐẤU THỰC HIỆN KHẮC PHỤC 06 CHỈ SỐ THẤP ĐIỂM ĐƯỢC ĐÁNH GIÁ NĂM 2023 ĐỂ CẢI THIỆN ĐIỂM SỐ TRONG NĂM 2024"),
    "1. Chỉ số thứ 1: Chỉ số “Tính minh bạch và tiếp cận thông tin”",
    "a) Lãnh đạo chủ trì: Đ/c Ngô Viết Hải, Phó Giám đốc Sở trực tiếp chỉ đạo.",
    (
        "b) Những hạn chế chính liên quan đến chỉ số “Tính minh bạch và tiếp cận thông tin” trong năm "
        "2023 được chỉ ra: Về trang thông tin điện tử của Sở; về thực hiện thủ tục hành chính (TTHC) "
        "trên dịch vụ công trực tuyến."
    ),
    "c) Giải pháp thực hiện:",
    (
        "- Về trang thông tin điện tử của Sở: kịp thời kiểm tra, khắc phục triệt để những lỗi đường "
        "truyền mạng internet ảnh hưởng đến việc truy cập (Giám đốc Văn phòng Đăng ký đất đai chủ trì, "
        "phối hợp với Trưởng các phòng, đơn vị liên quan thực hiện; báo cáo định kỳ về kết quả thực "
        "hiện tại cuộc họp giao ban hằng tháng)."
    ),
    "- Thường xuyên rà soát nâng cao tối đa TTHC được cung cấp lên dịch vụ công trực tuyến.",
    "IV. TỔ CHỨC THỰC HIỆN",
    (
        "1. Yêu cầu các đồng chí Lãnh đạo Sở được phân công phụ trách từng chỉ số tại Kế hoạch này chủ "
        "động lãnh đạo, chỉ đạo tổ chức thực hiện đảm bảo có hiệu quả."
    ),
    (
        "2. Các phòng, đơn vị thuộc Sở căn cứ nội dung Kế hoạch này chủ động xây dựng kế hoạch chi tiết "
        "xong trước ngày 28/02/2024, trong đó: yêu cầu phân công công chức, viên chức triển khai ngay "
        "các nội dung công việc để cải thiện điểm các chỉ số thành phần theo đúng tiến độ được giao."
    ),
    "3. Giao Văn phòng Sở:",
    "- Thường xuyên đôn đốc, theo dõi, kiểm tra tiến độ triển khai, thực hiện Kế hoạch này;",
    (
        "Trong quá trình triển khai thực hiện, đề nghị các phòng, đơn vị thuộc Sở kịp thời phản ánh khó "
        "khăn, vướng mắc gửi ý kiến bằng văn bản về Văn phòng Sở để báo cáo Giám đốc Sở xem xét, sửa "
        "đổi cho phù hợp với thực tế./."
    ),
    (
        "Nơi nhận: / - UBND tỉnh (để b/c); / - Sở Kế hoạch và Đầu tư; / - Hiệp hội Doanh nghiệp tỉnh "
        "Lạng Sơn; / - Lãnh đạo Sở; / - Các phòng, đơn vị thuộc Sở (thực hiện); / - Văn phòng Sở (theo "
        "dõi, đôn đốc); / - Lưu: VT, VP. | GIÁM ĐỐC / Nguyễn Ngọc Thiều"
    ),
]
GOLDEN_BAO_CAO: list[str] = [
    (
        "UBND TỈNH LẠNG SƠN / SỞ TÀI NGUYÊN VÀ / MÔI TRƯỜNG | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc "
        "lập - Tự do - Hạnh phúc"
    ),
    "Số: 05/BC-STNMT | Lạng Sơn, ngày 05 tháng 4 năm 2024",
    "BÁO CÁO",
    "Kết quả thực hiện Kế hoạch nâng cao chỉ số đánh giá năng lực",
    "cạnh tranh của Sở Tài nguyên và Môi trường tháng 3 năm 2024",
    "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn.",
    (
        "Thực hiện Kế hoạch số 36/KH-UBND ngày 06/02/2024 của UBND tỉnh Lạng Sơn; Kế hoạch số "
        "15/KH-STNMT ngày 20/02/2024 của Sở Tài nguyên và Môi trường về việc nâng cao chỉ số đánh giá "
        "năng lực cạnh tranh năm 2024, Sở Tài nguyên và Môi trường báo cáo kết quả thực hiện tháng 3 "
        "năm 2024 như sau:"
    ),
    "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO",
    (
        "Ngay sau khi Kế hoạch được ban hành, Lãnh đạo Sở đã tổ chức quán triệt đến toàn thể công chức, "
        "viên chức và người lao động; phân công Lãnh đạo Sở phụ trách từng chỉ số thành phần."
    ),
    (
        "Các phòng, đơn vị thuộc Sở đã xây dựng kế hoạch chi tiết, phân công cụ thể người thực hiện và "
        "thời hạn hoàn thành từng nhiệm vụ & báo cáo định kỳ hằng tháng."
    ),
    "II. KẾT QUẢ THỰC HIỆN TRONG THÁNG 3 NĂM 2024",
    (
        "Tổng số nhiệm vụ được giao: 03 nhiệm vụ; đã hoàn thành 02 nhiệm vụ; đang thực hiện 01 nhiệm "
        "vụ. Kết quả cụ thể như sau:"
    ),
    "1. Chỉ số “Tính minh bạch và tiếp cận thông tin”",
    "Có 02 nhiệm vụ; đã hoàn thành 02 nhiệm vụ.",
    ("- Đã đăng tải đầy đủ 12 văn bản quy phạm pháp luật mới của ngành trên trang thông tin điện tử của Sở."),
    "- Đã trả lời 03/03 kiến nghị của doanh nghiệp trong thời hạn 07 ngày.",
    "2. Chỉ số “Chi phí thời gian”",
    "Có 02 nhiệm vụ; đã hoàn thành 01 nhiệm vụ, đang thực hiện 01 nhiệm vụ.",
    "- Rà soát 45 thủ tục hành chính, đề xuất cắt giảm thời gian giải quyết 05 thủ tục.",
    "III. TỒN TẠI, HẠN CHẾ, KHÓ KHĂN",
    "- Một số phòng, đơn vị báo cáo chưa đúng thời hạn quy định.",
    "- Tỷ lệ hồ sơ nộp trực tuyến toàn trình còn thấp.",
    "IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI",
    "- Tiếp tục thực hiện các nhiệm vụ chưa hoàn thành trong tháng 3 năm 2024.",
    "- Tăng cường kiểm tra kỷ luật, kỷ cương hành chính tại Bộ phận một cửa.",
    "V. ĐỀ XUẤT, KIẾN NGHỊ",
    ("- Đề nghị UBND tỉnh chỉ đạo Sở Thông tin và Truyền thông hỗ trợ nâng cấp trang thông tin điện tử của Sở."),
    "Sở Tài nguyên và Môi trường báo cáo Ủy ban nhân dân tỉnh xem xét, chỉ đạo./.",
    (
        "Nơi nhận: / - Như trên; / - Sở Kế hoạch và Đầu tư; / - Lãnh đạo Sở; / - Các phòng, đơn vị "
        "thuộc Sở; / - Lưu: VT, VP. | KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC / Ngô Viết Hải"
    ),
    "Phụ lục",
    "TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ CỦA KẾ HOẠCH THÁNG 3 NĂM 2024",
    "(Kèm theo Báo cáo số 05/BC-STNMT ngày 05 tháng 4 năm 2024 của Sở Tài nguyên và Môi trường)",
    "STT | Nhiệm vụ | Đơn vị chủ trì | Tình trạng | Tỷ lệ hoàn thành (%) | Kết quả thực hiện",
    (
        "1 | Nhiệm vụ 1: rà soát, công khai thủ tục hành chính thuộc chỉ số “Tính minh bạch và tiếp cận "
        "thông tin” trên trang thông tin điện tử của Sở | Văn phòng Sở | Hoàn thành | 100 | Đã đăng tải "
        "12 văn bản, trả lời 03 kiến nghị"
    ),
    (
        "2 | Nhiệm vụ 2: rà soát, công khai thủ tục hành chính thuộc chỉ số “Chi phí thời gian” trên "
        "trang thông tin điện tử của Sở | Thanh tra Sở | Hoàn thành | 100 | Đã đăng tải 12 văn bản, trả "
        "lời 03 kiến nghị"
    ),
    (
        "3 | Nhiệm vụ 3: rà soát, công khai thủ tục hành chính thuộc chỉ số “Chi phí không chính thức” "
        "trên trang thông tin điện tử của Sở | Chi cục Bảo vệ môi trường | Đang thực hiện | 60 | Đang "
        "tổng hợp"
    ),
    "BIẾN ĐỘNG ĐIỂM SỐ, THỨ HẠNG CÁC CHỈ SỐ THÀNH PHẦN NĂM 2023 SO VỚI NĂM 2022",
    "STT | Chỉ số thành phần | Điểm số | Thứ hạng | Nhóm",
    "Năm 2022 | Năm 2023 | Tăng (+), giảm (-) | Năm 2022 | Năm 2023 | Tăng (+), giảm (-) bậc",
    "1 | Tính minh bạch và tiếp cận thông tin | 8,08 | 7,63 | -0,45 | 25/25 | 16/25 | +09 | Cần cải thiện",
    "2 | Chi phí thời gian | 6,81 | 6,39 | -0,42 | 23/25 | 23/25 | 0 | Cần cải thiện",
    "3 | Chi phí không chính thức | 8,05 | 6,83 | -1,22 | 16/25 | 21/25 | -05 | Cần cải thiện",
    "4 | Cạnh tranh bình đẳng | 5,48 | 8,43 | +2,95 | 18/25 | 13/25 | +05 | Phát huy",
    "5 | Dịch vụ hỗ trợ doanh nghiệp | 5,46 | 6,87 | +1,41 | 20/25 | 19/25 | +01 | Phát huy",
    "6 | Thiết chế pháp lý | 6,27 | 8,66 | +2,39 | 23/25 | 24/25 | -01 | Cần cải thiện",
    "7 | Vai trò người đứng đầu | 7,67 | 7,89 | +0,22 | 25/25 | 24/25 | +01 | Cần cải thiện",
    ("8 | Tính năng động và hiệu lực của hệ thống | 5,71 | 7,12 | +1,41 | 23/25 | 23/25 | 0 | Cần cải thiện"),
]
