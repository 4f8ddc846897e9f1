"""The structure every audit report must have, checked against the audit it was made from."""

from __future__ import annotations

from hamcoach.audit import Audit
from hamcoach.checks import REGISTRY
from hamcoach.reports.model import TIMING_CHECKS
from hamcoach.reports.wording import check_words
from tests.reports.html_tree import Node, parse


def _stat(doc: Node, name: str) -> int:
    return int(doc.find("div", data_stat=name).find("span", **{"class": "num"}).text())


def assert_self_contained(doc: Node) -> None:
    assert not doc.find_all("script"), "a report runs no script"
    assert not doc.find_all("link"), "a report links no stylesheet"
    for img in doc.find_all("img"):
        assert img.attrs["src"].startswith("data:image/"), img.attrs["src"][:40]
    for n in doc.iter():
        for key in ("src", "href"):
            value = n.attrs.get(key, "")
            assert not value.startswith(("http:", "https:", "//")), value


def assert_report_matches_audit(html: str, audit: Audit, *, pictures: str) -> Node:
    """Check the report's numbers, rows and texts against ``audit``; ``pictures`` is the
    expected source of the key frames: "video" or "skeleton". Returns the parsed document."""
    doc = parse(html)
    assert_self_contained(doc)
    c = audit.counts
    assert _stat(doc, "reps") == c.reps
    assert _stat(doc, "good") == c.good
    legs = doc.find("div", data_stat="legs")
    assert f"Left leg: {c.left} " in legs.find(data_leg="left").text()
    assert f"Right leg: {c.right} " in legs.find(data_leg="right").text()

    # Per-rep rows: one per rep, a cell per check run, with the audit's verdicts.
    rows = doc.find_all("tr", pred=lambda n: "data-rep" in n.attrs)
    assert [int(r.attrs["data-rep"]) for r in rows] == [r.index for r in audit.reps]
    for row, rep in zip(rows, audit.reps, strict=True):
        assert row.attrs["data-good"] == ("yes" if rep.good else "no")
        cells = {
            n.attrs["data-check"]: n.attrs["data-verdict"]
            for n in row.find_all("td")
            if "data-check" in n.attrs
        }
        assert cells == {f.check: f.verdict for f in rep.findings}
    if not audit.reps:
        assert doc.find("p", data_reps="0")

    # The main fault's cue, in the summary.
    summary = doc.by_id("summary")
    fails: dict[str, int] = {}
    for rep in audit.reps:
        for f in rep.findings:
            if f.verdict == "fail":
                fails[f.check] = fails.get(f.check, 0) + 1
    if fails:
        most = max(fails.values())
        main = summary.find("div", **{"class": "cue"}).attrs["data-check"]
        assert fails[main] == most
        assert REGISTRY[main].cue in summary.text()
        assert check_words(main).fault in summary.text()
        assert summary.attrs["data-verdict"] == "fault"
    else:
        assert not summary.find_all("div", **{"class": "cue"})

    # A key frame for every fault that a picture can show, drawn from the expected source.
    frames = doc.by_id("key-frames")
    figures = frames.find_all("figure")
    for check in fails:
        if check in TIMING_CHECKS:
            assert frames.find("p", data_check=check)
        else:
            assert any(f.attrs["data-check"] == check for f in figures), check
    assert {f.attrs["data-source"] for f in figures} <= {pictures}

    # Honest about what was not judged, and how to place the camera for what did not run.
    not_checked = doc.by_id("not-checked")
    not_run = [
        li.attrs["data-check"]
        for ul in not_checked.find_all("ul", **{"class": "not-run"})
        for li in ul.find_all("li")
    ]
    assert sorted(not_run) == sorted(n.check for n in audit.checks_not_run)
    for n in audit.checks_not_run:
        item = not_checked.find("li", data_check=n.check).text()
        assert n.hint in item and n.reason in item
    for rep in audit.reps:
        for f in rep.findings:
            if f.verdict == "unknown":
                item = not_checked.find("li", data_check=f.check).text()
                assert "not judged" in item and f.reason in item
    return doc
