"""Email addresses from the DonVi table: accepted as typed, or left out with a warning, never corrected."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from xl_addin.plan.seed import seed_plan
from xl_addin.routine.addresses import is_address, unit_recipients


@pytest.mark.parametrize(
    "text",
    ["vanphong@stnmt.example.org", "vp.stnmt@langson.example.gov.vn", "a+b@x.test", "ttqt@xn--bcher-kva.example"],
)
def test_plain_addresses_are_accepted(text: str) -> None:
    assert is_address(text)


@pytest.mark.parametrize(
    "text",
    [
        "vanphong@stnmt,example.org",  # comma for a dot
        "van phong@stnmt.example.org",  # a space
        "vănphòng@stnmt.example.org",  # diacritics
        "mailto:vp@stnmt.example.org",
        "vp@stnmt",  # no dot in the domain
        "vp@@stnmt.example.org",
        "vp.@stnmt.example.org",
        "Văn phòng <vp@stnmt.example.org>",
        "vp@stnmt.example.org.",
    ],
)
def test_malformed_addresses_are_refused(text: str) -> None:
    assert not is_address(text)


def test_cell_with_several_addresses_keeps_the_good_ones_and_names_the_cell() -> None:
    plan = seed_plan()
    units = list(plan.units)
    units[1] = replace(units[1], email="thanhtra@stnmt.example.org; chanh.tt@stnmt,example.org")
    units[2] = replace(units[2], email="")
    recipients = unit_recipients(replace(plan, units=tuple(units)), {"TTRA": "Đơn vị!E3"})
    assert recipients.of("TTRA") == ("thanhtra@stnmt.example.org",)
    (warning,) = recipients.warnings
    assert warning.startswith("TTRA (Thanh tra Sở), ô Đơn vị!E3: địa chỉ email “chanh.tt@stnmt,example.org”")
    assert recipients.without_address(["VP", "TTRA", "VPDKDD"]) == ["VPDKDD"]


def _drop_last_column(master: Path, table_name: str) -> None:
    """An older master: the table as it was before its last column was added."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import range_boundaries

    wb = load_workbook(master)
    ws = next(w for w in wb.worksheets if table_name in w.tables)
    table = ws.tables[table_name]
    left, top, right, bottom = range_boundaries(table.ref)
    for row in range(top, bottom + 1):
        ws.cell(row=row, column=right).value = None
    table.ref = f"{get_column_letter(left)}{top}:{get_column_letter(right - 1)}{bottom}"
    table.tableColumns = table.tableColumns[:-1]
    table.autoFilter.ref = table.ref
    wb.save(master)


def test_an_older_master_without_the_new_columns_still_reads(tmp_path: Path) -> None:
    from xl_addin.plan.reader import read_master
    from xl_addin.plan.writer import write_master

    master = write_master(seed_plan(), tmp_path / "master.xlsx")
    _drop_last_column(master, "DonVi")  # Email
    _drop_last_column(master, "NhiemVu")  # Chuyển tiếp
    plan = read_master(master)
    assert all(u.email == "" for u in plan.units) and not any(t.carried_over for t in plan.tasks)
    assert unit_recipients(plan, {}).without_address(list(plan.unit_codes)) == list(plan.unit_codes)


def test_a_bad_carried_over_mark_is_a_master_problem_naming_the_cell(tmp_path: Path) -> None:
    from tests.support.master_cells import set_cells
    from xl_addin.core.errors import MasterDataError
    from xl_addin.plan.reader import read_master
    from xl_addin.plan.writer import write_master

    master = write_master(seed_plan(), tmp_path / "master.xlsx")
    set_cells(master, "NhiemVu", "Mã nhiệm vụ", {"1.1": {"Chuyển tiếp": "x"}})
    with pytest.raises(MasterDataError, match=r"Nhiệm vụ!J2\] “x” không hợp lệ; chọn “Có” hoặc “Không”"):
        read_master(master)
