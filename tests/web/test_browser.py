"""End to end in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright):
sign-ups from inside and outside the area and with a red flag; the clinician invites the accepted
visitor; the patient logs in, uploads a real clip, waits for the audit and reads the report; the
clinician sees that audit and overrides a target.

Screenshots of every step go to ``$HAMCOACH_SCREENSHOTS`` when set (for looking at the pages).
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from hamcoach.live.y4m import QUIET_CHROMIUM_ARGS
from tests.conftest import eval_dir
from tests.web.helpers import THERAPIST, build_app

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SHORT_CLIP = "clips/kaiakol__computervision/data/squat/correct/squat_correct_009.avi"
CHROMIUM_ARGS = list(QUIET_CHROMIUM_ARGS)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (apt-get install -y chromium)")
    app = build_app(demo_template, tmp_path_factory.mktemp("browser"), signup_min_seconds=0.5)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def seen(locator: Any) -> None:
    """The element shows up (waiting for it, as a person would)."""
    expect(locator).to_be_visible()


class Shots:
    """Saves a screenshot per step when $HAMCOACH_SCREENSHOTS names a folder."""

    def __init__(self) -> None:
        folder = os.environ.get("HAMCOACH_SCREENSHOTS")
        self.folder = Path(folder) if folder else None
        self.n = 0
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, page: Any, name: str) -> None:
        self.n += 1
        if self.folder:
            page.screenshot(path=str(self.folder / f"{self.n:02d}-{name}.png"), full_page=True)


def sign_up(
    page: Any, base_url: str, name: str, zip_code: str, flags: tuple[str, ...] = ()
) -> None:
    page.goto(f"{base_url}/signup")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Phone").fill("215-555-0199")
    page.get_by_label("E-mail").fill(f"{name.split(maxsplit=1)[0].lower()}@example.com")
    page.get_by_label("ZIP code").fill(zip_code)
    for flag in flags:
        page.locator(f"#flag-{flag}").check()
    page.locator("#screen_done").check()
    page.wait_for_timeout(600)  # a person takes longer than the form's bot check (0.5 s here)
    page.get_by_role("button", name="Send my sign-up").click()


def test_the_whole_clinic_story(browser: Any, base_url: str) -> None:
    root = eval_dir()
    clip = root / SHORT_CLIP if root is not None else None
    has_clip = clip is not None and clip.exists()  # without ../shared/eval: no upload part
    shots = Shots()
    visitor = browser.new_context()
    page = visitor.new_page()

    # Three visitors: accepted, declined kindly, told to see a doctor.
    page.goto(base_url)
    shots(page, "home")
    page.goto(f"{base_url}/program")
    seen(page.locator("#stage-S2").get_by_text("Not squatting low enough"))
    shots(page, "program")
    sign_up(page, base_url, "Jamie Bucks", "18901")
    seen(page.get_by_role("heading", name="Thank you, Jamie Bucks: you are signed up"))
    seen(page.get_by_text("the clinic serves Bucks County"))
    shots(page, "signup-accepted")
    sign_up(page, base_url, "Morgan Faraway", "10001")
    seen(page.get_by_role("heading", name="Thank you for your interest"))
    seen(page.get_by_text("outside that area"))
    shots(page, "signup-outside")
    sign_up(page, base_url, "Casey Careful", "19401", ("calf_swelling_breathless",))
    seen(page.get_by_role("heading", name="Please see a doctor first"))
    shots(page, "signup-red-flag")
    visitor.close()

    # The clinician sees the lead and invites the patient.
    staff = browser.new_context()
    cpage = staff.new_page()
    cpage.goto(f"{base_url}/login")
    cpage.get_by_label("E-mail").fill(THERAPIST.email)
    cpage.get_by_label("Password").fill(THERAPIST.password)
    cpage.get_by_role("button", name="Log in").click()
    cpage.wait_for_url(f"{base_url}/clinic")
    shots(cpage, "clinic-home")
    cpage.get_by_role("link", name="Sign-ups", exact=True).click()
    row = cpage.locator("tr", has_text="Jamie Bucks")
    seen(row)
    seen(
        cpage.locator("tr", has_text="Casey Careful").get_by_text("see a doctor first", exact=True)
    )
    expect(cpage.locator("tr", has_text="Morgan Faraway")).to_have_count(0)
    shots(cpage, "clinic-leads")
    row.get_by_role("link", name="Make a patient").click()
    cpage.get_by_label("Patient code").fill("P300")
    cpage.get_by_role("button", name="Make a patient and invite").click()
    link = cpage.locator("#invite-link").input_value()
    assert re.fullmatch(rf"{re.escape(base_url)}/invite/[\w-]+", link)
    shots(cpage, "clinic-invited")

    # The patient accepts the invitation, logs in, uploads a clip and reads the report.
    home = browser.new_context()
    ppage = home.new_page()
    ppage.goto(link)
    ppage.get_by_label("New password").fill("jamie-strong-hamstrings")
    ppage.get_by_label("The same password again").fill("jamie-strong-hamstrings")
    ppage.get_by_role("button", name="Set my password").click()
    ppage.wait_for_url(f"{base_url}/me")
    ppage.get_by_role("button", name="Log out").click()
    ppage.goto(f"{base_url}/login")
    ppage.get_by_label("E-mail").fill("jamie@example.com")
    ppage.get_by_label("Password").fill("jamie-strong-hamstrings")
    ppage.get_by_role("button", name="Log in").click()
    ppage.wait_for_url(f"{base_url}/me")
    seen(ppage.get_by_role("heading", name="Hello, Jamie Bucks"))
    shots(ppage, "patient-today")
    if not has_clip:
        home.close()
        override_a_target(cpage, base_url, shots)
        pytest.skip("../shared/eval is absent: the upload and audit part did not run")
    assert clip is not None
    ppage.get_by_role("link", name="Video audits").first.click()
    ppage.get_by_label("Which exercise is in the video?").select_option("S1")
    ppage.get_by_label("Video file").set_input_files(str(clip))
    ppage.get_by_role("button", name="Upload and audit").click()
    ppage.wait_for_url(re.compile(r".*/me/audits/jobs/\d+$"))
    shots(ppage, "patient-job")
    report_link = ppage.locator("#report-link")
    report_link.wait_for(timeout=90_000)  # HTMX polls the job until it is done
    shots(ppage, "patient-job-done")
    report_link.click()
    seen(ppage.get_by_text("Rep by rep").first)
    shots(ppage, "patient-report")
    home.close()

    # The clinician sees the audit and overrides a target.
    cpage.goto(f"{base_url}/clinic")
    cpage.get_by_role("link", name="P300").click()
    audits = cpage.locator("#audits")
    seen(audits.get_by_text("box squat"))
    cpage.locator("#audits").get_by_role("link", name="Per-rep report").click()
    seen(cpage.get_by_text("Rep by rep").first)
    cpage.get_by_role("link", name="Back to the patient").click()
    override_a_target(cpage, base_url, shots)
    staff.close()


def override_a_target(cpage: Any, base_url: str, shots: Shots) -> None:
    if "/clinic/patients/" not in cpage.url:
        cpage.goto(f"{base_url}/clinic")
        cpage.get_by_role("link", name="P300").click()
    target = cpage.locator("#override-target")
    target.get_by_label("Stage").select_option("S1")
    target.get_by_label("New target").fill("20")
    target.get_by_label("Why").fill("sore knee: smaller target")
    target.get_by_role("button", name="Save the target").click()
    seen(cpage.get_by_text("The change is saved"))
    seen(cpage.get_by_text("Override by Demo Clinician: target S1 = 20"))
    shots(cpage, "clinic-patient")
