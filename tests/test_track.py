"""The pose-track type: lossless storage, validation, mirroring, measures that ignore where the
body is and how big it looks, and missing joints that stay missing through cleaning."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hamcoach.cleaning import clean_track
from hamcoach.errors import TrackFormatError
from hamcoach.kinematics import flexion, incline, knee_gap_ratio, knee_medial_offset
from hamcoach.landmarks import LEFT_RIGHT_PAIRS, N_LANDMARKS, L
from hamcoach.settings import CleaningSettings
from hamcoach.track import FloatArray, PoseTrack, load_track, save_track
from tests.closed_form import SquatSet, make_squat_track

PROPERTY = settings(max_examples=150, deadline=None)


def assert_same_track(a: PoseTrack, b: PoseTrack) -> None:
    """Every array bit-for-bit (NaN where NaN) and every scalar and meta field equal."""
    for name in ("image", "confidence", "t_s"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype == np.float64
        np.testing.assert_array_equal(x, y, err_msg=name)
    if a.world is None:
        assert b.world is None
    else:
        assert b.world is not None
        np.testing.assert_array_equal(a.world, b.world, err_msg="world")
    assert (a.width, a.height, a.fps, a.source, a.backend) == (
        b.width,
        b.height,
        b.fps,
        b.source,
        b.backend,
    )
    assert a.meta == b.meta


# --- storage -------------------------------------------------------------------------------------


def noisy_track(with_world: bool) -> PoseTrack:
    """A front-view squat with awkward values: NaN holes, sub-pixel noise, an odd frame rate."""
    track = make_squat_track(SquatSet(view="front", fps=29.97))
    rng = np.random.default_rng(7)
    image = track.image + rng.normal(0, 1e-3, track.image.shape)
    image[10:20, int(L.LEFT_KNEE)] = np.nan
    conf = track.confidence.copy()
    conf[10:20, int(L.LEFT_KNEE)] = 0.0
    return track.replace(
        image=image,
        confidence=conf,
        world=track.world if with_world else None,
        source="clips/ünïcode name.mp4",
        meta={
            "rotation_deg": 90,
            "frame_count_header": 512,
            "warnings": ["The video may be truncated."],
            "nested": {"a": [1, 2.5, None], "b": "x"},
        },
    )


@pytest.mark.parametrize("with_world", [True, False], ids=["world", "no-world"])
def test_save_load_round_trip_is_lossless(tmp_path: Path, with_world: bool) -> None:
    track = noisy_track(with_world)
    path = tmp_path / "sub" / "track.npz"
    save_track(track, path)
    loaded = load_track(path)
    assert_same_track(track, loaded)
    assert np.isnan(loaded.image[10:20, int(L.LEFT_KNEE)]).all()
    assert sorted(p.name for p in path.parent.iterdir()) == ["track.npz"]  # no temporary left


def test_save_overwrites_an_older_track(tmp_path: Path) -> None:
    path = tmp_path / "track.npz"
    save_track(noisy_track(True), path)
    newer = noisy_track(False).slice(0, 40)
    save_track(newer, path)
    assert_same_track(newer, load_track(path))


# --- validation ----------------------------------------------------------------------------------


def arrays(n: int = 5) -> dict[str, FloatArray]:
    return {
        "image": np.zeros((n, N_LANDMARKS, 3)),
        "confidence": np.full((n, N_LANDMARKS), 0.5),
        "t_s": np.arange(n) / 30.0,
        "world": np.zeros((n, N_LANDMARKS, 3)),
    }


def make(**changes: object) -> PoseTrack:
    fields: dict[str, object] = {**arrays(), "width": 640, "height": 480, "fps": 30.0}
    fields.update(changes)
    return PoseTrack(**fields)  # type: ignore[arg-type]


def test_valid_arrays_make_a_track() -> None:
    track = make()
    assert track.n_frames == 5
    assert track.duration_s == pytest.approx(4 / 30.0)


def test_validation_names_every_problem_at_once() -> None:
    with pytest.raises(TrackFormatError) as info:
        make(
            confidence=np.zeros((4, N_LANDMARKS)),
            t_s=np.array([0.0, 0.1, 0.1, 0.2, 0.3]),
            world=np.zeros((5, N_LANDMARKS, 2)),
        )
    assert str(info.value) == (
        "Pose track is malformed: "
        "confidence must have shape (5, 33), got (4, 33); "
        "timestamps t_s must be strictly increasing; "
        "world must have shape (5, 33, 3), got (5, 33, 2)."
    )


def test_validation_reports_timestamp_shape_and_confidence_range() -> None:
    conf = np.full((5, N_LANDMARKS), 0.5)
    conf[2, 3] = 1.5
    with pytest.raises(TrackFormatError) as info:
        make(confidence=conf, t_s=np.arange(4.0))
    assert str(info.value) == (
        "Pose track is malformed: t_s must have shape (5,), got (4,); "
        "confidence must lie in [0, 1]."
    )


@pytest.mark.parametrize(
    ("t_s", "ok"),
    [
        ([0.0, 0.1, 0.2, 0.3, 0.4], True),
        ([0.0, 0.1, 0.1, 0.3, 0.4], False),  # a repeated time
        ([0.0, 0.2, 0.1, 0.3, 0.4], False),  # going back
        ([0.0, 0.1, np.nan, 0.3, 0.4], False),
    ],
)
def test_timestamps_must_strictly_increase(t_s: list[float], ok: bool) -> None:
    if ok:
        make(t_s=np.array(t_s))
        return
    with pytest.raises(TrackFormatError) as info:
        make(t_s=np.array(t_s))
    assert str(info.value) == "Pose track is malformed: timestamps t_s must be strictly increasing."


@pytest.mark.parametrize("shape", [(5, 17, 3), (5, 33, 2), (5, 33), (33, 3)])
def test_image_of_the_wrong_shape(shape: tuple[int, ...]) -> None:
    with pytest.raises(TrackFormatError) as info:
        make(image=np.zeros(shape))
    assert str(info.value) == (
        f"Pose track is malformed: image must have shape (frames, 33, 3), got {shape}."
    )


# --- mirroring -----------------------------------------------------------------------------------


@pytest.mark.parametrize("with_world", [True, False], ids=["world", "no-world"])
def test_mirrored_twice_is_the_identity(with_world: bool) -> None:
    track = noisy_track(with_world)
    twice = track.mirrored().mirrored()
    np.testing.assert_allclose(twice.image, track.image, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(twice.confidence, track.confidence)
    np.testing.assert_array_equal(twice.t_s, track.t_s)
    if with_world:
        assert twice.world is not None and track.world is not None
        np.testing.assert_array_equal(twice.world, track.world)
    else:
        assert twice.world is None
    assert twice.meta == track.meta


def test_mirrored_exchanges_sides_and_flips_x() -> None:
    track = noisy_track(True)
    m = track.mirrored()
    assert m.world is not None and track.world is not None
    for left, right in LEFT_RIGHT_PAIRS:
        np.testing.assert_allclose(
            m.image[:, left, 0], (track.width - 1) - track.image[:, right, 0], atol=1e-9
        )
        np.testing.assert_array_equal(m.image[:, left, 1:], track.image[:, right, 1:])
        np.testing.assert_array_equal(m.confidence[:, right], track.confidence[:, left])
        np.testing.assert_array_equal(m.world[:, left, 0], -track.world[:, right, 0])
    np.testing.assert_allclose(
        m.image[:, L.NOSE, 0], (track.width - 1) - track.image[:, L.NOSE, 0], atol=1e-9
    )
    # The missing left knee is now a missing right knee.
    assert np.isnan(m.image[10:20, int(L.RIGHT_KNEE)]).all()
    assert (m.confidence[10:20, int(L.RIGHT_KNEE)] == 0).all()


# --- measures ignore translation and scale -------------------------------------------------------

COORD = st.floats(-2000.0, 2000.0, allow_nan=False, allow_infinity=False)
POINT = st.tuples(COORD, COORD).map(np.array)
SHIFT = st.tuples(
    st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False),
    st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False),
).map(np.array)
SCALE = st.floats(0.05, 20.0)
ANGLE = st.floats(-math.pi, math.pi)
MIN_SEGMENT_PX = 5.0


def moved(p: FloatArray, shift: FloatArray, scale: float) -> FloatArray:
    return np.asarray(p * scale + shift, dtype=np.float64)


def rotated(p: FloatArray, angle: float, centre: FloatArray) -> FloatArray:
    c, s = math.cos(angle), math.sin(angle)
    rot = np.array([[c, -s], [s, c]])
    return np.asarray((p - centre) @ rot.T + centre, dtype=np.float64)


def far_apart(*pairs: tuple[FloatArray, FloatArray]) -> bool:
    return all(np.linalg.norm(a - b) >= MIN_SEGMENT_PX for a, b in pairs)


@PROPERTY
@given(a=POINT, b=POINT, c=POINT, shift=SHIFT, scale=SCALE)
def test_flexion_ignores_translation_and_scale(
    a: FloatArray, b: FloatArray, c: FloatArray, shift: FloatArray, scale: float
) -> None:
    if not far_apart((a, b), (c, b)):
        return
    before = float(flexion(a, b, c))
    after = float(flexion(moved(a, shift, scale), moved(b, shift, scale), moved(c, shift, scale)))
    assert 0.0 <= before <= 180.0
    assert after == pytest.approx(before, abs=1e-3)


@PROPERTY
@given(a=POINT, b=POINT, c=POINT, angle=ANGLE, centre=POINT)
def test_flexion_ignores_rotation(
    a: FloatArray, b: FloatArray, c: FloatArray, angle: float, centre: FloatArray
) -> None:
    if not far_apart((a, b), (c, b)):
        return
    before = float(flexion(a, b, c))
    after = float(
        flexion(rotated(a, angle, centre), rotated(b, angle, centre), rotated(c, angle, centre))
    )
    assert after == pytest.approx(before, abs=1e-3)


def test_flexion_known_values() -> None:
    b = np.array([0.0, 0.0])
    assert float(flexion(np.array([0.0, -1.0]), b, np.array([0.0, 1.0]))) == pytest.approx(0.0)
    assert float(flexion(np.array([0.0, -1.0]), b, np.array([1.0, 0.0]))) == pytest.approx(90.0)
    assert float(flexion(np.array([1.0, 1.0]), b, np.array([2.0, 2.0]))) == pytest.approx(180.0)


@PROPERTY
@given(p=POINT, q=POINT, shift=SHIFT, scale=SCALE)
def test_incline_ignores_translation_and_scale(
    p: FloatArray, q: FloatArray, shift: FloatArray, scale: float
) -> None:
    if not far_apart((p, q)):
        return
    before = float(incline(p, q))
    after = float(incline(moved(p, shift, scale), moved(q, shift, scale)))
    assert -90.0 <= before <= 90.0
    assert after == pytest.approx(before, abs=1e-3)


def test_incline_known_values() -> None:
    p = np.array([100.0, 100.0])
    assert float(incline(p, np.array([200.0, 100.0]))) == pytest.approx(0.0)
    assert float(incline(p, np.array([200.0, 0.0]))) == pytest.approx(45.0)  # up the picture
    assert float(incline(p, np.array([0.0, 0.0]))) == pytest.approx(45.0)  # either direction
    assert float(incline(p, np.array([100.0, 200.0]))) == pytest.approx(-90.0)


def legs_frame(
    left_hip: FloatArray,
    right_hip: FloatArray,
    knees: tuple[FloatArray, FloatArray],
    ankles: tuple[FloatArray, FloatArray],
) -> FloatArray:
    """One frame (33, 3) with only hips, knees and ankles present (z = 0)."""
    img = np.full((N_LANDMARKS, 3), np.nan)
    for lm, xy in (
        (L.LEFT_HIP, left_hip),
        (L.RIGHT_HIP, right_hip),
        (L.LEFT_KNEE, knees[0]),
        (L.RIGHT_KNEE, knees[1]),
        (L.LEFT_ANKLE, ankles[0]),
        (L.RIGHT_ANKLE, ankles[1]),
    ):
        img[int(lm)] = (*xy, 0.0)
    return img


def moved_frame(img: FloatArray, shift: FloatArray, scale: float) -> FloatArray:
    out = img.copy()
    out[:, :2] = img[:, :2] * scale + shift
    return out


@PROPERTY
@given(
    hips=st.tuples(POINT, POINT),
    knees=st.tuples(POINT, POINT),
    ankles=st.tuples(POINT, POINT),
    shift=SHIFT,
    scale=SCALE,
)
def test_knee_measures_ignore_translation_and_scale(
    hips: tuple[FloatArray, FloatArray],
    knees: tuple[FloatArray, FloatArray],
    ankles: tuple[FloatArray, FloatArray],
    shift: FloatArray,
    scale: float,
) -> None:
    img = legs_frame(hips[0], hips[1], knees, ankles)
    other = moved_frame(img, shift, scale)
    for side, hip, other_hip, ankle in (
        ("left", hips[0], hips[1], ankles[0]),
        ("right", hips[1], hips[0], ankles[1]),
    ):
        axis = ankle - hip
        length = float(np.linalg.norm(axis))
        # The side of the other hip must be clear (not on the hip-ankle line) for "medial" to mean
        # one direction.
        cross = axis[0] * (other_hip - hip)[1] - axis[1] * (other_hip - hip)[0]
        if length < MIN_SEGMENT_PX or abs(cross) / length < MIN_SEGMENT_PX:
            continue
        before = float(knee_medial_offset(img, side))
        after = float(knee_medial_offset(other, side))
        assert math.isfinite(before)
        assert after == pytest.approx(before, rel=1e-6, abs=1e-6)
    ankle_gap = abs(ankles[0][0] - ankles[1][0])
    if ankle_gap >= MIN_SEGMENT_PX:
        before = float(knee_gap_ratio(img))
        assert float(knee_gap_ratio(other)) == pytest.approx(before, rel=1e-6, abs=1e-9)


def test_knee_measures_known_values() -> None:
    # Front view, facing the camera: the performer's left hip is on the image right.
    img = legs_frame(
        left_hip=np.array([660.0, 500.0]),
        right_hip=np.array([540.0, 500.0]),
        knees=(np.array([640.0, 700.0]), np.array([560.0, 700.0])),  # both 20 px inwards
        ankles=(np.array([660.0, 900.0]), np.array([540.0, 900.0])),
    )
    assert float(knee_medial_offset(img, "left")) == pytest.approx(20.0 / 400.0)
    assert float(knee_medial_offset(img, "right")) == pytest.approx(20.0 / 400.0)
    assert float(knee_gap_ratio(img)) == pytest.approx(80.0 / 120.0)
    # A missing knee gives NaN, never a number.
    img[int(L.LEFT_KNEE)] = np.nan
    assert math.isnan(float(knee_medial_offset(img, "left")))
    assert math.isnan(float(knee_gap_ratio(img)))


def test_measures_are_vectorised_over_frames() -> None:
    track = make_squat_track(SquatSet(view="front"))
    per_frame = [float(knee_medial_offset(track.image[t], "left")) for t in range(0, 60, 7)]
    batch = knee_medial_offset(track.image[0:60:7], "left")
    np.testing.assert_allclose(batch, per_frame)


# --- missing joints through cleaning -------------------------------------------------------------

CLEANING = CleaningSettings()
FPS = 30.0


def with_gap(track: PoseTrack, landmark: L, start: int, frames: int) -> PoseTrack:
    """``frames`` consecutive frames from ``start`` where ``landmark`` is missing."""
    image = track.image.copy()
    conf = track.confidence.copy()
    image[start : start + frames, int(landmark)] = np.nan
    conf[start : start + frames, int(landmark)] = 0.0
    world = None
    if track.world is not None:
        world = track.world.copy()
        world[start : start + frames, int(landmark)] = np.nan
    return track.replace(image=image, confidence=conf, world=world)


def longest_fillable_gap_frames() -> int:
    """Missing frames between two seen ones whose time span is still <= max_gap_s."""
    return math.floor(CLEANING.max_gap_s * FPS + 1e-9) - 1


def test_fillable_gap_length_is_what_the_settings_say() -> None:
    assert (
        CLEANING.max_gap_s == 0.25
    )  # the boundary cases below are worked out for 0.25 s at 30 fps
    assert longest_fillable_gap_frames() == 6


def test_short_gaps_are_filled_and_long_gaps_stay_missing() -> None:
    truth = make_squat_track(SquatSet(view="front", fps=FPS))
    short = longest_fillable_gap_frames()  # 6 frames: 0.233 s between the seen neighbours
    track = with_gap(truth, L.RIGHT_KNEE, 100, short)
    track = with_gap(track, L.LEFT_KNEE, 100, short + 1)  # 7 frames: 0.267 s, too long
    track = with_gap(track, L.LEFT_ANKLE, 200, 60)  # two seconds
    cleaned, report = clean_track(track, CLEANING)

    filled = cleaned.image[100 : 100 + short, int(L.RIGHT_KNEE), :2]
    assert np.isfinite(filled).all()
    np.testing.assert_allclose(
        filled, truth.image[100 : 100 + short, int(L.RIGHT_KNEE), :2], atol=3
    )
    assert report.gaps_filled >= short

    for landmark, start, frames in ((L.LEFT_KNEE, 100, short + 1), (L.LEFT_ANKLE, 200, 60)):
        gap = slice(start, start + frames)
        assert np.isnan(cleaned.image[gap, int(landmark), :2]).all(), landmark.name
        assert not (cleaned.image[gap, int(landmark), :2] == 0).any()
        assert (cleaned.confidence[gap, int(landmark)] == 0).all()
        assert cleaned.world is not None
        assert np.isnan(cleaned.world[gap, int(landmark)]).all()
        # The frames just around the gap are still seen.
        assert np.isfinite(cleaned.image[start - 1, int(landmark), :2]).all()
        assert np.isfinite(cleaned.image[start + frames, int(landmark), :2]).all()


def test_landmarks_never_seen_stay_missing() -> None:
    track = make_squat_track(SquatSet(view="side", fps=FPS))
    cleaned, _ = clean_track(track, CLEANING)
    never = ~np.isfinite(track.image[:, :, 0]).any(axis=0)
    assert never.sum() > 10  # the closed-form figure has no arms or face landmarks
    assert np.isnan(cleaned.image[:, never]).all()
    assert (cleaned.confidence[:, never] == 0).all()
