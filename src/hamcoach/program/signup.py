"""The clinic's sign-up (PROGRAM.md section 5): an exercise audit or a free 2-week trial for people
living in Bucks or Montgomery County, Pennsylvania.

Pure: the service area is data, and :func:`check_zip` says whether a ZIP code is in it, in words
the person reads. Border ZIP codes (part in the area, part outside) are accepted and marked, so
that staff confirm the address when they call.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from hamcoach.program.errors import InvalidZipError

Offer = Literal["audit", "trial"]
OFFERS: dict[Offer, str] = {
    "audit": "an exercise audit",
    "trial": "a free 2-week trial",
}

SERVICE_AREA_SOURCE = (
    "clinic: USPS ZIP codes (standard and PO box) of Bucks County and Montgomery County, PA, by "
    "post-office county, checked against the USPS data of the `zipcodes` package "
    "(tests/program/test_signup.py); the clinic keeps this list and confirms border addresses"
)

_BUCKS = (
    "18077 18081 18901 18902 18910 18911 18912 18913 18914 18916 18917 18920 18921 18922 18923 "
    "18925 18926 18927 18928 18929 18930 18931 18932 18933 18934 18935 18938 18940 18942 18943 "
    "18944 18946 18947 18949 18950 18951 18953 18954 18955 18956 18960 18962 18963 18966 18968 "
    "18970 18972 18974 18976 18977 18980 18981 19007 19020 19021 19030 19047 19053 19054 19055 "
    "19056 19057 19067 "
    # PO-box ZIP codes (a mailing address in the county)
    "18039 19058"
)
_MONTGOMERY = (
    "18041 18054 18073 18074 18076 18915 18918 18924 18936 18957 18958 18964 18969 18971 18979 "
    "19001 19002 19004 19006 19009 19012 19025 19027 19031 19034 19035 19038 19040 19044 19046 "
    "19066 19072 19075 19090 19095 19096 19401 19403 19405 19406 19422 19426 19428 19435 19436 "
    "19437 19438 19440 19443 19444 19446 19453 19454 19456 19462 19464 19468 19473 19477 19490 "
    "19492 19525 18070 "
    # PO-box ZIP codes (a mailing address in the county)
    "18084 19404 19407 19408 19409 19420 19423 19430 19450 19451 19472 19474 19478 19481 19482 "
    "19484 19485 19486"
)
_BORDER = {
    "19003": "Montgomery",  # Ardmore: part in Delaware County
    "19010": "Montgomery",  # Bryn Mawr: part in Delaware County
    "19041": "Montgomery",  # Haverford: part in Delaware County
    "18036": "Bucks",  # Coopersburg: mostly Lehigh County
    "18969": "Montgomery",  # Telford: part in Bucks County (both in the area)
}

SERVICE_AREA: dict[str, str] = {
    **{z: "Bucks" for z in _BUCKS.split()},
    **{z: "Montgomery" for z in _MONTGOMERY.split()},
    **_BORDER,
}


class AreaCheck(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    zip: str
    in_area: bool
    county: str | None
    border: bool
    message: str


def normalize_zip(text: str) -> str:
    """``'18901'`` or ``'18901-1234'`` to ``'18901'``; anything else is an error."""
    m = re.fullmatch(r"\s*(\d{5})(?:-\d{4})?\s*", text)
    if not m:
        raise InvalidZipError(f"{text.strip()!r} is not a US ZIP code.")
    return m.group(1)


def check_zip(text: str) -> AreaCheck:
    """Whether the clinic serves this ZIP code, with the sentence to show."""
    z = normalize_zip(text)
    county = SERVICE_AREA.get(z)
    if county is None:
        return AreaCheck(
            zip=z,
            in_area=False,
            county=None,
            border=False,
            message=(
                "Thank you for your interest. The clinic's audits and trials are for people "
                "living in Bucks or Montgomery County, Pennsylvania, and your ZIP code is outside "
                "that area, so we cannot sign you up. The exercises and their form checks in "
                "HamCoach are still yours to use; a local physical therapist can supervise them."
            ),
        )
    border = z in _BORDER
    return AreaCheck(
        zip=z,
        in_area=True,
        county=county,
        border=border,
        message=(
            f"Good news: the clinic serves {county} County"
            + (
                " (staff will confirm your address: this ZIP code crosses a county line)"
                if border
                else ""
            )
            + "."
        ),
    )
