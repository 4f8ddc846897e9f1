"""Camera-view classification: front, rear, side, three-quarter, overhead; which side faces the
camera; standing or lying.

The body's yaw to the camera comes from BlazePose's world landmarks (metres, camera-aligned):
the angle of the shoulder and hip lines in the horizontal (x, z) plane. 0 deg = the body's
front or back faces the camera, 90 deg = a side view. Front and rear are told apart by the
order of the performer's left and right shoulders along the camera's x axis (the left shoulder
on the image right means the person faces the camera). Thresholds were read off the view labels
of the clips in ../shared/eval (docs/EVALUATION.md).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from hamcoach import kinematics as K
from hamcoach.landmarks import L
from hamcoach.settings import ViewSettings
from hamcoach.track import FloatArray

VIEW_NAMES = ("front", "rear", "side", "three_quarter_front", "three_quarter_rear", "overhead")


@dataclass(frozen=True)
class ViewEstimate:
    view: str
    yaw_deg: float
    facing: str  # left/right (image direction the performer's front points), camera, away, up
    near_side: str  # the performer's side nearer the camera: left, right, both, unknown
    posture: str  # standing, lying, unknown
    confidence: float
    # how much nearer the camera a lying body's ankles are than its shoulders, in trunk
    # lengths (:func:`feet_lead_torso`): beyond its feet at an angle > 0, beyond its head < 0
    feet_lead: float = float("nan")
    # how far above the near hip a lying body's far hip shows in the picture, in trunk lengths
    # (:func:`far_hip_rise_torso`): the higher a side camera, the higher the far hip
    far_hip_rise: float = float("nan")

    @property
    def is_frontal(self) -> bool:
        return self.view in ("front", "rear")

    @property
    def is_sagittal(self) -> bool:
        return self.view == "side"


def body_yaw_deg(world: FloatArray) -> FloatArray:
    """Per-frame yaw of the shoulder and hip lines to the camera, degrees in [0, 90]."""

    def line_yaw(a: int, b: int) -> FloatArray:
        v = world[:, a] - world[:, b]
        return np.asarray(
            np.degrees(np.arctan2(np.abs(v[:, 2]), np.abs(v[:, 0]))), dtype=np.float64
        )

    both = np.stack(
        [line_yaw(L.LEFT_SHOULDER, L.RIGHT_SHOULDER), line_yaw(L.LEFT_HIP, L.RIGHT_HIP)], axis=1
    )
    with np.errstate(all="ignore"):
        return np.asarray(np.nanmean(both, axis=1), dtype=np.float64)


def feet_lead_torso(points: FloatArray) -> float:
    """How much nearer the camera the ankles are than the shoulders, in trunk lengths: the
    median over frames of (shoulders' depth - ankles' depth) / shoulder-hip distance, from
    (T, 33, 3) points whose third axis is depth, growing away from the camera (BlazePose world
    landmarks, or its image landmarks' relative z). NaN when never seen.

    For a body lying on its back it tells which end of the body a camera off square to its side
    looks from: beyond the feet reads > 0, beyond the head < 0, square to the side about 0 (the
    synthetic suite's lying sets: three-quarter views from the feet 0.84-2.0, from the head
    -1.6 to -0.82, side views -0.33 to 0.61; the real bridges filmed obliquely towards the feet
    0.68-1.26, those filmed square to the side -0.41 to 0.04)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames without a pair: NaN, dropped
        shoulders = np.nanmean(points[:, [L.LEFT_SHOULDER, L.RIGHT_SHOULDER]], axis=1)
        hips = np.nanmean(points[:, [L.LEFT_HIP, L.RIGHT_HIP]], axis=1)
        ankles_z = np.nanmean(points[:, [L.LEFT_ANKLE, L.RIGHT_ANKLE], 2], axis=1)
        trunk = np.linalg.norm(shoulders - hips, axis=1)
        lead = (shoulders[:, 2] - ankles_z) / trunk
    lead = lead[np.isfinite(lead)]
    return float(np.median(lead)) if lead.size else float("nan")


def far_hip_rise_torso(image: FloatArray) -> float:
    """How far apart the two hips show vertically in the picture, in trunk lengths: the median
    over frames of |left hip y - right hip y| / the picture's shoulder-hip distance, from
    (T, 33, >=2) image points in pixels. NaN when never seen.

    Seen square from its side, a body lying on its back shows its far hip above the near one by
    the hip width times the sine of the camera's elevation, so the rise tells a raised camera
    from one at floor level (the synthetic suite's side-view bridges: 0.08-0.09 from cameras
    0.57-0.65 m high, 0.11-0.15 from 0.65-1.1 m, 0.17-0.25 from 1.13-1.4 m; the real bridges
    filmed square to the side 0.10-0.20, those filmed obliquely 0.20-0.29: a camera off square
    shows the hips apart in depth too). The model guesses a hidden far hip, so it ranks
    placements more than it measures them."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames without a pair: NaN, dropped
        shoulders = np.nanmean(image[:, [L.LEFT_SHOULDER, L.RIGHT_SHOULDER], :2], axis=1)
        hips = image[:, [L.LEFT_HIP, L.RIGHT_HIP], :2]
        trunk = np.linalg.norm(shoulders - np.nanmean(hips, axis=1), axis=1)
        rise = np.abs(hips[:, 0, 1] - hips[:, 1, 1]) / trunk
    rise = rise[np.isfinite(rise)]
    return float(np.median(rise)) if rise.size else float("nan")


def image_yaw_deg(image: FloatArray) -> FloatArray:
    """Yaw from image x and BlazePose's relative depth z (for tracks without world landmarks)."""

    def line_yaw(a: int, b: int) -> FloatArray:
        v = image[:, a] - image[:, b]
        return np.asarray(
            np.degrees(np.arctan2(np.abs(v[:, 2]), np.abs(v[:, 0]))), dtype=np.float64
        )

    both = np.stack(
        [line_yaw(L.LEFT_SHOULDER, L.RIGHT_SHOULDER), line_yaw(L.LEFT_HIP, L.RIGHT_HIP)], axis=1
    )
    with np.errstate(all="ignore"):
        return np.asarray(np.nanmean(both, axis=1), dtype=np.float64)


# In a side view the nose leads the shoulders by at least this many trunk lengths.
FACE_LEAD_TORSO = 0.05

# A leg counts as standing (carrying the body) when the hip-to-lower-ankle line is steeper than
# this many degrees below the horizontal.
STANDING_LEG_MIN_DEG = 60.0


def lying_fraction(image: FloatArray, max_torso_deg: float) -> float:
    """Share of frames whose trunk is closer to horizontal than ``max_torso_deg`` while no leg
    stands vertically under the hips (a deep hinge on one leg is not lying down)."""
    inc = np.abs(K.trunk_incline(image))
    hip = K.midpoint(image, L.LEFT_HIP, L.RIGHT_HIP)
    legs = []
    for ankle in (L.LEFT_ANKLE, L.RIGHT_ANKLE):
        legs.append(-K.incline(hip, image[:, ankle, :2]))  # degrees below the horizontal
    with np.errstate(all="ignore"):
        steepest = np.nanmax(np.stack(legs, axis=1), axis=1)
    ok = np.isfinite(inc)
    if not ok.any():
        return 0.0
    standing_leg = np.isfinite(steepest) & (steepest > STANDING_LEG_MIN_DEG)
    return float(((inc < max_torso_deg) & ~standing_leg)[ok].mean())


def lying_fraction_world(world: FloatArray, max_torso_deg: float) -> float:
    """As :func:`lying_fraction`, from BlazePose's world landmarks (metres, y down for a level
    camera): sees a body lying along the camera's axis (filmed from the feet or the head),
    whose trunk looks upright in the picture."""
    hip = (world[:, L.LEFT_HIP] + world[:, L.RIGHT_HIP]) / 2
    sh = (world[:, L.LEFT_SHOULDER] + world[:, L.RIGHT_SHOULDER]) / 2

    def elevation(v: FloatArray) -> FloatArray:
        """Angle above (or below) the horizontal plane, degrees."""
        with np.errstate(all="ignore"):
            return np.asarray(
                np.degrees(np.arcsin(np.clip(-v[:, 1] / np.linalg.norm(v, axis=1), -1, 1)))
            )

    trunk = np.abs(elevation(sh - hip))
    legs = np.stack([-elevation(world[:, a] - hip) for a in (L.LEFT_ANKLE, L.RIGHT_ANKLE)], 1)
    with np.errstate(all="ignore"):
        steepest = np.nanmax(legs, axis=1)
    ok = np.isfinite(trunk)
    if not ok.any():
        return 0.0
    standing_leg = np.isfinite(steepest) & (steepest > STANDING_LEG_MIN_DEG)
    return float(((trunk < max_torso_deg) & ~standing_leg)[ok].mean())


def facing_sign(image: FloatArray) -> float:
    """+1 when the performer faces the image right, -1 the left, 0 unknown (standing, side view).

    Read from the face (the nose stands in front of the shoulders) and, when the face is not
    decisive, from the feet (heel -> toe). Neither depends on BlazePose's left/right labels, so
    a whole-clip label swap cannot flip it.
    """
    torso = float(np.nanmedian(K.torso_length(image)))
    nose = image[:, L.NOSE, 0] - K.midpoint(image, L.LEFT_SHOULDER, L.RIGHT_SHOULDER)[:, 0]
    nose = nose[np.isfinite(nose)]
    if nose.size and np.isfinite(torso) and abs(float(np.median(nose))) > FACE_LEAD_TORSO * torso:
        return float(np.sign(np.median(nose)))
    dx = np.concatenate(
        [
            image[:, L.LEFT_FOOT_INDEX, 0] - image[:, L.LEFT_HEEL, 0],
            image[:, L.RIGHT_FOOT_INDEX, 0] - image[:, L.RIGHT_HEEL, 0],
        ]
    )
    dx = dx[np.isfinite(dx)]
    if dx.size == 0:
        return 0.0
    med = float(np.median(dx))
    return float(np.sign(med)) if abs(med) > 1e-6 else 0.0


def head_side_sign(image: FloatArray) -> float:
    """+1 when the head is to the image right of the hips, -1 left (for lying bodies)."""
    dx = image[:, L.NOSE, 0] - K.midpoint(image, L.LEFT_HIP, L.RIGHT_HIP)[:, 0]
    dx = dx[np.isfinite(dx)]
    return float(np.sign(np.median(dx))) if dx.size else 0.0


def geometric_near_side(image: FloatArray, lying: bool) -> str | None:
    """The performer's side nearer the camera from body geometry alone (no left/right labels).

    Standing (side or three-quarter view), the near side is the one the feet point to: feet
    pointing to the image left put the left side nearer. Lying on the back, the head's side
    decides: head to the image left puts the right side nearer.
    """
    if lying:
        sign = head_side_sign(image)
        return "right" if sign < 0 else "left" if sign > 0 else None
    sign = facing_sign(image)
    return "right" if sign > 0 else "left" if sign < 0 else None


def classify_view(
    image: FloatArray, world: FloatArray | None, settings: ViewSettings, lying_max_torso_deg: float
) -> ViewEstimate:
    """The dominant camera view of a stretch of frames."""
    yaw_series = body_yaw_deg(world) if world is not None else image_yaw_deg(image)
    if not np.isfinite(yaw_series).any() and world is not None:
        yaw_series = image_yaw_deg(image)
    finite = yaw_series[np.isfinite(yaw_series)]
    if finite.size == 0:
        return ViewEstimate("unknown", float("nan"), "unknown", "unknown", "unknown", 0.0)
    yaw = float(np.median(finite))
    lying = lying_fraction(image, lying_max_torso_deg) > 0.5 or (
        world is not None and lying_fraction_world(world, lying_max_torso_deg) > 0.5
    )
    posture = "lying" if lying else "standing"
    src = world if world is not None else image
    lr_x = float(np.nanmedian(src[:, L.LEFT_SHOULDER, 0] - src[:, L.RIGHT_SHOULDER, 0]))
    lr_z = float(
        np.nanmedian(
            np.nanmean(src[:, [L.LEFT_SHOULDER, L.LEFT_HIP], 2], axis=1)
            - np.nanmean(src[:, [L.RIGHT_SHOULDER, L.RIGHT_HIP], 2], axis=1)
        )
    )
    # A body lying on its back shows its shoulder line mostly in depth from any side camera,
    # even a raised, oblique one: a lower yaw already means a side view.
    side_min = settings.lying_side_min_yaw_deg if lying else settings.side_min_yaw_deg
    if yaw < settings.front_max_yaw_deg:
        view = "front" if lr_x > 0 else "rear"
        near = "both"
        facing = "camera" if view == "front" else "away"
        margin = (settings.front_max_yaw_deg - yaw) / settings.front_max_yaw_deg
    elif yaw > side_min:
        view = "side"
        near = geometric_near_side(image, lying) or ("right" if lr_z > 0 else "left")
        sign = head_side_sign(image) if lying else facing_sign(image)
        facing = "up" if lying else ("right" if sign > 0 else "left" if sign < 0 else "unknown")
        margin = (yaw - side_min) / (90.0 - side_min)
    else:
        view = "three_quarter_front" if lr_x > 0 else "three_quarter_rear"
        near = geometric_near_side(image, lying) or ("right" if lr_z > 0 else "left")
        facing = "camera" if lr_x > 0 else "away"
        mid = (settings.front_max_yaw_deg + side_min) / 2
        half = (side_min - settings.front_max_yaw_deg) / 2
        margin = 1.0 - abs(yaw - mid) / half
    agree = float(
        np.mean(_view_of_yaw(finite, settings) == _view_of_yaw(np.array([yaw]), settings)[0])
    )
    confidence = float(np.clip(0.5 * agree + 0.5 * min(1.0, 0.5 + margin), 0.0, 1.0))
    lead = feet_lead_torso(src) if lying else float("nan")
    rise = far_hip_rise_torso(image) if lying else float("nan")
    return ViewEstimate(view, yaw, facing, near, posture, confidence, lead, rise)


def _view_of_yaw(yaw: FloatArray, settings: ViewSettings) -> FloatArray:
    return np.asarray(
        np.where(
            yaw < settings.front_max_yaw_deg, 0, np.where(yaw > settings.side_min_yaw_deg, 2, 1)
        ),
        dtype=np.float64,
    )
