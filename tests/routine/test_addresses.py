"""Email addresses from the DonVi table: accepted as typed, or left out with a warning, never corrected."""

from __future__ import annotations

from dataclasses import replace

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
