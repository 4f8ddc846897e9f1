"""The public sign-up: service area from the ZIP code, red flags, spam protection."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from hamcoach.storage.models import LeadRow
from hamcoach.web.area import lookup_zip
from hamcoach.web.models import LeadClinicRow
from tests.web.helpers import HTML, build_app

ALL_CLEAR = {"screen_done": "yes"}


def signup_form(client: TestClient) -> dict[str, str]:
    page = client.get("/signup", headers=HTML).text
    fields = dict(re.findall(r'type="hidden" name="(csrf_token|stamp)" value="([^"]+)"', page))
    assert set(fields) == {"csrf_token", "stamp"}
    return fields


def send(client: TestClient, **values: str) -> tuple[int, str]:
    data = {**signup_form(client), "offer": "trial", **ALL_CLEAR, **values}
    r = client.post("/signup", data=data, headers=HTML)
    return r.status_code, r.text


def leads(client: TestClient) -> list[LeadRow]:
    db = client.app.state.web.db  # type: ignore[attr-defined]
    with db.transaction() as s:
        return list(s.scalars(select(LeadRow).order_by(LeadRow.id)))


@pytest.mark.parametrize(
    ("zip_code", "in_area", "county"),
    [
        ("18901", True, "Bucks"),  # Doylestown
        ("19067", True, "Bucks"),  # Yardley
        ("19401", True, "Montgomery"),  # Norristown
        ("19046-1234", True, "Montgomery"),  # ZIP+4, Jenkintown
        ("19104", False, "Philadelphia County"),
        ("10001", False, "New York County"),
        ("18101", False, "Lehigh County"),  # Allentown, next door
    ],
)
def test_the_service_area_comes_from_the_zip_code(
    zip_code: str, in_area: bool, county: str
) -> None:
    answer = lookup_zip(zip_code)
    assert answer.valid and answer.in_area == in_area and answer.county == county


def test_not_a_zip_code() -> None:
    assert not lookup_zip("1890").valid
    assert not lookup_zip("00000").valid
    assert not lookup_zip("hello").valid


def test_a_bucks_county_visitor_is_accepted_and_lands_in_the_inbox(client: TestClient) -> None:
    before = len(leads(client))
    status, page = send(client, name="Jo Bloggs", phone="215-555-0101", zip="18901")
    assert status == 200
    assert "you are signed up" in page and "Bucks County" in page
    rows = leads(client)
    assert len(rows) == before + 1
    new = rows[-1]
    assert (new.name, new.zip, new.county, new.urgent, new.status) == (
        "Jo Bloggs",
        "18901",
        "Bucks",
        False,
        "new",
    )
    db = client.app.state.web.db  # type: ignore[attr-defined]
    with db.transaction() as s:
        assert s.get(LeadClinicRow, new.id) is not None


def test_a_visitor_from_elsewhere_is_told_kindly_and_nothing_is_kept(client: TestClient) -> None:
    before = len(leads(client))
    status, page = send(client, name="Far Away", email="far@example.com", zip="10001")
    assert status == 200
    assert "Thank you for your interest" in page and "outside that area" in page
    assert "We have not kept any of the details" in page
    assert len(leads(client)) == before


def test_a_red_flag_is_told_to_see_a_doctor_and_gets_no_trial(client: TestClient) -> None:
    status, page = send(
        client, name="Red Flag", phone="215-555-0102", zip="19401", flag_leg_weakness="yes"
    )
    assert status == 200
    assert "Please see a doctor first" in page and "cannot offer a trial" in page
    assert "call 911" in page  # new leg weakness is an emergency
    assert "signed up" not in page
    lead = leads(client)[-1]
    assert lead.urgent and lead.red_flags == ["leg_weakness"]


def test_missing_answers_are_listed(client: TestClient) -> None:
    data = {**signup_form(client), "offer": "trial", "zip": "abc"}
    r = client.post("/signup", data=data, headers=HTML)
    assert r.status_code == 400
    for text in (
        "tell us your name",
        "phone number or an e-mail",
        "5-digit ZIP",
        "health questions",
    ):
        assert text in r.text


def test_the_honeypot_and_a_forged_stamp_stop_bots(client: TestClient) -> None:
    before = len(leads(client))
    status, _ = send(client, name="Bot", phone="1", zip="18901", website="http://spam.example")
    assert status == 400
    status, _ = send(client, name="Bot", phone="1", zip="18901", stamp="forged")
    assert status == 400
    assert len(leads(client)) == before


def test_a_form_sent_too_fast_is_refused(demo_template: Path, tmp_path: Path) -> None:
    app = build_app(demo_template, tmp_path, signup_min_seconds=30.0)
    with TestClient(app) as client:
        status, page = send(client, name="Quick", phone="215-555-0103", zip="18901")
    assert status == 400 and "did not go through" in page


def test_sign_ups_are_rate_limited(demo_template: Path, tmp_path: Path) -> None:
    app = build_app(demo_template, tmp_path, signup_rate=(2, 3600.0))
    with TestClient(app) as client:
        codes = [send(client, name=f"P{i}", phone="215-555-0104", zip="18901")[0] for i in range(3)]
    assert codes == [200, 200, 429]


def test_no_personal_data_in_the_logs(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    send(client, name="Secret Person", email="secret.person@example.com", zip="18901")
    send(client, name="Secret Person", email="secret.person@example.com", zip="10001")
    text = caplog.text
    assert "Secret Person" not in text and "secret.person@example.com" not in text
