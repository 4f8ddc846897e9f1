"""``hamcoach patient``, ``plan``, ``session``, ``morning``, ``override``, ``clear``, ``history``,
``export``, ``rules``, ``signup``, ``lead``: the program for each patient, over the database.

Thin: the library (:mod:`hamcoach.program`, :mod:`hamcoach.storage`) decides and stores; this
module asks, prints, and raises typed errors that the CLI edge turns into prose. Every command
takes ``--db URL`` (default: ``HAMCOACH_DB_URL``, else a SQLite file in the user data folder).
Patient names are shown only by ``patient show``; nothing is logged.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from hamcoach.audit import Audit, load_audit
from hamcoach.program.catalog import LADDER_NAMES, LADDERS, PROGRAM, LadderId, Stage
from hamcoach.program.demo import DemoResult
from hamcoach.program.errors import InvalidSetError, ProgramLockedError
from hamcoach.program.history import (
    OverrideKind,
    PatientHistory,
    SessionRecord,
    SetRecord,
    set_from_audit,
    set_from_counts,
)
from hamcoach.program.plan import Plan, check_stage_allowed, todays_plan
from hamcoach.program.redflags import (
    EMERGENCY_TEXT,
    LOCK_TEXT,
    RED_FLAG_IDS,
    RED_FLAGS,
    is_emergency,
    needs_screening,
    validate_flags,
)
from hamcoach.program.rules import (
    Decision,
    cramp_advice,
    pain_advice,
    replay,
    rules_at,
)
from hamcoach.program.rules_settings import DEFAULT_RULES
from hamcoach.program.signup import OFFERS, check_zip
from hamcoach.storage.export import export_patient
from hamcoach.storage.leads import (
    LEAD_STATUSES,
    add_lead,
    enroll_lead,
    list_leads,
    set_lead_status,
)
from hamcoach.storage.repo import (
    Database,
    PatientInfo,
    add_override,
    add_patient,
    add_set,
    audit_stage,
    clear_red_flags,
    complete_session,
    find_patient,
    list_audits,
    list_patients,
    load_history,
    open_database,
    record_morning_pain,
    record_screening,
    start_session,
)
from hamcoach.storage.repo import (
    load_audit as load_stored_audit,
)


def _out() -> Console:
    """A console sized to the terminal (and to $COLUMNS) at the time of printing."""
    return Console(highlight=False)


EXIT_LOCKED = 3
"""Exit code when a red flag locks the program (the session does not run)."""

DB_HELP = "Database URL (default: $HAMCOACH_DB_URL, else SQLite in the user data folder)."

ACTION_STYLE = {
    "progress": "bold green",
    "add_load": "bold green",
    "stay": "yellow",
    "regress": "bold red",
    "locked": "bold red",
    "start": "cyan",
    "override": "magenta",
}


def _db(url: str | None) -> Database:
    return open_database(url)


def _parse_at(at: str | None) -> datetime | None:
    if at is None:
        return None
    try:
        return datetime.fromisoformat(at)
    except ValueError as exc:
        raise InvalidSetError(
            f"--at {at!r} is not a date and time.", hint="Use ISO format: 2026-01-05T18:00."
        ) from exc


# --- set specs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetSpec:
    """One set given on the command line (``--set``)."""

    record: SetRecord
    audit: Audit | None


SET_SPEC_HELP = (
    "One set, repeatable: 'STAGE key=value ...'. Two-leg stages: reps=N good=N; single-leg: "
    "left=GOOD/REPS right=GOOD/REPS; or video=FILE (a video or a saved track: audited now), "
    "audit=FILE.json (from `hamcoach audit --json`) or audit=#ID (stored); plus pain=0-10, "
    "cramp=yes|no, load=KG. Example: --set 'B1 reps=30 good=28 pain=1'."
)
SET_KEYS = frozenset({"reps", "good", "left", "right", "audit", "video", "pain", "cramp", "load"})


def parse_set_spec(spec: str, db: Database, patient_id: int) -> SetSpec:
    """Turn ``'B3 left=30/30 right=28/30 pain=2'`` into a set (and its audit, if any)."""
    parts = spec.split()
    if not parts:
        raise InvalidSetError("An empty --set.", hint=SET_SPEC_HELP)
    stage = PROGRAM.stage(parts[0])
    values: dict[str, str] = {}
    for p in parts[1:]:
        key, sep, value = p.partition("=")
        if not sep or key not in SET_KEYS:
            raise InvalidSetError(f"Cannot read {p!r} in --set {spec!r}.", hint=SET_SPEC_HELP)
        values[key] = value
    pain = _int(values["pain"], "pain") if "pain" in values else None
    if pain is not None and not 0 <= pain <= 10:
        raise InvalidSetError(f"Pain is scored 0-10 (got {pain}).", hint=SET_SPEC_HELP)
    cramp = values.get("cramp", "no").lower() in ("yes", "y", "true", "1")
    load = _float(values["load"], "load") if "load" in values else None
    if "video" in values:
        audit = audit_video(values["video"], stage)
        record = set_from_audit(audit, stage.id, PROGRAM, load_kg=load, pain=pain, cramp=cramp)
        return SetSpec(record=record, audit=audit)
    if "audit" in values:
        ref = values["audit"]
        if ref.startswith("#"):
            audit_id = _int(ref[1:], "audit")
            owner, _ = audit_stage(db, audit_id)
            if owner != patient_id:
                raise InvalidSetError(f"Audit #{audit_id} belongs to another patient.")
            audit = load_stored_audit(db, audit_id)
            record = set_from_audit(
                audit, stage.id, PROGRAM, audit_id=audit_id, load_kg=load, pain=pain, cramp=cramp
            )
            return SetSpec(record=record, audit=None)
        audit = load_audit(Path(ref))
        record = set_from_audit(audit, stage.id, PROGRAM, load_kg=load, pain=pain, cramp=cramp)
        return SetSpec(record=record, audit=audit)
    if stage.single_leg:
        record = set_from_counts(
            stage.id,
            PROGRAM,
            left=_pair(values.get("left"), "left"),
            right=_pair(values.get("right"), "right"),
            load_kg=load,
            pain=pain,
            cramp=cramp,
        )
    else:
        reps = _int(values.get("reps", "0"), "reps")
        good = _int(values["good"], "good") if "good" in values else reps
        record = set_from_counts(
            stage.id, PROGRAM, reps=reps, good=good, load_kg=load, pain=pain, cramp=cramp
        )
    return SetSpec(record=record, audit=None)


def audit_video(source: str, stage: Stage) -> Audit:
    """Run the vision pipeline on a video (or a saved track) of one set of ``stage``."""
    # Imported here: the vision pipeline (and MediaPipe) load only when a video is given.
    from hamcoach.io.sources import load_any
    from hamcoach.pipeline import analyze_track

    _out().print(f"Auditing {Path(source).name} ...")
    return analyze_track(load_any(source), stage.exercise, stage=stage.id).audit


def _int(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError as exc:
        raise InvalidSetError(
            f"{what}={text!r} is not a whole number.", hint=SET_SPEC_HELP
        ) from exc


def _float(text: str, what: str) -> float:
    try:
        return float(text)
    except ValueError as exc:
        raise InvalidSetError(f"{what}={text!r} is not a number.", hint=SET_SPEC_HELP) from exc


def _pair(text: str | None, leg: str) -> tuple[int, int]:
    if text is None:
        return (0, 0)
    good, sep, reps = text.partition("/")
    if not sep:
        raise InvalidSetError(f"{leg}={text!r}: write GOOD/REPS, e.g. 28/30.", hint=SET_SPEC_HELP)
    return _int(good, leg), _int(reps, leg)


# --- printing -----------------------------------------------------------------------------------


def render_decision(d: Decision, out: Console) -> None:
    style = ACTION_STYLE.get(d.action, "")
    move = d.stage if d.stage == d.next_stage else f"{d.stage} -> {d.next_stage}"
    out.print(f"[{style}]{LADDER_NAMES[d.ladder]}: {d.action.replace('_', ' ')}[/] ({move})")
    for r in d.reasons:
        out.print(f"  - {r}")
    for a in d.alerts:
        out.print(f"  [bold red]Clinic alert:[/] {a}")


def render_plan(plan: Plan, out: Console) -> None:
    out.print(f"[bold]Plan for {plan.patient}[/] (program {plan.program_version})")
    if plan.locked:
        out.print(f"[bold red]Locked:[/] {plan.locked}")
        out.print(LOCK_TEXT)
        return
    for item in plan.items:
        out.print(
            f"\n[bold]{item.stage} {item.stage_name}[/] ({item.ladder_name}) - {item.target_text}"
        )
        out.print(f"  Tempo: {item.tempo}")
        for cue in item.cues:
            out.print(f"  * {cue}")
        out.print(f"  [dim]Why: {' '.join(item.decision.reasons)}[/]")
    for a in plan.alerts:
        out.print(f"[bold red]Clinic alert:[/] {a}")


def _ask_int(question: str, low: int, high: int) -> int:
    while True:
        value: int = typer.prompt(question, type=int)
        if low <= value <= high:
            return value
        _out().print(f"Please answer with a number from {low} to {high}.")


def _screen(answers: list[str] | None) -> tuple[str, ...]:
    """Ask the red-flag questions (or take the answers given with --red-flags)."""
    if answers is not None:
        return validate_flags(answers)
    _out().print("[bold]Safety questions[/] (answer y or n):")
    return tuple(f.id for f in RED_FLAGS if typer.confirm(f"  {f.question}", default=False))


def _flags_option(value: str | None) -> list[str] | None:
    if value is None:
        return None
    if value.strip().lower() in ("", "none", "no"):
        return []
    return [v for v in value.split(",") if v.strip()]


# --- commands -----------------------------------------------------------------------------------


def register(app: typer.Typer) -> None:
    patient_app = typer.Typer(help="Add, list and show patients.", no_args_is_help=True)
    app.add_typer(patient_app, name="patient")

    @patient_app.command("add")
    def patient_add(
        code: str = typer.Argument(..., help="A short handle for the patient, e.g. P001."),
        name: str = typer.Option(None, help="The patient's name (stored, never logged)."),
        baseline_pain: int = typer.Option(0, min=0, max=10, help="Usual pain, 0-10."),
        start: str = typer.Option(
            "B1,S1,D1", help="Start stages, one per ladder (a clinician's choice)."
        ),
        db: str = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Add a patient.

        Example: hamcoach patient add P001 --baseline-pain 2 --start B2,S1,D1
        """
        database = _db(db)
        stages = [PROGRAM.stage(s.strip()) for s in start.split(",") if s.strip()]
        starts: dict[LadderId, str] = {s.ladder: s.id for s in stages}
        pid = add_patient(
            database, code, name=name, baseline_pain=baseline_pain, start_stages=starts
        )
        _out().print(f"Added patient {code} (#{pid}).")

    @patient_app.command("list")
    def patient_list(db: str = typer.Option(None, "--db", help=DB_HELP)) -> None:
        """List patients with their current stages.

        Example: hamcoach patient list
        """
        database = _db(db)
        table = Table()
        for col in ("code", "id", "since", "sessions", "B", "S", "D", "status"):
            table.add_column(col)
        for p in list_patients(database):
            history = load_history(database, p.id)
            plan = todays_plan(history)
            stages = [i.stage for i in plan.items]
            table.add_row(
                p.code,
                str(p.id),
                f"{p.created_at:%Y-%m-%d}",
                str(len(history.sessions)),
                *stages,
                "locked" if plan.locked else "active",
            )
        _out().print(table)

    @patient_app.command("show")
    def patient_show(
        patient: str = typer.Argument(..., help="Patient code (or #id)."),
        db: str = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Show a patient: stages, last session, red flags, clinician overrides.

        Example: hamcoach patient show P001
        """
        database = _db(db)
        p = find_patient(database, patient)
        history = load_history(database, p.id)
        plan = todays_plan(history)
        _out().print(f"[bold]{p.code}[/] (#{p.id}){' - ' + p.name if p.name else ''}")
        _out().print(f"Baseline pain {p.baseline_pain}/10; patient since {p.created_at:%Y-%m-%d}.")
        _out().print(f"Sessions: {len(history.sessions)}.")
        for item in plan.items:
            _out().print(f"  {item.ladder_name}: {item.stage} {item.stage_name}")
        if plan.locked:
            _out().print(f"[bold red]Locked:[/] {plan.locked}")
        for s in history.screenings:
            state = (
                f"cleared {s.cleared_at:%Y-%m-%d} by {s.cleared_by}: {s.clear_reason}"
                if s.cleared_at
                else "open"
            )
            flags = ", ".join(s.flags) if s.flags else "all clear"
            _out().print(f"Screening {s.at:%Y-%m-%d}: {flags}" + (f" ({state})" if s.flags else ""))
        for o in history.overrides:
            _out().print(
                f"Override {o.at:%Y-%m-%d %H:%M} by {o.clinician}: {o.kind} {o.key} = {o.value} "
                f"({o.reason})"
            )
        for a in plan.alerts:
            _out().print(f"[bold red]Clinic alert:[/] {a}")

    @patient_app.command("audits")
    def patient_audits(
        patient: str = typer.Argument(..., help="Patient code (or #id)."),
        db: str = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """A patient's stored audits, with the faults seen per rep and the frame that shows each.

        Example: hamcoach patient audits P001   (then: hamcoach session P001 --set 'S2 audit=#7')
        """
        database = _db(db)
        p = find_patient(database, patient)
        table = Table()
        for col in ("audit", "date", "stage", "exercise", "reps", "good", "session", "faults"):
            table.add_column(col, no_wrap=col != "faults")
        for a in list_audits(database, p.id):
            faults = "; ".join(
                f"rep {f.rep} ({f.leg}) {f.check}"
                + (f" at frame {f.frame}" if f.frame is not None else "")
                for f in a.faults
            )
            table.add_row(
                f"#{a.id}",
                f"{a.created_at:%Y-%m-%d}",
                a.stage or "",
                a.exercise,
                str(a.reps),
                str(a.good),
                f"#{a.used_in_session}" if a.used_in_session else "not used",
                faults or "none",
            )
        _out().print(table)

    @app.command()
    def plan(
        patient: str = typer.Argument(..., help="Patient code (or #id)."),
        db: str = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Today's exercises, targets, tempo and cues, and why.

        Example: hamcoach plan P001
        """
        database = _db(db)
        p = find_patient(database, patient)
        render_plan(todays_plan(load_history(database, p.id)), _out())

    @app.command()
    def session(
        *,
        patient: str = typer.Argument(..., help="Patient code (or #id)."),
        pain_before: int = typer.Option(None, min=0, max=10, help="Pain now, 0-10."),
        pain_after: int = typer.Option(None, min=0, max=10, help="Pain at the end, 0-10."),
        red_flags: str = typer.Option(
            None,
            help="Answers to the safety questions: 'none' or a comma list of "
            + ", ".join(RED_FLAG_IDS)
            + ".",
        ),
        sets: Annotated[list[str] | None, typer.Option("--set", help=SET_SPEC_HELP)] = None,
        at: str = typer.Option(None, help="When the session took place (ISO), for back-filling."),
        db: str = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """A guided session: safety questions, pain before and after, each set from a video audit
        or logged by hand, cramps; ends with the decision for each exercise.

        Without --set it asks for every set. Example (non-interactive):
        hamcoach session P001 --pain-before 1 --red-flags none --set 'B1 reps=30 good=30 pain=1'
        --set 'S1 reps=25 good=20' --pain-after 1
        """
        database = _db(db)
        p = find_patient(database, patient)
        _run_session(
            database,
            p=p,
            pain_before=pain_before,
            pain_after=pain_after,
            flags=_flags_option(red_flags),
            set_specs=sets,
            at_text=at,
        )

    @app.command()
    def morning(
        patient: str = typer.Argument(..., help="Patient code (or #id)."),
        pain: int = typer.Option(..., min=0, max=10, help="Pain this morning, 0-10."),
        red_flags: str = typer.Option(
            None, help="Answers to the safety questions (asked when pain is above 'fine')."
        ),
        db: str = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Report next-morning pain after the last session.

        Example: hamcoach morning P001 --pain 2
        """
        database = _db(db)
        p = find_patient(database, patient)
        record_morning_pain(database, p.id, pain)
        history = load_history(database, p.id)
        rules = rules_at(history.overrides, None)
        if pain > rules.pain.fine_max.value and _flagged(
            database, p, _flags_option(red_flags), None
        ):
            raise typer.Exit(EXIT_LOCKED)
        limit = p.baseline_pain + rules.pain.morning_above_baseline.value
        if pain > limit:
            _out().print(
                f"Morning pain {pain}/10 is above {limit:g}/10 (your baseline {p.baseline_pain} "
                "+ 1): no progression from the last session."
            )
        else:
            _out().print(f"Morning pain {pain}/10 recorded.")
        for a in todays_plan(history).alerts:
            _out().print(f"[bold red]Clinic alert:[/] {a}")

    @app.command()
    def override(
        *,
        patient: str = typer.Argument(..., help="Patient code (or #id)."),
        by: str = typer.Option(..., "--by", help="The clinician making the change."),
        reason: str = typer.Option(..., help="Why (kept in the log)."),
        target: str = typer.Option(None, help="STAGE=N: the stage target (good reps per leg)."),
        threshold: str = typer.Option(None, help="KEY=VALUE, a key from `hamcoach rules`."),
        stage: str = typer.Option(None, help="Move the patient to this stage now."),
        db: str = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """A clinician changes a target, a threshold or a stage for one patient (logged).

        Example: hamcoach override P001 --by "Dr Lee" --reason "post-op" --target B3=20
        """
        database = _db(db)
        p = find_patient(database, patient)
        given = [
            (k, v) for k, v in (("target", target), ("threshold", threshold), ("stage", stage)) if v
        ]
        if len(given) != 1:
            raise InvalidSetError(
                "Give exactly one of --target, --threshold, --stage.",
                hint="Example: --target B3=20",
            )
        kind_text, value = given[0]
        kind: OverrideKind = (
            "target"
            if kind_text == "target"
            else ("threshold" if kind_text == "threshold" else "stage")
        )
        if kind == "stage":
            key, val = "", value
        else:
            key, sep, val = value.partition("=")
            if not sep:
                raise InvalidSetError(f"Write {kind_text} as KEY=VALUE (got {value!r}).")
        add_override(database, p.id, clinician=by, reason=reason, kind=kind, key=key, value=val)
        _out().print(
            f"Override recorded for {p.code}: {kind} {key or ''}{'=' if key else ''}{val}."
        )

    @app.command()
    def clear(
        patient: str = typer.Argument(..., help="Patient code (or #id)."),
        by: str = typer.Option(..., "--by", help="The clinician clearing the red flag."),
        reason: str = typer.Option(..., help="Why it is safe to go on (kept in the log)."),
        db: str = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """A clinician clears a patient's red flags, unlocking the program.

        Example: hamcoach clear P001 --by "Dr Lee" --reason "seen in clinic, no concern"
        """
        database = _db(db)
        p = find_patient(database, patient)
        n = clear_red_flags(database, p.id, clinician=by, reason=reason)
        _out().print(
            f"Cleared {n} red-flag screening(s) for {p.code}." if n else "Nothing to clear."
        )

    @app.command()
    def history(
        patient: str = typer.Argument(..., help="Patient code (or #id)."),
        db: str = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """A table of sessions with stages, good reps, pain and decisions, and the trends.

        Example: hamcoach history P001
        """
        database = _db(db)
        p = find_patient(database, patient)
        render_history(load_history(database, p.id, include_open=True), _out())

    @app.command()
    def export(
        patient: str = typer.Argument(..., help="Patient code (or #id)."),
        fmt: str = typer.Option("csv", "--format", help="csv (one row per set) or json."),
        output: Annotated[
            Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).")
        ] = None,
        db: str = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Export a patient's history (by code; names are not exported).

        Example: hamcoach export P001 --format json -o p001.json
        """
        if fmt not in ("csv", "json"):
            raise InvalidSetError(f"Unknown format {fmt!r}.", hint="Use --format csv or json.")
        database = _db(db)
        p = find_patient(database, patient)
        text = export_patient(database, p.id, "csv" if fmt == "csv" else "json")
        if output is None:
            typer.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")
            _out().print(f"Wrote {output}")

    @app.command()
    def signup(
        *,
        zip_code: str = typer.Option(None, "--zip", help="ZIP code of the home address."),
        offer: str = typer.Option(None, help="audit (an exercise audit) or trial (2 free weeks)."),
        name: str = typer.Option(None, help="Your name, for the clinic to call you."),
        phone: str = typer.Option(None, help="Phone number."),
        email: str = typer.Option(None, help="E-mail address."),
        red_flags: str = typer.Option(None, help="Answers to the safety questions, e.g. none."),
        db: str = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Sign up for the clinic's exercise audit or free 2-week trial (Bucks and Montgomery
        County, PA): checks the ZIP code, asks the safety questions, passes you to the clinic.

        Example: hamcoach signup --zip 18901 --offer trial --name "Jo" --phone 215-555-0100
        """
        area = check_zip(zip_code or typer.prompt("ZIP code of your home address"))
        _out().print(area.message)
        if not area.in_area:
            return
        chosen = offer or typer.prompt(
            "Which offer: audit (an exercise audit) or trial (a free 2-week trial)?",
            default="trial",
        )
        if chosen not in OFFERS:
            raise InvalidSetError(f"Unknown offer {chosen!r}.", hint="Answer audit or trial.")
        who = name or typer.prompt("Your name")
        if phone is None and email is None:
            phone = typer.prompt("Phone number (Enter to give an e-mail instead)", default="")
            if not phone:
                email = typer.prompt("E-mail address")
        flags = _screen(_flags_option(red_flags))
        lead_id = add_lead(
            _db(db),
            zip_code=area.zip,
            offer="audit" if chosen == "audit" else "trial",
            name=who,
            phone=phone or "",
            email=email or "",
            red_flags=flags,
        )
        if flags:
            _out().print(EMERGENCY_TEXT if is_emergency(flags) else LOCK_TEXT)
            _out().print(f"The clinic has your sign-up (#{lead_id}) marked urgent.")
        else:
            _out().print(
                f"Thank you: the clinic has your sign-up for {OFFERS[chosen]} (#{lead_id}) "
                "and will contact you."
            )

    lead_app = typer.Typer(help="Sign-ups for the clinic's offer (clinic staff).")
    app.add_typer(lead_app, name="lead")

    @lead_app.command("list")
    def lead_list(
        show_all: bool = typer.Option(False, "--all", help="Include enrolled and closed ones."),
        db: str = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Sign-ups to call, urgent ones (red flags) first. Shows contact details: staff only.

        Example: hamcoach lead list
        """
        table = Table()
        for col in ("lead", "date", "offer", "county", "name", "phone", "email", "flags", "status"):
            table.add_column(col)
        for lead in list_leads(_db(db), include_done=show_all):
            county = lead.county + (" (check address)" if lead.border else "")
            flags = ", ".join(lead.red_flags) or "-"
            table.add_row(
                f"#{lead.id}",
                f"{lead.created_at:%Y-%m-%d}",
                lead.offer,
                county,
                lead.name,
                lead.phone,
                lead.email,
                f"[bold red]{flags}[/]" if lead.urgent else flags,
                lead.status + (f" (patient #{lead.patient_id})" if lead.patient_id else ""),
            )
        _out().print(table)

    @lead_app.command("status")
    def lead_status(
        lead_id: int = typer.Argument(..., help="The lead number from `hamcoach lead list`."),
        status: str = typer.Argument(..., help="new, contacted or closed."),
        db: str = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Mark a sign-up as contacted or closed.

        Example: hamcoach lead status 3 contacted
        """
        if status not in LEAD_STATUSES:
            raise InvalidSetError(
                f"Unknown status {status!r}.", hint="Use " + ", ".join(LEAD_STATUSES)
            )
        set_lead_status(_db(db), lead_id, LEAD_STATUSES[LEAD_STATUSES.index(status)])
        _out().print(f"Lead #{lead_id}: {status}.")

    @lead_app.command("enroll")
    def lead_enroll(
        lead_id: int = typer.Argument(..., help="The lead number from `hamcoach lead list`."),
        code: str = typer.Argument(..., help="The new patient's code, e.g. P002."),
        baseline_pain: int = typer.Option(0, min=0, max=10, help="Usual pain, 0-10."),
        db: str = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Make a patient of a sign-up (its red flags lock the program until cleared).

        Example: hamcoach lead enroll 3 P002 --baseline-pain 2
        """
        pid = enroll_lead(_db(db), lead_id, code, baseline_pain=baseline_pain)
        _out().print(f"Lead #{lead_id} is now patient {code} (#{pid}).")

    @app.command()
    def rules() -> None:
        """Every rule threshold with its unit and source (what `override --threshold` names).

        Example: hamcoach rules
        """
        table = Table()
        for col in ("key", "value", "unit", "source"):
            table.add_column(col, no_wrap=True)
        table.add_column("meaning")
        for key in DEFAULT_RULES.keys():  # noqa: SIM118 (a method, not a dict)
            t = DEFAULT_RULES.get(key)
            table.add_row(key, f"{t.value:g}", t.unit, t.source, t.note)
        _out().print(table)


# --- the session --------------------------------------------------------------------------------


def _run_session(
    db: Database,
    *,
    p: PatientInfo,
    pain_before: int | None,
    pain_after: int | None,
    flags: list[str] | None,
    set_specs: list[str] | None,
    at_text: str | None,
) -> None:
    at = _parse_at(at_text)
    history = load_history(db, p.id)
    rules = rules_at(history.overrides, None)
    plan = todays_plan(history)
    if plan.locked:
        raise ProgramLockedError(plan.locked)
    # Every --set is read and checked before anything is written.
    parsed = [parse_set_spec(spec, db, p.id) for spec in set_specs or []]
    for spec in parsed:
        check_stage_allowed(plan, spec.record.stage)
    if pain_before is None:
        pain_before = _ask_int("Pain right now, 0-10", 0, 10)
    if needs_screening(history, pain_before, rules.pain.fine_max.value) and _flagged(
        db, p, flags, at
    ):
        raise typer.Exit(EXIT_LOCKED)
    advice = pain_advice(pain_before, rules)
    if advice.level in ("stop_exercise", "stop_session"):
        _out().print(
            f"Pain {pain_before}/10 before starting: do not exercise today; "
            "talk to your physical therapist."
        )
        return
    sid = start_session(db, p.id, pain_before=pain_before, at=at)
    _out().print(f"Session #{sid} started for {p.code}.")
    stopped = ""
    if parsed:
        stopped = _sets_from_specs(db, p=p, sid=sid, specs=parsed, flags=flags, at=at)
    else:
        stopped = _sets_interactively(db, p=p, sid=sid, plan=plan, flags=flags, at=at)
    if stopped == "locked":
        complete_session(
            db, sid, pain_after=pain_after, status="stopped", stop_reason="red flag", at=at
        )
        raise typer.Exit(EXIT_LOCKED)
    if pain_after is None:
        pain_after = _ask_int("Pain now, at the end, 0-10", 0, 10)
    decisions = complete_session(
        db,
        sid,
        pain_after=pain_after,
        status="stopped" if stopped else "completed",
        stop_reason=stopped,
        at=at,
    )
    _out().print("\n[bold]Decision[/]")
    if not decisions:
        _out().print("No sets were logged: nothing changes.")
    for d in decisions.values():
        render_decision(d, _out())


def _flagged(db: Database, p: PatientInfo, flags: list[str] | None, at: datetime | None) -> bool:
    """Run a red-flag screen; True (and the message) when something was flagged."""
    found = _screen(flags)
    record_screening(db, p.id, found, at=at)
    if not found:
        return False
    _out().print(f"[bold red]Red flag:[/] {', '.join(found)}")
    _out().print(EMERGENCY_TEXT if is_emergency(found) else LOCK_TEXT)
    return True


def _after_set(
    db: Database,
    *,
    p: PatientInfo,
    stage: Stage,
    record: SetRecord,
    cramps: int,
    flags: list[str] | None,
    at: datetime | None,
) -> str:
    """Advice after a set; returns '' to go on, 'exercise' to stop the exercise, or the reason
    the session stops."""
    history = load_history(db, p.id)
    rules = rules_at(history.overrides, None)
    if record.cramp:
        _out().print(cramp_advice(cramps, stage, PROGRAM, rules))
    if record.pain is not None:
        advice = pain_advice(record.pain, rules)
        _out().print(advice.message)
        if needs_screening(history, record.pain, rules.pain.fine_max.value) and _flagged(
            db, p, flags, at
        ):
            return "locked"
        if advice.level == "stop_session":
            return f"pain {record.pain}/10 during {stage.name}"
        if advice.level == "stop_exercise":
            return "exercise"
    if cramps >= rules.cramp.recur_count.value:
        return "exercise"
    return ""


def _sets_from_specs(
    db: Database,
    *,
    p: PatientInfo,
    sid: int,
    specs: list[SetSpec],
    flags: list[str] | None,
    at: datetime | None,
) -> str:
    stopped_ladders: set[LadderId] = set()
    cramps: dict[LadderId, int] = {}
    for parsed in specs:
        stage = PROGRAM.stage(parsed.record.stage)
        if stage.ladder in stopped_ladders:
            _out().print(f"Skipped a {stage.id} set: that exercise was stopped.")
            continue
        add_set(db, sid, parsed.record, audit=parsed.audit, at=at)
        c = parsed.record
        _out().print(
            f"{stage.id} {stage.name}: {c.reps} reps, {c.good} good"
            + (
                f" (left {c.good_left}/{c.reps_left}, right {c.good_right}/{c.reps_right})"
                if stage.single_leg
                else ""
            )
        )
        cramps[stage.ladder] = cramps.get(stage.ladder, 0) + int(c.cramp)
        outcome = _after_set(
            db, p=p, stage=stage, record=c, cramps=cramps[stage.ladder], flags=flags, at=at
        )
        if outcome == "exercise":
            stopped_ladders.add(stage.ladder)
        elif outcome:
            return outcome
    return ""


def _sets_interactively(
    db: Database,
    *,
    p: PatientInfo,
    sid: int,
    plan: Plan,
    flags: list[str] | None,
    at: datetime | None,
) -> str:
    for item in plan.items:
        stage = PROGRAM.stage(item.stage)
        _out().print(f"\n[bold]{stage.id} {stage.name}[/] - {item.target_text}")
        for cue in stage.cues:
            _out().print(f"  * {cue}")
        if not typer.confirm("Do this exercise now?", default=True):
            continue
        cramps = 0
        n = 1
        while True:
            record = _ask_set(db, p, stage, n, item.load_kg)
            add_set(db, sid, record.record, audit=record.audit, at=at)
            cramps += int(record.record.cramp)
            outcome = _after_set(
                db, p=p, stage=stage, record=record.record, cramps=cramps, flags=flags, at=at
            )
            if outcome == "exercise":
                break
            if outcome:
                return outcome
            n += 1
            if not typer.confirm("Another set of this exercise?", default=False):
                break
    return ""


def _ask_set(db: Database, p: PatientInfo, stage: Stage, n: int, load: float | None) -> SetSpec:
    source = typer.prompt(
        f"Set {n}: video, audit JSON file or #audit-id (Enter to log by hand)",
        default="",
        show_default=False,
    ).strip()
    load_kg: float | None = None
    if stage.loaded:
        if load is None:
            load_kg = typer.prompt("Load (kg)", type=float)
        else:
            load_kg = typer.prompt("Load (kg)", type=float, default=load)
    parts = [stage.id]
    if source:
        is_json = source.startswith("#") or source.lower().endswith(".json")
        parts.append(f"{'audit' if is_json else 'video'}={source}")
    elif stage.single_leg:
        for leg in ("left", "right"):
            reps = _ask_int(f"Reps done on the {leg} leg", 0, 500)
            good = _ask_int(
                f"Of those, good reps (slow, controlled, good form) on the {leg} leg", 0, reps
            )
            parts.append(f"{leg}={good}/{reps}")
    else:
        reps = _ask_int("Reps done", 0, 500)
        good = _ask_int("Of those, good reps (slow, controlled, good form)", 0, reps)
        parts += [f"reps={reps}", f"good={good}"]
    parts.append(f"pain={_ask_int('Worst pain during the set, 0-10', 0, 10)}")
    parts.append(
        f"cramp={'yes' if typer.confirm('Any cramp during the set?', default=False) else 'no'}"
    )
    if load_kg is not None:
        parts.append(f"load={load_kg:g}")
    return parse_set_spec(" ".join(parts), db, p.id)


# --- history ------------------------------------------------------------------------------------


def _trend(values: list[int | None]) -> str:
    seen = [v for v in values if v is not None]
    if len(seen) < 2:
        return "-"
    first, last = seen[0], seen[-1]
    arrow = "up" if last > first else ("down" if last < first else "flat")
    return f"{first} -> {last} ({arrow})"


def render_history(history: PatientHistory, out: Console) -> None:
    decisions: dict[tuple[int | None, LadderId], Decision] = {}
    for ladder in LADDERS:
        for ev, d in replay(history, ladder=ladder):
            if isinstance(ev, SessionRecord):
                decisions[(ev.id, ladder)] = d
    table = Table(title=f"History of {history.patient}")
    for col in ("date", "status", "pain", "morning", *LADDERS):
        table.add_column(col, no_wrap=True)
    good_by_ladder: dict[LadderId, list[str]] = {ladder: [] for ladder in LADDERS}
    for s in history.sessions:
        cells: list[str] = []
        for ladder in LADDERS:
            done = [x for x in s.sets if PROGRAM.stage(x.stage).ladder == ladder]
            if not done:
                cells.append("")
                continue
            st = PROGRAM.stage(done[-1].stage)
            if st.single_leg:
                reps = f"{sum(x.good_left for x in done)}/{sum(x.good_right for x in done)}"
            else:
                reps = str(sum(x.good for x in done))
            dec = decisions.get((s.id, ladder))
            action = f" {_ARROW.get(dec.action, dec.action)}{dec.next_stage}" if dec else ""
            cells.append(f"{st.id} {reps}{action}")
            good_by_ladder[ladder].append(f"{st.id}:{reps}")
        pain = f"{_blank(s.pain_before)} -> {_blank(s.pain_after)}"
        status = "interrupted" if s.status == "open" else s.status
        table.add_row(f"{s.started_at:%Y-%m-%d}", status, pain, _blank(s.morning_pain), *cells)
    out.print(table)
    out.print("Cells: stage, good reps (left/right on single-leg stages), then the decision.")
    finished = [s for s in history.sessions if s.status != "open"]
    out.print(f"Pain before sessions: {_trend([s.pain_before for s in finished])}")
    out.print(f"Pain after sessions: {_trend([s.pain_after for s in finished])}")
    out.print(f"Next-morning pain: {_trend([s.morning_pain for s in finished])}")
    if len(finished) >= 2:
        days = max((finished[-1].started_at - finished[0].started_at).days, 1)
        out.print(
            f"Adherence: {len(finished)} sessions in {days} days "
            f"({len(finished) * 7 / days:.1f} a week)."
        )
    for ladder in LADDERS:
        if good_by_ladder[ladder]:
            out.print(f"{LADDER_NAMES[ladder]}: {' '.join(good_by_ladder[ladder][-5:])}")
    for o in history.overrides:
        out.print(
            f"Clinician override {o.at:%Y-%m-%d} by {o.clinician}: {o.kind} "
            f"{o.key + ' = ' if o.kind != 'stage' else ''}{o.value} ({o.reason})"
        )
    for f in history.screenings:
        if f.flags:
            state = f"cleared {f.cleared_at:%Y-%m-%d} by {f.cleared_by}" if f.cleared_at else "open"
            out.print(f"Red flag {f.at:%Y-%m-%d}: {', '.join(f.flags)} ({state})")
    versions = Counter(s.program_version for s in history.sessions)
    if versions:
        shown = ", ".join(f"{v} ({n} sessions)" for v, n in versions.items())
        out.print(f"Program versions: {shown}.")


def render_demo(result: DemoResult, db_url: str, out: Console) -> None:
    """What ``make demo`` prints after :func:`hamcoach.program.demo.build_demo`: the decision of
    every session, the history table with trends, and today's plan."""
    db = open_database(db_url)
    try:
        history = load_history(db, result.patient_id, include_open=True)
    finally:
        db.close()
    out.print(f"[bold]Demo patient {history.patient}[/]: {len(result.session_ids)} sessions.\n")
    for session, decisions in zip(history.sessions, result.decisions, strict=True):
        out.print(f"[bold]{session.started_at:%a %Y-%m-%d}[/]")
        for d in decisions.values():
            render_decision(d, out)
    out.print()
    render_history(history, out)
    if result.plan is not None:
        out.print()
        render_plan(result.plan, out)


_ARROW = {"progress": "=> ", "regress": "<= ", "stay": "= ", "add_load": "+kg ", "override": "! "}


def _blank(x: object) -> str:
    return "" if x is None else str(x)
