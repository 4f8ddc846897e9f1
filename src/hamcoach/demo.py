"""``make demo``: the whole system on embedded defaults, on motion HamCoach makes itself.

1. A squat set from the motion generator is audited by the real pipeline (pose track ->
   cleaning -> reps -> checks -> audit) and printed as the CLI prints any audit.
2. A demo patient does three weeks of the program: every set is a generated pose track run
   through the same pipeline, and the program's rules decide progressions, a pain-triggered
   regression and the plan, stored in a real SQLite database under ``out/demo``.

No real person's video is used anywhere.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from pathlib import Path

from rich.console import Console

from hamcoach.audit import Audit, Rep, count_reps
from hamcoach.checks import REGISTRY
from hamcoach.pipeline import analyze_track
from hamcoach.program.catalog import PROGRAM
from hamcoach.program.demo import PlannedRep, RepPlan, build_demo
from hamcoach.synth.camera import CameraSpec
from hamcoach.synth.motions import Faults
from hamcoach.synth.noise import NoiseLevel, NoiseSpec
from hamcoach.synth.scenario import (
    RepSpec,
    SetSpec,
    Tempo,
    demo_squat_set,
    generate_set,
)

DEMO_DIR = Path("out/demo")
# Frame rate of the generated demo sets: plenty for counting and checks, and twice as fast to
# generate as 30 fps.
DEMO_FPS = 15.0
GOOD_ECCENTRIC_S = 2.5
# The program demo tells a story (progressions, a regression): its sets are noise-free so the
# story is the same on every machine. Part 1 shows a set with realistic pose noise.
DEMO_NOISE: NoiseLevel = "none"

# How a planned bad rep goes wrong: the generator's fault for each check id (sizes well past
# the thresholds, as a therapist would see them).
FAULT_FOR_CHECK: dict[str, Faults] = {
    "squat.depth": Faults(depth_deg=35.0),
    "squat.knee_valgus": Faults(knee_valgus_deg=20.0),
    "squat.knees_past_toes": Faults(knees_past_toes_cm=15.0),
    "squat.knees_together_ascent": Faults(knees_together_ascent_deg=25.0),
    "squat.pelvis_level": Faults(pelvis_drop_deg=18.0),
    "squat.trunk_lean": Faults(trunk_lean_deg=30.0),
    "bridge.hip_height": Faults(hip_sag_cm=15.0),
    "bridge.heel_down": Faults(heel_lift_cm=10.0),
    "bridge.hips_level": Faults(hips_not_level_deg=15.0),
    "bridge.no_rest": Faults(rest_before_s=2.0),
    "bridge.slow_lowering": Faults(fast_eccentric_s=0.3),
    "ball_curl.hips_up": Faults(ball_hips_sag_cm=25.0),
    "ball_curl.full_extension": Faults(incomplete_extension_deg=40.0),
    "ball_curl.full_curl": Faults(incomplete_curl_deg=50.0),
    "sldl.leg_leads": Faults(back_leads_deg=35.0),
    "sldl.body_line": Faults(v_shape_deg=45.0),
    "sldl.hips_square": Faults(hips_open_deg=40.0),
    "tempo.controlled": Faults(fast_eccentric_s=0.6),
}


def camera_for(stage: str, fault_check: str, leg: str) -> CameraSpec:
    """Where a careful patient would put the camera: a view that can judge the set's likely
    fault, on the side of the leg that matters (the working leg; the free leg for a deadlift)."""
    view = "side" if REGISTRY[fault_check].supports_view("side") else "front"
    near = leg if leg in ("left", "right") else "left"
    if stage.startswith("D") and near in ("left", "right"):
        near = "right" if near == "left" else "left"
    return CameraSpec(view=view, near_side=near)  # type: ignore[arg-type]


def _rep_spec(stage: str, rep: PlannedRep, fault_check: str) -> RepSpec:
    faults = Faults() if rep.good else FAULT_FOR_CHECK[fault_check]
    tempo = None
    if rep.good and rep.eccentric_s:
        # A good demo rep is clearly slow: the program asks for 1.5 s or more of lowering, and
        # a demo should not balance on the threshold.
        eccentric = max(rep.eccentric_s, GOOD_ECCENTRIC_S)
        st = PROGRAM.stage(stage)
        base = (
            Tempo(2.5, 0.4, 1.5, 1.0) if st.eccentric_phase == "down" else Tempo(1.2, 0.8, 2.0, 1.0)
        )
        if st.eccentric_phase == "down":
            tempo = Tempo(eccentric, base.hold_s, base.second_s, base.rest_s)
        else:
            tempo = Tempo(base.first_s, base.hold_s, eccentric, base.rest_s)
    leg = rep.leg if rep.leg in ("left", "right") else None
    return RepSpec(faults=faults, tempo=tempo, leg=leg)


def _legs(plan: RepPlan) -> Iterable[tuple[str, list[PlannedRep]]]:
    legs = [r.leg for r in plan.reps]
    for leg in dict.fromkeys(legs):
        yield leg, [r for r in plan.reps if r.leg == leg]


def pipeline_audit(exercise: str, stage: str, plan: RepPlan) -> Audit:
    """Generate the planned set (one generated clip per working leg, the camera on that leg's
    side) and audit it with the real pipeline; the clips' reps are joined into one audit."""
    audits: list[Audit] = []
    for k, (leg, reps) in enumerate(_legs(plan)):
        spec = SetSpec(
            stage=stage,
            reps=tuple(_rep_spec(stage, r, plan.fault_check) for r in reps),
            leg=leg if leg in ("left", "right") else "left",  # type: ignore[arg-type]
            camera=camera_for(stage, plan.fault_check, leg),
            noise=NoiseSpec.level(DEMO_NOISE),
            fps=DEMO_FPS,
            seed=hash((stage, leg, len(reps), k)) % 2**31,
        )
        audits.append(analyze_track(generate_set(spec).track, exercise, stage=stage).audit)
    return merge_audits(audits)


def merge_audits(audits: list[Audit]) -> Audit:
    """One audit for a set filmed in pieces: reps renumbered in order, counts recomputed."""
    if len(audits) == 1:
        return audits[0]
    reps: list[Rep] = []
    for a in audits:
        offset = len(reps)
        reps.extend(r.model_copy(update={"index": offset + i + 1}) for i, r in enumerate(a.reps))
    first = audits[0]
    return first.model_copy(
        update={
            "reps": reps,
            "counts": count_reps(reps),
            "checks_run": sorted({c for a in audits for c in a.checks_run}),
            "warnings": [w for a in audits for w in a.warnings],
        }
    )


def main() -> int:
    from hamcoach.cli.analysis import render_audit
    from hamcoach.cli.patients import render_demo

    console = Console(highlight=False)
    console.rule("[bold]HamCoach demo[/] - motion made by HamCoach itself, no real person")
    console.print("1. One squat set, generated and audited by the full pipeline:\n")
    squat = generate_set(demo_squat_set())
    render_audit(analyze_track(squat.track, "squat", stage="S2").audit, console)
    truth = ", ".join(f"{r.start_s:.1f}-{r.end_s:.1f} s" for r in squat.truth.reps)
    console.print(
        f"[dim]Ground truth of the generator: {len(squat.truth.reps)} reps at {truth}.[/]\n"
    )

    DEMO_DIR.mkdir(parents=True, exist_ok=True)
    db_path = DEMO_DIR / "hamcoach-demo.db"
    for stale in DEMO_DIR.glob("hamcoach-demo.db*"):
        stale.unlink()
    db_url = f"sqlite:///{db_path.resolve()}"
    console.print(
        "2. Three weeks of the program for a demo patient: every set is generated motion audited "
        "by the pipeline; the program's rules decide. (About a minute.)\n"
    )
    t0 = time.perf_counter()
    result = build_demo(db_url, pipeline_audit)
    render_demo(result, db_url, console)
    console.print(
        f"\n[dim]{len(result.session_ids)} sessions in {time.perf_counter() - t0:.0f} s, stored "
        f"in {db_path}.[/]"
    )
    from hamcoach.web.seed import seed_demo_web

    logins = seed_demo_web(db_url, DEMO_DIR / "web")
    console.rule("3. The clinic web app on the same data")
    console.print(
        f".venv/bin/hamcoach serve --db {db_url} --data {DEMO_DIR / 'web'}\n"
        "then open http://127.0.0.1:8000 and log in:",
        soft_wrap=True,
    )
    for login in logins:
        console.print(f"  {login.role:9} {login.email} / {login.password}  ({login.who})")
    console.print(
        f"Or on the command line: .venv/bin/hamcoach history demo --db {db_url}", soft_wrap=True
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
