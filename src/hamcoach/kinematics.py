"""Joint and segment measures from landmarks, with one written convention.

Convention (image plane, pixels, y downwards; every angle in degrees):

* **Joint flexion** ``flexion(a, b, c)`` = 180 - the interior angle at ``b`` between ``b->a`` and
  ``b->c``: 0 = the limb is straight, 90 = a right angle. Knee flexion uses hip-knee-ankle; hip
  flexion is the angle between the thigh (hip->knee) and the trunk line continued down through
  the hip (mid-shoulder->mid-hip; :func:`trunk_down`), the image form of the sagittal hip angle.
* **Segment incline** ``incline(p, q)`` = the angle of the segment ``p->q`` above the image
  horizontal, in [-90, 90]: positive when ``q`` is higher in the picture than ``p``.
* **Ratios** are lengths divided by a body length measured in the same frame (leg, shank, hip
  width), so they do not change with the distance to the camera.
* Left/right are the performer's own sides (BlazePose's labels after swap repair).

Every function is vectorised over leading axes: it takes arrays ``(..., 33, 3)`` and returns
``(...)``; a missing landmark gives NaN for every measure that uses it.
"""

from __future__ import annotations

import numpy as np

from hamcoach.landmarks import L
from hamcoach.track import FloatArray

SIDES = ("left", "right")
_J = {
    "left": {
        "shoulder": L.LEFT_SHOULDER,
        "hip": L.LEFT_HIP,
        "knee": L.LEFT_KNEE,
        "ankle": L.LEFT_ANKLE,
        "heel": L.LEFT_HEEL,
        "toe": L.LEFT_FOOT_INDEX,
    },
    "right": {
        "shoulder": L.RIGHT_SHOULDER,
        "hip": L.RIGHT_HIP,
        "knee": L.RIGHT_KNEE,
        "ankle": L.RIGHT_ANKLE,
        "heel": L.RIGHT_HEEL,
        "toe": L.RIGHT_FOOT_INDEX,
    },
}


def joint(side: str, name: str) -> int:
    """Landmark index of a named joint on the performer's ``side``."""
    return int(_J[side][name])


def point(image: FloatArray, idx: int) -> FloatArray:
    """x, y of one landmark, (..., 2)."""
    return image[..., idx, :2]


def midpoint(image: FloatArray, a: int, b: int) -> FloatArray:
    """Midpoint of two landmarks; the one that is seen when the other is missing (in a side
    view the far hip or shoulder is often hidden, and its twin stands at nearly the same spot)."""
    pa, pb = image[..., a, :2], image[..., b, :2]
    mid = (pa + pb) / 2.0
    mid = np.where(np.isfinite(mid), mid, np.where(np.isfinite(pa), pa, pb))
    return np.asarray(mid, dtype=np.float64)


def distance(p: FloatArray, q: FloatArray) -> FloatArray:
    return np.asarray(np.linalg.norm(p - q, axis=-1), dtype=np.float64)


def flexion(a: FloatArray, b: FloatArray, c: FloatArray) -> FloatArray:
    """180 - interior angle abc, degrees (0 = straight)."""
    return np.asarray(180.0 - angle_between(a - b, c - b), dtype=np.float64)


def angle_between(u: FloatArray, v: FloatArray) -> FloatArray:
    """Unsigned angle between the vectors ``u`` and ``v`` (..., 2), degrees in [0, 180]."""
    cos = np.sum(u * v, axis=-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
    return np.asarray(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))), dtype=np.float64)


def incline(p: FloatArray, q: FloatArray) -> FloatArray:
    """Angle of p->q above the image horizontal, degrees in [-90, 90]."""
    dx = q[..., 0] - p[..., 0]
    dy = p[..., 1] - q[..., 1]  # y grows downwards
    return np.asarray(np.degrees(np.arctan2(dy, np.abs(dx))), dtype=np.float64)


def tilt_from_horizontal(p: FloatArray, q: FloatArray) -> FloatArray:
    """Signed angle of the line p-q against the horizontal, degrees in (-90, 90]; positive when
    q is higher than p in the picture, whichever side q is on."""
    dx = q[..., 0] - p[..., 0]
    dy = p[..., 1] - q[..., 1]
    ang = np.degrees(np.arctan2(dy, dx))
    ang = np.where(ang > 90, ang - 180, ang)
    ang = np.where(ang <= -90, ang + 180, ang)
    return np.asarray(ang, dtype=np.float64)


def knee_flexion(image: FloatArray, side: str) -> FloatArray:
    return flexion(
        point(image, joint(side, "hip")),
        point(image, joint(side, "knee")),
        point(image, joint(side, "ankle")),
    )


def trunk_down(image: FloatArray, side: str) -> FloatArray:
    """The trunk's downward direction (shoulder -> hip), pixels (..., 2).

    The body's midline (mid-shoulder -> mid-hip) when both shoulders and both hips are seen; else
    ``side``'s own shoulder -> hip. The midline lies in the mid-sagittal plane, so a camera that
    looks a little off the side, from above, or through a wide lens, does not tilt it: the
    same-side line joins a shoulder and a hip at different distances from the midline (shoulders
    are wider than hips), and perspective or an oblique camera turns that offset into a tilt of a
    few degrees in the picture.
    """
    mid = point_pair_mean(image, L.LEFT_HIP, L.RIGHT_HIP) - point_pair_mean(
        image, L.LEFT_SHOULDER, L.RIGHT_SHOULDER
    )
    own = point(image, joint(side, "hip")) - point(image, joint(side, "shoulder"))
    seen = np.isfinite(mid).all(axis=-1, keepdims=True)
    return np.asarray(np.where(seen, mid, own), dtype=np.float64)


def point_pair_mean(image: FloatArray, a: int, b: int) -> FloatArray:
    """Mean of two landmarks, NaN when either is missing (contrast :func:`midpoint`)."""
    return np.asarray((point(image, a) + point(image, b)) / 2.0, dtype=np.float64)


def hip_flexion(image: FloatArray, side: str) -> FloatArray:
    """Angle between the trunk line continued down through the hip and the thigh (hip -> knee),
    degrees: 0 = thigh in line with the trunk, 90 = thigh square to it. Unsigned: a thigh behind
    the trunk line (hip extension) also reads positive."""
    thigh = point(image, joint(side, "knee")) - point(image, joint(side, "hip"))
    return angle_between(trunk_down(image, side), thigh)


def thigh_length(image: FloatArray, side: str) -> FloatArray:
    return distance(point(image, joint(side, "hip")), point(image, joint(side, "knee")))


def shank_length(image: FloatArray, side: str) -> FloatArray:
    return distance(point(image, joint(side, "knee")), point(image, joint(side, "ankle")))


def hip_above_knee_px(image: FloatArray, side: str) -> FloatArray:
    """Vertical height of the hip joint above the knee, pixels (negative: hip below knee)."""
    return np.asarray(
        image[..., joint(side, "knee"), 1] - image[..., joint(side, "hip"), 1], dtype=np.float64
    )


def hip_height_over_ankles_px(image: FloatArray) -> FloatArray:
    """Vertical distance from the mid-ankle up to the mid-hip, pixels."""
    hip = midpoint(image, L.LEFT_HIP, L.RIGHT_HIP)
    ank = midpoint(image, L.LEFT_ANKLE, L.RIGHT_ANKLE)
    return np.asarray(ank[..., 1] - hip[..., 1], dtype=np.float64)


def leg_length_px(image: FloatArray) -> FloatArray:
    """Thigh + shank, mean of both legs (either leg alone when only one is seen), pixels."""
    per_leg = np.stack([thigh_length(image, s) + shank_length(image, s) for s in SIDES], axis=-1)
    with np.errstate(all="ignore"):
        out = np.nanmean(np.where(np.isfinite(per_leg), per_leg, np.nan), axis=-1)
    return np.asarray(out, dtype=np.float64)


def knee_medial_offset(image: FloatArray, side: str) -> FloatArray:
    """How far the knee lies medial of the hip-ankle line, / hip-ankle length (valgus > 0).

    Medial is the direction of the other hip, measured perpendicular to the hip-ankle line in
    the image. Meaningful in front and rear views only.
    """
    other = "right" if side == "left" else "left"
    hip = point(image, joint(side, "hip"))
    knee = point(image, joint(side, "knee"))
    ankle = point(image, joint(side, "ankle"))
    other_hip = point(image, joint(other, "hip"))
    axis = ankle - hip
    length = np.linalg.norm(axis, axis=-1)
    normal = np.stack([-axis[..., 1], axis[..., 0]], axis=-1) / length[..., None]
    offset = np.sum((knee - hip) * normal, axis=-1)
    toward_other = np.sign(np.sum((other_hip - hip) * normal, axis=-1))
    return np.asarray(offset * toward_other / length, dtype=np.float64)


def knee_gap_ratio(image: FloatArray) -> FloatArray:
    """Horizontal distance between the knees / between the ankles (front and rear views)."""
    kx = np.abs(image[..., L.LEFT_KNEE, 0] - image[..., L.RIGHT_KNEE, 0])
    ax = np.abs(image[..., L.LEFT_ANKLE, 0] - image[..., L.RIGHT_ANKLE, 0])
    with np.errstate(all="ignore"):
        return np.asarray(kx / ax, dtype=np.float64)


def knee_ahead_of_toe(image: FloatArray, side: str) -> FloatArray:
    """Knee x minus toe x, / shank length, in image x terms (the facing sign is applied later)."""
    knee = image[..., joint(side, "knee"), 0]
    toe = image[..., joint(side, "toe"), 0]
    return np.asarray((knee - toe) / shank_length(image, side), dtype=np.float64)


def pelvis_tilt(image: FloatArray) -> FloatArray:
    """Hip line against the horizontal, degrees; positive when the left hip is higher."""
    return tilt_from_horizontal(point(image, L.RIGHT_HIP), point(image, L.LEFT_HIP))


def shoulder_width(image: FloatArray) -> FloatArray:
    return distance(point(image, L.LEFT_SHOULDER), point(image, L.RIGHT_SHOULDER))


def hip_width(image: FloatArray) -> FloatArray:
    return distance(point(image, L.LEFT_HIP), point(image, L.RIGHT_HIP))


def torso_length(image: FloatArray) -> FloatArray:
    return distance(
        midpoint(image, L.LEFT_SHOULDER, L.RIGHT_SHOULDER), midpoint(image, L.LEFT_HIP, L.RIGHT_HIP)
    )


def trunk_lateral_lean(image: FloatArray) -> FloatArray:
    """Trunk (mid-hip -> mid-shoulder) against the image vertical, degrees, signed by image x."""
    hip = midpoint(image, L.LEFT_HIP, L.RIGHT_HIP)
    sh = midpoint(image, L.LEFT_SHOULDER, L.RIGHT_SHOULDER)
    return np.asarray(
        np.degrees(np.arctan2(sh[..., 0] - hip[..., 0], hip[..., 1] - sh[..., 1])), dtype=np.float64
    )


def trunk_incline(image: FloatArray) -> FloatArray:
    """Trunk (mid-hip -> mid-shoulder) above the horizontal, degrees: 90 upright, 0 lying."""
    return incline(
        midpoint(image, L.LEFT_HIP, L.RIGHT_HIP), midpoint(image, L.LEFT_SHOULDER, L.RIGHT_SHOULDER)
    )
