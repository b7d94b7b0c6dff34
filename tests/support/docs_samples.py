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
    "short_name": "Sở",
    "province_committee": "Ủy ban nhân dân tỉnh Lạng Sơn",
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
    "doc": {"number_line": "Số:      /KH-STNMT", "place_date": "Lạng Sơn, ngày      tháng 02 năm 2024"},
    "signer": {"authority_lines": ["GIÁM ĐỐC"], "name": "Nguyễn Ngọc Thiều"},
    "recipients": RECIPIENTS,
    "extra": {
        "I": [],
        "II": [],
        "III": [],
        "IV": [
            "- Giao Văn phòng Đăng ký đất đai thực hiện tham mưu cho Sở: đẩy mạnh công tác rà soát và cấp Giấy "
            "chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất theo quy định."
        ],
    },
    "plan": {
        "year": 2024,
        "basis": (
            "Thực hiện Công văn số 24/UBND-KT ngày 04/01/2024 của UBND tỉnh Lạng Sơn về việc triển khai "
            "thực hiện các khuyến nghị của Đơn vị tư vấn DDCI tại Hội nghị công bố Bộ chỉ số DDCI năm "
            "2023; Kế hoạch số 36/KH-UBND ngày 06/02/2024 của UBND tỉnh Lạng Sơn khắc phục các hạn chế "
            "năm 2023 và thực hiện đánh giá năng lực cạnh tranh cấp sở, ban, ngành và UBND cấp huyện "
            "(DDCI) năm 2024."
        ),
        "announced": (
            "Theo kết quả do UBND tỉnh Lạng Sơn công bố ngày 28/12/2023 tại Hội nghị công bố chỉ số "
            "đánh giá năng lực cạnh tranh (DDCI) cấp sở, ban, ngành (SBN) và UBND cấp huyện năm 2023."
        ),
        "overall": "xếp hạng thứ 21/25 đơn vị, tăng 04 bậc xếp hạng so với năm 2022",
        "detail_deadline": "28/02/2024",
        "focal_unit": "Văn phòng Sở",
    },
    "ddci": {"year": 2023, "base_year": 2022, "indicators": "08"},
    "indicators": [
        {
            "number": 1,
            "name": "Tính minh bạch và tiếp cận thông tin",
            "score_sentence": "Năm 2023 (7,63 điểm) giảm 0,45 điểm so với năm 2022 (8,08 điểm)",
            "rank_block": "các Sở, ban, ngành (SBN)",
            "rank_sentence": "Năm 2023 (xếp thứ 16/25) tăng 09 bậc so với năm 2022 (xếp thứ 25/25)",
            "assessment": (
                "Sở năm 2023 so với năm 2022 điểm số bị giảm, xếp thứ hạng so với các SBN tăng cao "
                "do các SBN điểm số bị giảm nhiều. Đánh giá năm 2023 Sở thực hiện không tốt bằng năm "
                "2022, cần phải phấn đấu cải thiện nữa trong năm 2024."
            ),
        },
        {
            "number": 2,
            "name": "Chi phí thời gian",
            "score_sentence": "Năm 2023 (6,39 điểm) giảm 0,42 điểm so với năm 2022 (6,81 điểm)",
            "rank_block": "các SBN",
            "rank_sentence": "Năm 2023 (xếp thứ 23/25) bằng với năm 2022 (xếp thứ 23/25)",
            "assessment": (
                "Sở năm 2023 so với năm 2022 điểm số bị giảm, xếp thứ hạng so với các SBN tương "
                "đương, cần phải phấn đấu cải thiện rất nhiều trong năm 2024."
            ),
        },
        {
            "number": 4,
            "name": "Cạnh tranh bình đẳng",
            "score_sentence": "Năm 2023 (8,43 điểm) tăng 2,95 điểm so với năm 2022 (5,48 điểm)",
            "rank_block": "các SBN",
            "rank_sentence": "Năm 2023 (xếp thứ 13/25) tăng 05 bậc so với năm 2022 (xếp thứ 18/25)",
            "assessment": (
                "Sở năm 2023 so với năm 2022 điểm số và thứ hạng so với các SBN tăng cao, cần phát "
                "huy và phấn đấu thực hiện tốt hơn nữa trong năm 2024."
            ),
        },
    ],
    "keep": {"count": "02", "items": [{"code": "4", "name": "Cạnh tranh bình đẳng"}]},
    "fix": {
        "count": "06",
        "items": [
            {"code": "1", "name": "Tính minh bạch và tiếp cận thông tin"},
            {"code": "2", "name": "Chi phí thời gian"},
        ],
    },
    "groups": [
        {
            "number": 1,
            "keep": True,
            "count": "02",
            "items": [
                {
                    "number": 1,
                    "code": "4",
                    "name": "Cạnh tranh bình đẳng",
                    "leader": "Đ/c Nguyễn Ngọc Thiều",
                    "leader_title": "Giám đốc Sở",
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
            "number": 2,
            "keep": False,
            "count": "06",
            "items": [
                {
                    "number": 1,
                    "code": "1",
                    "name": "Tính minh bạch và tiếp cận thông tin",
                    "leader": "Đ/c Ngô Viết Hải",
                    "leader_title": "Phó Giám đốc Sở",
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
                "status": "Hoàn thành" if done else "Đang triển khai",
                "percent": "100" if done else "60",
                "results": (
                    "- Đã đăng tải 12 văn bản, trả lời 03 kiến nghị (Văn phòng Sở).\a"
                    "- Đã rà soát 45 thủ tục hành chính (Thanh tra Sở)."
                    if done
                    else "- Đang tổng hợp (Chi cục Bảo vệ môi trường)."
                ),
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
        "agency": copy.deepcopy(AGENCY),
        "doc": {
            "number_line": "Số: 05/BC-STNMT",
            "place_date": "Lạng Sơn, ngày 05 tháng 4 năm 2024",
            "ref_number": "05/BC-STNMT",
            "ref_date": "ngày 05 tháng 4 năm 2024",
        },
        "signer": {"authority_lines": ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "name": "Ngô Viết Hải"},
        "recipients": [
            "- Như trên;",
            "- Sở Kế hoạch và Đầu tư;",
            "- Lãnh đạo Sở;",
            "- Các phòng, đơn vị thuộc Sở;",
            "- Lưu: VT, VP.",
        ],
        "extra": {"I": [], "II": [], "III": [], "IV": [], "V": []},
        "period": {"name": "tháng 3 năm 2024", "year": 2024},
        "basis": (
            "Thực hiện Kế hoạch số 36/KH-UBND ngày 06/02/2024 của UBND tỉnh Lạng Sơn; Kế hoạch số "
            "15/KH-STNMT ngày 20/02/2024 của Sở Tài nguyên và Môi trường về việc nâng cao chỉ số "
            "đánh giá năng lực cạnh tranh năm 2024, Sở Tài nguyên và Môi trường báo cáo kết quả thực "
            "hiện tháng 3 năm 2024 như sau:"
        ),
        "counts": {"leaders": "05", "indicators": "08", "tasks": f"{n_tasks:02d}"},
        "sent": {
            "count": 7,
            "expected": 8,
            "late": "Phòng Quản lý đất đai",
            "missing": "Trung tâm Quan trắc tài nguyên và môi trường",
            "missing_count": "01",
        },
        "months": [],
        "as_of": "",
        "completed": [],
        "trails": [],
        "annual": {},
        "categories": f"{done:02d} nhiệm vụ hoàn thành, {n_tasks - done:02d} nhiệm vụ đang triển khai",
        "results": [
            {
                "number": 1,
                "name": "Tính minh bạch và tiếp cận thông tin",
                "count": "02",
                "categories": "02 nhiệm vụ hoàn thành",
                "items": [
                    "Đã đăng tải đầy đủ 12 văn bản quy phạm pháp luật mới của ngành trên trang thông tin điện "
                    "tử của Sở (Văn phòng Đăng ký đất đai).",
                    "Đã trả lời 03/03 kiến nghị của doanh nghiệp trong thời hạn 07 ngày (Văn phòng Sở, Thanh tra Sở).",
                ],
            },
            {
                "number": 2,
                "name": "Chi phí thời gian",
                "count": "02",
                "categories": "01 nhiệm vụ hoàn thành, 01 nhiệm vụ đang triển khai",
                "items": [],
            },
        ],
        "difficulties": [
            "Một số phòng, đơn vị báo cáo chưa đúng thời hạn quy định (Văn phòng Sở).",
            "Tỷ lệ hồ sơ nộp trực tuyến toàn trình còn thấp (Văn phòng Đăng ký đất đai).",
        ],
        "next_tasks": [
            {"task": "Tăng cường kiểm tra kỷ luật, kỷ cương hành chính tại Bộ phận một cửa", "lead": "Thanh tra Sở"},
        ],
        "proposals": [],
        "ddci": {"year": 2023, "base_year": 2022},
        "appendix": {"progress_rows": _progress_rows(n_tasks), "change_rows": _change_rows()},
    }


def bao_cao_period_context() -> dict[str, Any]:
    """The Báo cáo of a year from the monthly history: the month-by-month keys filled."""
    ctx = _bao_cao(3)
    ctx["period"] = {"name": "năm 2024", "year": 2024}
    ctx["months"] = [
        {"name": "Tháng 1 và tháng 2 năm 2024", "has_data": False, "sent": 0, "expected": 8}
        | {"late": "", "rejected": "", "missing": ""},
        {
            "name": "Tháng 3 năm 2024",
            "has_data": True,
            "sent": 7,
            "expected": 8,
            "late": "Phòng Quản lý đất đai",
            "rejected": "Phòng Quản lý Tài nguyên nước và Khoáng sản",
            "missing": "Trung tâm Quan trắc tài nguyên và môi trường",
        },
        {"name": "Tháng 4 năm 2024", "has_data": True, "sent": 8, "expected": 8}
        | {"late": "", "rejected": "", "missing": ""},
        {"name": "Từ tháng 5 đến tháng 12 năm 2024", "has_data": False, "sent": 0, "expected": 8}
        | {"late": "", "rejected": "", "missing": ""},
    ]
    ctx["as_of"] = "tháng 4 năm 2024"
    ctx["completed"] = [
        {
            "task": "1.1. Về trang thông tin điện tử của Sở",
            "lead": "Văn phòng Đăng ký đất đai",
            "month": "tháng 4 năm 2024",
            "date": "10/04/2024",
        }
    ]
    ctx["trails"] = [
        {"task": "2.1. Thực hiện rà soát, đánh giá toàn bộ các TTHC", "lead": "Các phòng, đơn vị"}
        | {"trail": "60% (tháng 3) → 75% (tháng 4)"}
    ]
    ctx["annual"] = {
        "done": "02",
        "carried": "01",
        "next_year": 2025,
        "overall": "",
        "indicators": [],
    }
    return ctx


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


GOLDEN = Path(__file__).resolve().parents[1] / "documents" / "golden"


def golden(name: str) -> list[str]:
    """Golden text (``docx_lines``) from ``tests/documents/golden``; never .docx bytes.

    ``sample_*.txt`` are the samples above rendered with the default templates
    (``ke_hoach_context()``, ``bao_cao_context(3)``, ``bao_cao_period_context()``); refresh
    every golden with ``python -m tests.documents.test_reports`` and read the diff.
    """
    return (GOLDEN / name).read_text(encoding="utf-8").splitlines()
