"""The clinic's service area, decided from a ZIP code with the ``zipcodes`` package (USPS data:
each ZIP code's state and county, kept up to date by that package's releases).

Bucks and Montgomery County, Pennsylvania (PROGRAM.md section 5). ZIP codes that the program's own
list (:data:`hamcoach.program.signup.SERVICE_AREA`) marks as crossing a county line are accepted
and marked, so staff confirm the address when they call.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import zipcodes

from hamcoach.program.signup import _BORDER as BORDER_ZIPS

SERVICE_STATE = "PA"
SERVICE_COUNTIES: tuple[str, ...] = ("Bucks County", "Montgomery County")

_matching = cast(Callable[[str], list[dict[str, Any]]], zipcodes.matching)


@dataclass(frozen=True)
class AreaAnswer:
    zip: str
    valid: bool
    in_area: bool
    county: str | None
    """Bucks or Montgomery when in the area; the ZIP code's own county otherwise (if known)."""
    town: str | None
    border: bool


def lookup_zip(text: str) -> AreaAnswer:
    """Whether the clinic serves a ZIP code (``12345`` or ``12345-6789``)."""
    m = re.fullmatch(r"\s*(\d{5})(?:-\d{4})?\s*", text)
    if m is None:
        return AreaAnswer(text.strip()[:10], False, False, None, None, False)
    z = m.group(1)
    found = [r for r in _matching(z) if r.get("active", True)]
    if not found:
        return AreaAnswer(z, False, False, None, None, False)
    record = found[0]
    county = str(record.get("county") or "")
    town = str(record.get("city") or "").title() or None
    in_area = record.get("state") == SERVICE_STATE and county in SERVICE_COUNTIES
    if not in_area and z in BORDER_ZIPS:
        # USPS files it under the neighbouring county, but part of it lies in the area.
        in_area, county = True, f"{BORDER_ZIPS[z]} County"
    return AreaAnswer(
        zip=z,
        valid=True,
        in_area=in_area,
        county=county.removesuffix(" County") if in_area else (county or None),
        town=town,
        border=z in BORDER_ZIPS,
    )
