"""The service area of the clinic's offer (PROGRAM.md section 5)."""

from __future__ import annotations

import pytest

from hamcoach.program.errors import InvalidZipError
from hamcoach.program.signup import SERVICE_AREA, check_zip, normalize_zip


@pytest.mark.parametrize(
    ("zip_code", "county"),
    [("18901", "Bucks"), ("19067", "Bucks"), ("19401", "Montgomery"), ("19446-1234", "Montgomery")],
)
def test_zip_codes_in_bucks_and_montgomery_are_served(zip_code: str, county: str) -> None:
    area = check_zip(zip_code)
    assert (area.in_area, area.county, area.border) == (True, county, False)
    assert area.message == f"Good news: the clinic serves {county} County."


def test_a_border_zip_is_served_and_staff_confirm_the_address() -> None:
    area = check_zip("19003")
    assert (area.in_area, area.county, area.border) == (True, "Montgomery", True)
    assert "staff will confirm your address" in area.message


@pytest.mark.parametrize("zip_code", ["19103", "10001", "18015", "90210"])
def test_outside_the_area_people_are_told_politely(zip_code: str) -> None:
    area = check_zip(zip_code)
    assert (area.in_area, area.county) == (False, None)
    assert area.message.startswith("Thank you for your interest.")
    assert "Bucks or Montgomery County, Pennsylvania" in area.message


@pytest.mark.parametrize("text", ["", "1890", "18901-12", "ABCDE", "189011"])
def test_a_malformed_zip_code_is_a_typed_error(text: str) -> None:
    with pytest.raises(InvalidZipError):
        normalize_zip(text)


def test_the_service_area_is_pennsylvania_zip_codes_only() -> None:
    assert all(z.startswith(("18", "19")) and len(z) == 5 for z in SERVICE_AREA)
    assert set(SERVICE_AREA.values()) == {"Bucks", "Montgomery"}
    assert len(SERVICE_AREA) > 100


def test_the_list_agrees_with_the_usps_data_of_the_zipcodes_package() -> None:
    zipcodes = pytest.importorskip("zipcodes")
    from hamcoach.program.signup import _BORDER

    for z, county in SERVICE_AREA.items():
        (record,) = zipcodes.matching(z)
        if z not in _BORDER:
            assert (record["state"], record["county"]) == ("PA", f"{county} County"), z
    served = {
        r["zip_code"]
        for r in zipcodes.filter_by(state="PA")
        if r["county"] in ("Bucks County", "Montgomery County")
        and r["zip_code_type"] in ("STANDARD", "PO BOX")
    }
    assert served <= set(SERVICE_AREA)
