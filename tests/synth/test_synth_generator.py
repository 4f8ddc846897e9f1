"""The synthetic generator: determinism, anatomy, geometry of faults, camera conventions, truth."""

from __future__ import annotations

import itertools
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from hamcoach.landmarks import L
from hamcoach.pipeline import analyze_track
from hamcoach.synth import (
    STAGES,
    BodySpec,
    CameraSpec,
    Faults,
    NoiseSpec,
    RepSpec,
    Segments,
    SetSpec,
    SyntheticSet,
    SynthSpecError,
    demo_squat_set,
    generate_set,
    suite,
)
from hamcoach.synth.body import DRILLIS_CONTINI, SIDES
from hamcoach.synth.motions import standing_leg
from hamcoach.synth.scenario import NEAR_LINE_BANDS, is_near_line, suite_set, truth_line
from hamcoach.track import load_track, save_track

LAND = {"width": 1280, "height": 720}
LYING = {"B1", "B2", "B3", "C1", "C2", "C3"}


@cache
def clean(stage: str, view: str = "side", **faults: float) -> SyntheticSet:
    """A noise-free 3-rep set at 20 fps (cached: sets are immutable in these tests)."""
    size = LAND if stage in LYING else {}
    return generate_set(
        SetSpec(
            stage=stage,
            n_reps=3,
            fps=20.0,
            faults=Faults(**faults),  # type: ignore[arg-type]
            camera=CameraSpec(view=view, **size),  # type: ignore[arg-type]
        )
    )


# ------------------------------------------------------------------------------ determinism


def test_same_seed_same_track_and_other_seed_other_track() -> None:
    spec = SetSpec(stage="S3", n_reps=3, leg="alternate", noise=NoiseSpec.level("high"), seed=7)
    a, b = generate_set(spec), generate_set(spec)
    for x, y in ((a.track.image, b.track.image), (a.track.confidence, b.track.confidence)):
        np.testing.assert_array_equal(x, y)
    assert a.track.world is not None and b.track.world is not None
    np.testing.assert_array_equal(a.track.world, b.track.world)
    assert a.truth.reps == b.truth.reps
    c = generate_set(SetSpec(stage="S3", n_reps=3, leg="alternate", noise=spec.noise, seed=8))
    assert not np.array_equal(np.nan_to_num(a.track.image), np.nan_to_num(c.track.image))
    # the seed moves the noise only: the truth does not depend on it
    assert [r.faults for r in a.truth.reps] == [r.faults for r in c.truth.reps]


def test_suite_is_reproducible_and_varied() -> None:
    specs = suite(seed=3, size=24)
    assert specs == suite(seed=3, size=24)
    assert {s.stage for s in specs} == set(STAGES)
    assert len({s.camera.view for s in specs}) >= 4
    assert all(not s.problems() for s in specs)


def test_each_suite_set_is_drawn_on_its_own() -> None:
    # a set depends on the seed and its index only: a smaller suite is the start of a larger
    # one, and no set's choices shift another set's draws
    assert suite(seed=3, size=30)[:12] == suite(seed=3, size=12)
    assert suite(seed=3, size=30)[17] == suite_set(3, 17)
    assert suite_set(3, 17) != suite_set(4, 17)


def test_the_suite_is_dense_in_faults_and_keeps_clean_reps() -> None:
    specs = suite(seed=0, size=240)
    reps = [r for s in specs for r in s.reps or () if r.rom == 1.0]
    faulty = [r for r in reps if r.faults != Faults() and r.faults.fast_eccentric_s is None]
    share = len(faulty) / len(reps)
    # FAULTY_SET_SHARE x FAULTY_REP_SHARE = 0.42 of the full reps carry the set's fault
    assert 0.35 < share < 0.5
    assert sum(s.walk_in for s in specs) > 20


def test_reps_near_the_truths_line_are_told_apart() -> None:
    assert truth_line("bridge.hip_height", "bridge") == (15.0, ">")
    # one leg extends the hip less than two (the real single-leg bridges' labels)
    assert truth_line("bridge.hip_height", "single_leg_bridge") == (40.0, ">")
    assert truth_line("bridge.slow_lowering", "bridge") == (0.4, "<")
    assert is_near_line("bridge.hip_height", "bridge", 15.3)  # a heel lift's side effect
    assert not is_near_line("bridge.hip_height", "bridge", 21.0)  # a sag of the suite
    assert not is_near_line("bridge.hip_height", "single_leg_bridge", 21.0)
    assert set(NEAR_LINE_BANDS) == {c for info in STAGES.values() for c in info.checks}


# -------------------------------------------------------------------------------- anatomy


@pytest.mark.parametrize(
    "body",
    [BodySpec(), BodySpec(1.5, 0.85, 0.96), BodySpec(1.95, 1.2, 1.04)],
    ids=["average", "short-slender", "tall-broad"],
)
def test_segment_lengths_within_anthropometric_ranges(body: BodySpec) -> None:
    seg = Segments.from_spec(body)
    h = body.height_m
    # Drillis & Contini fractions, +-6 % for individual proportions
    for name, frac in (("thigh", "thigh"), ("shank", "shank"), ("trunk", "trunk")):
        ratio = getattr(seg, name) / h
        assert abs(ratio / DRILLIS_CONTINI[frac] - 1) <= 0.06, name
    assert 0.08 <= seg.hip_width / h <= 0.13
    assert 0.18 <= seg.shoulder_width / h <= 0.27
    assert seg.shoulder_width > seg.hip_width
    # standing: hip, shoulder and eye heights close to the table
    pts = generate_set(SetSpec(stage="S2", n_reps=1, body=body)).truth.lab_points[0]
    assert pts[L.LEFT_HIP, 2] / h == pytest.approx(DRILLIS_CONTINI["hip_height"], abs=0.03)
    assert pts[L.LEFT_SHOULDER, 2] / h == pytest.approx(
        DRILLIS_CONTINI["shoulder_height"], abs=0.03
    )
    assert pts[L.LEFT_EYE, 2] / h == pytest.approx(DRILLIS_CONTINI["eye_height"], abs=0.03)


@pytest.mark.parametrize("stage", list(STAGES))
def test_body_is_rigid_grounded_and_knees_bend_forwards(stage: str) -> None:
    s = clean(stage)
    pts, seg = s.truth.lab_points, s.truth.segments
    for side in SIDES:
        hip, knee, ankle = (
            (L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE)
            if side == "left"
            else (L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE)
        )
        thigh = pts[:, knee] - pts[:, hip]
        shank = pts[:, ankle] - pts[:, knee]
        np.testing.assert_allclose(np.linalg.norm(thigh, axis=1), seg.thigh, rtol=1e-6)
        np.testing.assert_allclose(np.linalg.norm(shank, axis=1), seg.shank, rtol=1e-6)
        # a knee bends one way only: the hinge axis points to the performer's left
        lateral = pts[:, L.LEFT_HIP] - pts[:, L.RIGHT_HIP]
        hinge = np.sum(np.cross(thigh, shank) * lateral, axis=1)
        bent = s.truth.angles[f"knee_flexion_{side}"] > 10
        assert np.all(hinge[bent] > 0), f"{side} knee bends backwards"
    # nothing below the floor, and the body rests on it (not floating)
    assert pts[:, :, 2].min() > -0.005
    if "ball" in s.truth.props:  # the working heel rests on top of the ball
        ball = s.truth.props["ball"]
        np.testing.assert_allclose(pts[:, L.LEFT_HEEL, 2], 2 * ball[:, 2], atol=0.005)
        np.testing.assert_allclose(pts[:, L.LEFT_HEEL, 0], ball[:, 0], atol=1e-9)
    if stage not in LYING:
        assert pts[0, :, 2].min() < 0.005
    else:
        back = pts[0, [L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_SHOULDER, L.RIGHT_SHOULDER], 2]
        assert np.all(back < 0.12) and np.all(back > 0.05)


def test_standing_leg_closed_form() -> None:
    seg = Segments.from_spec(BodySpec())
    hip, knee, ankle, _ = standing_leg(seg, "left", seg.hip_width / 2, 0.0, 25.0, -10.0)
    thigh, shank = knee - hip, ankle - knee
    flex = np.degrees(np.arccos(np.dot(thigh, shank) / seg.thigh / seg.shank))
    # sagittal leg: knee flexion = shank tilt + thigh angle from vertical
    assert flex == pytest.approx(25.0 + 90.0 - (-10.0), abs=1e-9)


# --------------------------------------------------------------------------- fault geometry


@pytest.mark.parametrize("depth", [-20.0, -10.0, 0.0, 12.0])
def test_squat_bottom_reaches_the_requested_depth(depth: float) -> None:
    s = generate_set(SetSpec(stage="S2", n_reps=2, faults=Faults(depth_deg=depth)))
    a, t = s.truth.angles, s.track.t_s
    for rep in s.truth.reps:
        i = int(np.argmin(np.abs(t - rep.bottom_s)))
        for side in SIDES:
            assert a[f"thigh_elevation_{side}"][i] == pytest.approx(depth, abs=1e-6)
        assert rep.metrics["squat.depth"] == pytest.approx(depth, abs=1e-6)
        assert ("squat.depth" in rep.faults) == (depth > 0)
    # the knee angle at the bottom follows from the leg's geometry (law of cosines)
    pts = s.truth.lab_points[i]
    d = np.linalg.norm(pts[L.LEFT_ANKLE] - pts[L.LEFT_HIP])
    seg = s.truth.segments
    inner = np.degrees(
        np.arccos((seg.thigh**2 + seg.shank**2 - d**2) / (2 * seg.thigh * seg.shank))
    )
    assert a["knee_flexion_left"][i] == pytest.approx(180.0 - inner, abs=1e-6)


@pytest.mark.parametrize("valgus", [10.0, 20.0, 30.0])
def test_knee_valgus_moves_the_knee_medially_by_the_expected_amount(valgus: float) -> None:
    cam = CameraSpec(view="front", distance_m=3.0, height_m=1.0)
    base = generate_set(SetSpec(stage="S3", n_reps=1, camera=cam))
    caved = generate_set(
        SetSpec(stage="S3", n_reps=1, camera=cam, faults=Faults(knee_valgus_deg=valgus))
    )
    np.testing.assert_allclose(base.truth.camera.rotation, caved.truth.camera.rotation)
    i = int(np.argmin(np.abs(base.track.t_s - base.truth.reps[0].bottom_s)))
    p = base.truth.lab_points[i]
    hip, knee, ankle = p[L.LEFT_HIP], p[L.LEFT_KNEE], p[L.LEFT_ANKLE]
    # closed form: the knee turns by `valgus` on a circle about the hip-ankle axis
    u = (ankle - hip) / np.linalg.norm(ankle - hip)
    q = (knee - hip) - np.dot(knee - hip, u) * u
    r = np.linalg.norm(q)
    w = np.cross(u, q / r)
    if w[1] > 0:  # medial for the left knee is -Y (towards the midline)
        w = -w
    th = np.radians(valgus)
    expected = r * ((np.cos(th) - 1) * q / r + np.sin(th) * w)
    rot = base.truth.camera.rotation
    assert base.track.world is not None and caved.track.world is not None
    moved = caved.track.world[i, L.LEFT_KNEE] - base.track.world[i, L.LEFT_KNEE]
    # world landmarks are hip-centred: the hips do not move, so the difference is the knee's
    np.testing.assert_allclose(moved, expected @ rot, atol=1e-9)
    # in the front image the performer's left knee (image right) moves left, towards the midline
    du = caved.track.image[i, L.LEFT_KNEE, 0] - base.track.image[i, L.LEFT_KNEE, 0]
    assert du < 0
    z = (base.truth.camera.to_camera(knee[None]))[0, 2]
    assert du == pytest.approx(base.truth.camera.focal_px * (expected @ rot)[0] / z, rel=0.1)


FAULT_CASES = [
    ("S2", {"depth_deg": 20.0}, "squat.depth"),
    ("S2", {"knee_valgus_deg": 42.0}, "squat.knee_valgus"),
    ("S2", {"knees_past_toes_cm": 18.0}, "squat.knees_past_toes"),
    ("S2", {"knees_together_ascent_deg": 15.0}, "squat.knees_together_ascent"),
    ("S2", {"fast_eccentric_s": 0.5}, "tempo.controlled"),
    ("S1", {"depth_deg": 28.0}, "squat.depth"),
    ("S3", {"knee_valgus_deg": 30.0}, "squat.knee_valgus"),
    ("S3", {"pelvis_drop_deg": 12.0}, "squat.pelvis_level"),
    ("S3", {"trunk_lean_deg": 20.0}, "squat.trunk_lean"),
    ("B1", {"hip_sag_cm": 12.0}, "bridge.hip_height"),
    ("B1", {"heel_lift_cm": 5.0}, "bridge.heel_down"),
    ("B1", {"fast_eccentric_s": 0.3}, "bridge.slow_lowering"),
    ("B3", {"hips_not_level_deg": 14.0}, "bridge.hips_level"),
    ("C1", {"ball_hips_sag_cm": 10.0}, "ball_curl.hips_up"),
    ("C1", {"incomplete_extension_deg": 35.0}, "ball_curl.full_extension"),
    ("C1", {"incomplete_curl_deg": 40.0}, "ball_curl.full_curl"),
    ("C3", {"hips_not_level_deg": 14.0}, "bridge.hips_level"),
    ("D1", {"back_leads_deg": 30.0}, "sldl.leg_leads"),
    ("D1", {"v_shape_deg": 30.0}, "sldl.body_line"),
    ("D2", {"hips_open_deg": 30.0}, "sldl.hips_square"),
]


@pytest.mark.parametrize(("stage", "faults", "check"), FAULT_CASES)
def test_each_fault_fails_its_check_and_only_it(
    stage: str, faults: dict[str, float], check: str
) -> None:
    s = clean(stage, "side", **faults)
    # a fast lowering of a bridge fails both tempo checks; knees caving on the way up are valgus too
    also = {
        "bridge.slow_lowering": {"tempo.controlled"},
        "squat.knees_together_ascent": {"squat.knee_valgus"},
    }.get(check, set())
    for rep in s.truth.reps:
        assert check in rep.faults, rep.metrics
        assert set(rep.faults) - {check} <= also, (rep.faults, rep.metrics)
        assert rep.magnitudes == faults


@pytest.mark.parametrize("stage", list(STAGES))
def test_good_form_fails_nothing(stage: str) -> None:
    assert all(rep.faults == () for rep in clean(stage).truth.reps)


def test_no_rest_flags_the_rep_after_the_rest_on_continuous_stages_only() -> None:
    reps = (RepSpec(), RepSpec(faults=Faults(rest_before_s=2.0)), RepSpec())
    for stage, flagged in (("B2", True), ("C2", True), ("B1", False)):
        s = generate_set(SetSpec(stage=stage, reps=reps))
        got = ["bridge.no_rest" in r.faults for r in s.truth.reps]
        assert got == [False, flagged, False], stage
        assert s.truth.reps[1].start_s - s.truth.reps[0].end_s >= 2.0


def test_a_rest_before_a_partial_pulse_is_rest_before_the_next_rep() -> None:
    """2 s on the floor, a 15 % pulse, then a rep at once: the hips rested between the two
    full reps, so the rep after the pulse breaks "no rest" (the pulse is not a rep)."""
    reps = (
        RepSpec(),
        RepSpec(rom=0.15, faults=Faults(rest_before_s=2.0)),
        RepSpec(),
        RepSpec(),
    )
    s = generate_set(SetSpec(stage="B2", reps=reps))
    rest = [r.metrics["bridge.no_rest"] for r in s.truth.reps]
    assert rest[1] > 2.0
    assert rest[2] == pytest.approx(rest[1])  # the longest rest since the first rep
    assert rest[3] < 0.5
    assert ["bridge.no_rest" in r.faults for r in s.truth.reps] == [False, True, True, False]


def test_a_shallow_squat_moves_about_half_as_far_as_a_full_one() -> None:
    """The truth says how far each rep really moved (range_fraction): a squat stopping 25 deg
    above parallel drops its hips about half as far as one past parallel (the rep engine may
    call it partial); a clean rep moves the full way and a partial pulse its own range."""
    reps = (RepSpec(), RepSpec(faults=Faults(depth_deg=25.0)), RepSpec(), RepSpec(rom=0.3))
    s = generate_set(SetSpec(stage="S2", reps=reps, camera=CameraSpec(view="side")))
    fractions = [r.range_fraction for r in s.truth.reps]
    assert fractions[0] == pytest.approx(1.0, abs=0.02)
    assert fractions[2] == pytest.approx(1.0, abs=0.02)
    assert 0.35 < fractions[1] < 0.6
    assert fractions[3] < 0.3


# ------------------------------------------------------------------------------- cameras


def _torso_px(img: npt.NDArray[np.float64]) -> float:
    sh = (img[L.LEFT_SHOULDER, :2] + img[L.RIGHT_SHOULDER, :2]) / 2
    hp = (img[L.LEFT_HIP, :2] + img[L.RIGHT_HIP, :2]) / 2
    return float(np.linalg.norm(sh - hp))


def test_side_view_has_narrow_shoulders_front_view_wide() -> None:
    side = clean("S2", "side").track.image[0]
    front = clean("S2", "front").track.image[0]
    side_w = abs(side[L.LEFT_SHOULDER, 0] - side[L.RIGHT_SHOULDER, 0])
    front_w = abs(front[L.LEFT_SHOULDER, 0] - front[L.RIGHT_SHOULDER, 0])
    assert side_w / _torso_px(side) < 0.1
    assert front_w / _torso_px(front) > 0.6


@pytest.mark.parametrize(("view", "left_on_right"), [("front", True), ("rear", False)])
def test_left_is_the_performers_own(view: str, left_on_right: bool) -> None:
    s = clean("S2", view)
    assert s.truth.facing == ("camera" if view == "front" else "away")
    img = s.track.image[0]
    for left, right in ((L.LEFT_SHOULDER, L.RIGHT_SHOULDER), (L.LEFT_HIP, L.RIGHT_HIP)):
        assert (img[left, 0] > img[right, 0]) == left_on_right


def test_side_view_far_side_is_less_visible_and_deeper() -> None:
    s = clean("S2", "side")  # camera on the performer's left
    # seen from their left, a performer facing +X looks towards the image left
    assert s.truth.facing == "left"
    assert s.track.image[0, L.NOSE, 0] < s.track.image[0, L.LEFT_EAR, 0]
    conf, img = s.track.confidence[0], s.track.image[0]
    for near, far in ((L.LEFT_HIP, L.RIGHT_HIP), (L.LEFT_KNEE, L.RIGHT_KNEE)):
        assert conf[near] > 0.9 > conf[far]
        assert img[near, 2] < 0 < img[far, 2]  # MediaPipe z: smaller = nearer
    world = s.track.world
    assert world is not None
    np.testing.assert_allclose((world[:, L.LEFT_HIP] + world[:, L.RIGHT_HIP]) / 2, 0, atol=1e-12)


def test_rear_view_hides_the_face_and_overhead_sees_a_lying_body_whole() -> None:
    rear = clean("S2", "rear").track.confidence[0]
    assert rear[L.NOSE] < 0.6 < rear[L.LEFT_SHOULDER]
    s = clean("B1", "overhead")
    assert np.all(s.track.confidence[0] > 0.9)
    img = s.track.image[0]
    assert img[L.NOSE, 1] < img[L.LEFT_HIP, 1] < img[L.LEFT_ANKLE, 1]  # head at the top


# --------------------------------------------------------------------------------- truth


@pytest.mark.parametrize("stage", list(STAGES))
def test_every_stage_generates_the_requested_reps_without_nan(stage: str) -> None:
    s = clean(stage)
    tr, reps = s.track, s.truth.reps
    assert not np.isnan(tr.image).any() and tr.world is not None and not np.isnan(tr.world).any()
    assert len(reps) == 3
    assert all(r.leg == ("both" if STAGES[stage].exercise in _TWO_LEG else "left") for r in reps)
    assert reps[0].start_s >= 1.0 and tr.t_s[-1] - reps[-1].end_s >= 1.0
    for a, b in itertools.pairwise(reps):
        assert a.start_s < a.bottom_s < a.end_s <= b.start_s
    assert set(s.truth.angles) >= {
        "knee_flexion_left",
        "knee_flexion_right",
        "hip_flexion_left",
        "hip_flexion_right",
    }
    assert all(v.shape == (tr.n_frames,) for v in s.truth.angles.values())


_TWO_LEG = {"bridge", "ball_curl", "squat", "box_squat"}


def test_noise_drops_frames_only_as_missing_with_zero_confidence() -> None:
    spec = SetSpec(stage="D1", n_reps=4, leg="alternate", noise=NoiseSpec.level("high"), seed=2)
    s = generate_set(spec)
    img, conf = s.track.image, s.track.confidence
    missing = np.isnan(img[:, :, 0])
    assert missing.any()
    assert np.all(conf[missing] == 0)
    assert [r.leg for r in s.truth.reps] == ["left", "right", "left", "right"]
    # jitter is a few pixels, not a different pose
    ok = ~missing
    err = np.abs(img[:, :, :2] - s.truth.clean_image[:, :, :2])[ok]
    assert np.median(err) < 0.02 * s.track.height


def test_demo_set_is_a_good_side_view_squat_set() -> None:
    spec = demo_squat_set()
    assert spec.stage == "S2" and spec.camera.view == "side"
    s = generate_set(spec)
    assert len(s.truth.reps) == 5 and all(r.faults == () for r in s.truth.reps)


def test_invalid_spec_lists_every_problem() -> None:
    with pytest.raises(SynthSpecError) as err:
        generate_set(SetSpec(stage="X9", n_reps=0, fps=1.0))
    msg = str(err.value)
    assert "stage" in msg and "n_reps" in msg and "fps" in msg


@pytest.mark.parametrize(
    ("stage", "check"),
    [("S2", "squat.depth"), ("B1", "bridge.hip_height"), ("C2", "ball_curl.full_curl")],
)
def test_partial_reps_fail_the_range_check(stage: str, check: str) -> None:
    s = generate_set(SetSpec(stage=stage, reps=(RepSpec(), RepSpec(rom=0.4), RepSpec())))
    assert [check in r.faults for r in s.truth.reps] == [False, True, False]
    assert s.truth.reps[1].rom == 0.4


def test_docs_examples_run() -> None:
    spec = SetSpec(
        stage="S2",
        reps=(RepSpec(),) * 2
        + (RepSpec(faults=Faults(knee_valgus_deg=35)),) * 2
        + (RepSpec(),) * 2,
        camera=CameraSpec(view="front"),
        noise=NoiseSpec.level("default"),
        seed=1,
    )
    s = generate_set(spec)
    caved = ("squat.knee_valgus",)
    assert [r.faults for r in s.truth.reps] == [(), (), caved, caved, (), ()]
    d1 = generate_set(
        SetSpec(stage="D1", leg="right", faults=Faults(back_leads_deg=30, fast_eccentric_s=0.5))
    )
    assert set(d1.truth.reps[0].faults) == {"sldl.leg_leads", "tempo.controlled"}
    assert d1.truth.reps[0].leg == "right"


def test_pillow_keeps_the_knees_together_and_losing_it_opens_them(tmp_path: Path) -> None:
    def knee_gap(s: SyntheticSet) -> float:
        i = int(np.argmin(np.abs(s.track.t_s - s.truth.reps[0].bottom_s)))
        p = s.truth.lab_points[i]
        return float(p[L.LEFT_KNEE, 1] - p[L.RIGHT_KNEE, 1])

    plain = knee_gap(generate_set(SetSpec(stage="B1", n_reps=1)))
    squeeze = knee_gap(generate_set(SetSpec(stage="B1", n_reps=1, pillow=True)))
    opened = generate_set(
        SetSpec(stage="B1", n_reps=1, pillow=True, faults=Faults(knees_open_cm=5))
    )
    assert squeeze < plain
    assert knee_gap(opened) - squeeze == pytest.approx(0.10, abs=0.01)
    # and the track survives a save/load round trip unchanged
    save_track(opened.track, tmp_path / "t.npz")
    back = load_track(tmp_path / "t.npz")
    np.testing.assert_array_equal(back.image, opened.track.image)
    assert back.meta["stage"] == "B1" and back.fps == opened.track.fps


def test_occlusion_hides_the_far_knee_but_not_a_free_leg_raised_behind() -> None:
    # D1 on the left leg, camera on the left: the free (right) leg is the far one
    s = clean("D1", "side")
    conf, t = s.truth.clean_confidence, s.track.t_s
    bottom = int(np.argmin(np.abs(t - s.truth.reps[0].bottom_s)))
    assert conf[0, L.RIGHT_KNEE] < 0.5  # standing: behind the stance leg
    assert conf[bottom, L.RIGHT_KNEE] > 0.8  # raised behind the body: in plain sight
    assert conf[bottom, L.RIGHT_HIP] < 0.5  # behind the pelvis


def test_noise_swaps_and_freezes_exactly_where_it_says() -> None:
    noise = NoiseSpec(swap_per_min=30.0, whole_body_swap_fraction=0.0, frozen_runs=2)
    s = generate_set(SetSpec(stage="S2", n_reps=2, noise=noise, seed=5))
    img, clean_img, log = s.track.image, s.truth.clean_image, s.truth.noise_log
    assert log.swapped and log.frozen
    frozen = {i for a, b in log.frozen for i in range(a, b)}
    for a, b in log.swapped:
        for i in range(a, b):
            if i not in frozen:
                np.testing.assert_array_equal(img[i, L.LEFT_KNEE], clean_img[i, L.RIGHT_KNEE])
    for a, b in log.frozen:
        for i in range(a, b):
            np.testing.assert_array_equal(img[i], img[a - 1])


def test_walk_in_enters_from_out_of_frame_and_delays_the_reps() -> None:
    plain = generate_set(SetSpec(stage="S2", n_reps=2))
    walk = generate_set(SetSpec(stage="S2", n_reps=2, walk_in=True))
    assert walk.truth.reps[0].start_s == pytest.approx(plain.truth.reps[0].start_s + 3.0)
    assert np.all(walk.track.confidence[0, 11:] <= 0.05)  # body out of frame at the start
    assert walk.truth.facing == plain.truth.facing == "left"


@pytest.mark.parametrize(("lead", "true_lead"), [(0.0, -2.5), (30.0, 21.1), (45.0, 38.0)])
def test_the_true_leg_lead_is_what_the_engine_measures_on_a_clean_picture(
    lead: float, true_lead: float
) -> None:
    """The truth of ``sldl.leg_leads`` is the trunk's tilt beyond the free leg's swing from
    vertical (the clinic's line), not the generator's knob: a free foot resting behind the body
    already has some swing, so a trunk tipping 30 deg before the leg moves leads it by ~20."""
    spec = SetSpec(
        stage="D1",
        n_reps=2,
        leg="left",
        faults=Faults(back_leads_deg=lead),
        camera=CameraSpec(view="side", near_side="right"),  # the free leg faces the camera
    )
    syn = generate_set(spec)
    audit = analyze_track(syn.track, "single_leg_deadlift", stage="D1").audit
    measured = [f.value for r in audit.reps for f in r.findings if f.check == "sldl.leg_leads"]
    truth = [r.metrics["sldl.leg_leads"] for r in syn.truth.reps]
    assert len(measured) == len(truth) == 2
    assert truth == pytest.approx([true_lead] * 2, abs=0.2)
    assert measured == pytest.approx(truth, abs=1.5)
