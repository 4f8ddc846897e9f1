"""``hamcoach serve`` and ``hamcoach clinic ...``: setting up a clinic from the command line."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from hamcoach.cli.main import app as cli
from hamcoach.web.app import create_app
from tests.web.helpers import HTML, csrf_of, login, make_settings


def test_a_clinic_is_set_up_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    run = CliRunner()
    out = run.invoke(
        cli, ["clinic", "add", "North PT", "--town", "Warminster", "--signups", "--db", url]
    )
    assert out.exit_code == 0, out.output
    out = run.invoke(cli, ["clinic", "add", "South PT", "--signups", "--db", url])
    assert out.exit_code == 0
    listing = run.invoke(cli, ["clinic", "list", "--db", url]).output
    assert "North PT (Warminster): 0 clinicians" in listing
    assert listing.count("receives sign-ups") == 1 and "South PT (no town)" in listing
    out = run.invoke(
        cli,
        [
            "clinic",
            "clinician",
            "lee@pt.example",
            "--clinic",
            "North PT",
            "--name",
            "Dr Lee",
            "--db",
            url,
        ],
    )
    assert out.exit_code == 0, out.output
    token = re.search(r"/invite/([\w-]+)", out.output)
    assert token is not None
    assert run.invoke(cli, ["patient", "add", "P001", "--db", url]).exit_code == 0
    out = run.invoke(
        cli,
        [
            "clinic",
            "patient",
            "P001",
            "--email",
            "jo@example.com",
            "--clinic",
            "North PT",
            "--db",
            url,
        ],
    )
    assert out.exit_code == 0, out.output
    bad = run.invoke(
        cli, ["clinic", "patient", "P001", "--email", "x@y.z", "--clinic", "Nope", "--db", url]
    )
    assert bad.exit_code != 0 and "No clinic named 'Nope'" in str(bad.exception)
    # The clinician accepts the invitation and sees the patient.
    app = create_app(make_settings(url, tmp_path / "storage"))
    with TestClient(app) as client:
        path = f"/invite/{token.group(1)}"
        pw = "a long enough password"
        r = client.post(
            path,
            data={"csrf_token": csrf_of(client, path), "password": pw, "password_again": pw},
            headers=HTML,
            follow_redirects=False,
        )
        assert r.status_code == 303 and r.headers["location"] == "/clinic"
        assert 'data-patient="P001"' in client.get("/clinic", headers=HTML).text
        other = TestClient(app)
        login(other, "lee@pt.example", pw)


def test_serve_explains_itself() -> None:
    out = CliRunner().invoke(cli, ["serve", "--help"])
    assert out.exit_code == 0 and "Example:" in out.output and "--demo" in out.output
