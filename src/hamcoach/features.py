"""Per-frame features: the named measures every rep signal and form check reads.

:func:`compute_features` is vectorised over frames (offline) and is also called on a single
frame (streaming); both give the same numbers. A frame's features are one row of floats in the
order of :data:`FEATURES`; a rep's frames form a :class:`FeatureWindow`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hamcoach import kinematics as K
from hamcoach.landmarks import L
from hamcoach.track import FloatArray

FEATURES: tuple[str, ...] = (
    "t_s",
    "knee_flex_l",
    "knee_flex_r",
    "hip_flex_l",
    "hip_flex_r",
    "hip_above_knee_l",
    "hip_above_knee_r",
    "thigh_len_l",
    "thigh_len_r",
    "shank_len_l",
    "shank_len_r",
    "leg_len",
    "hip_height",
    "knee_medial_l",
    "knee_medial_r",
    "knee_gap_ratio",
    "knee_toe_l",
    "knee_toe_r",
    "pelvis_tilt",
    "trunk_lateral",
    "trunk_incline",
    "conf_leg_l",
    "conf_leg_r",
    "conf_toe_l",
    "conf_toe_r",
    "conf_hips",
    "hip_x",
    "hip_y",
    "shoulder_x",
    "shoulder_y",
    "torso_len",
    "ankle_x_l",
    "ankle_x_r",
    "ankle_y_l",
    "ankle_y_r",
    "ankle_z_l",
    "ankle_z_r",
    "knee_x_l",
    "knee_x_r",
    "knee_y_l",
    "knee_y_r",
    "knee_z_l",
    "knee_z_r",
    "hip_y_l",
    "hip_y_r",
    "heel_y_l",
    "heel_y_r",
    "toe_y_l",
    "toe_y_r",
    "nose_x",
    "conf_ankles",
    "hip_roll_world",
    "hip_flex3d_l",
    "hip_flex3d_r",
    "knee_flex3d_l",
    "knee_flex3d_r",
    "hip_x_l",
    "hip_x_r",
    "hip_z_l",
    "hip_z_r",
    "trunk_tilt3d",
    "toe_x_l",
    "toe_x_r",
    "pelvis_tilt_world",
    "hip_line_wx",
    "hip_line_wy",
    "hip_line_wz",
    "trunk_line_wx",
    "trunk_line_wy",
    "trunk_line_wz",
    "leg_swing3d_l",
    "leg_swing3d_r",
    "ankle_wy_l",
    "ankle_wy_r",
)
INDEX = {name: i for i, name in enumerate(FEATURES)}


def _leg_conf(conf: FloatArray, side: str) -> FloatArray:
    idx = [K.joint(side, n) for n in ("hip", "knee", "ankle")]
    return np.asarray(conf[..., idx].min(axis=-1), dtype=np.float64)


def hip_line_unit(world: FloatArray | None, shape: tuple[int, ...]) -> FloatArray:
    """The hip line (right hip to left hip) as a unit vector in BlazePose's world frame
    (metres, y down), shape ``shape + (3,)``. NaN without world landmarks."""
    if world is None:
        return np.full((*shape, 3), np.nan)
    v = world[..., L.LEFT_HIP, :] - world[..., L.RIGHT_HIP, :]
    with np.errstate(all="ignore"):
        return np.asarray(v / np.linalg.norm(v, axis=-1, keepdims=True))


def trunk_line_unit(world: FloatArray | None, shape: tuple[int, ...]) -> FloatArray:
    """The trunk (mid-hip to mid-shoulder) as a unit vector in BlazePose's world frame, shape
    ``shape + (3,)``. NaN without world landmarks."""
    if world is None:
        return np.full((*shape, 3), np.nan)
    v = (world[..., L.LEFT_SHOULDER, :] + world[..., L.RIGHT_SHOULDER, :]) - (
        world[..., L.LEFT_HIP, :] + world[..., L.RIGHT_HIP, :]
    )
    with np.errstate(all="ignore"):
        return np.asarray(v / np.linalg.norm(v, axis=-1, keepdims=True))


def hip_roll_world_deg(hip_line: FloatArray) -> FloatArray:
    """Tilt of the hip line (:func:`hip_line_unit`) out of the horizontal plane, degrees: 0 with
    the hips level and square, growing as one hip rotates up."""
    return np.asarray(np.degrees(np.arcsin(np.clip(np.abs(hip_line[..., 1]), 0, 1))))


def pelvis_tilt_world_deg(hip_line: FloatArray) -> FloatArray:
    """Signed tilt of the hip line (:func:`hip_line_unit`) out of the horizontal, degrees (as
    ``pelvis_tilt``: positive with the performer's left hip higher). Unlike the picture's hip
    line it does not tilt with perspective when the body turns a little from the camera or
    sits below it."""
    return np.asarray(np.degrees(np.arcsin(np.clip(-hip_line[..., 1], -1, 1))))


def hip_line_world(hip_line: FloatArray) -> dict[str, FloatArray]:
    """The hip line's unit vector (:func:`hip_line_unit`) as the columns hip_line_wx/wy/wz.
    How far it turns during a rep shows a pelvis rolling whatever the camera's position (lying
    bodies are filmed from above or the feet, where the picture's hip line says nothing of a
    roll)."""
    return unit_columns("hip_line", hip_line)


def unit_columns(name: str, unit: FloatArray) -> dict[str, FloatArray]:
    """A field of unit vectors (..., 3) as the feature columns ``{name}_wx``, ``_wy``, ``_wz``."""
    return {f"{name}_w{axis}": np.asarray(unit[..., k]) for k, axis in enumerate("xyz")}


def _from_down_deg(v: FloatArray) -> FloatArray:
    """The angle (deg) of vectors ``v`` (..., 3) from straight down (world y down)."""
    with np.errstate(all="ignore"):
        cos = v[..., 1] / np.linalg.norm(v, axis=-1)
        return np.asarray(np.degrees(np.arccos(np.clip(cos, -1, 1))), dtype=np.float64)


def trunk_tilt_world_deg(world: FloatArray | None, shape: tuple[int, ...]) -> FloatArray:
    """The trunk's tilt from upright (deg) in BlazePose's world frame (y down, level camera):
    0 standing tall, 90 with the trunk level. NaN without world landmarks."""
    if world is None:
        return np.full(shape, np.nan)
    hip = (world[..., L.LEFT_HIP, :] + world[..., L.RIGHT_HIP, :]) / 2
    sh = (world[..., L.LEFT_SHOULDER, :] + world[..., L.RIGHT_SHOULDER, :]) / 2
    return _from_down_deg(hip - sh)


def _world_y(world: FloatArray | None, index: int, shape: tuple[int, ...]) -> FloatArray:
    """A landmark's world y (m, down); NaN without world landmarks."""
    return np.full(shape, np.nan) if world is None else np.asarray(world[..., index, 1])


def leg_swing_world_deg(world: FloatArray | None, side: str, shape: tuple[int, ...]) -> FloatArray:
    """A leg's swing from hanging straight down (deg) in BlazePose's world frame (y down, level
    camera): the hip-to-ankle line's angle from vertical; 90 with the leg level. The trunk's
    counterpart is ``trunk_tilt3d``. NaN without world landmarks."""
    if world is None:
        return np.full(shape, np.nan)
    hip_i, ankle_i = (L.LEFT_HIP, L.LEFT_ANKLE) if side == "left" else (L.RIGHT_HIP, L.RIGHT_ANKLE)
    return _from_down_deg(world[..., ankle_i, :] - world[..., hip_i, :])


def _flexion3d(
    world: FloatArray | None, side: str, a: str, b: str, c: str, shape: tuple[int, ...]
) -> FloatArray:
    """Joint flexion (deg, 0 = straight) in 3-D from world landmarks; NaN without them."""
    if world is None:
        return np.full(shape, np.nan)
    return K.flexion(
        world[..., K.joint(side, a), :],
        world[..., K.joint(side, b), :],
        world[..., K.joint(side, c), :],
    )


def compute_features(
    image: FloatArray, confidence: FloatArray, t_s: FloatArray, world: FloatArray | None = None
) -> FloatArray:
    """Feature rows (T, len(FEATURES)) from cleaned landmarks (T, 33, 3), confidence (T, 33) and
    optionally world landmarks (T, 33, 3)."""
    hip_mid = K.midpoint(image, L.LEFT_HIP, L.RIGHT_HIP)
    sh_mid = K.midpoint(image, L.LEFT_SHOULDER, L.RIGHT_SHOULDER)
    hip_line = hip_line_unit(world, image.shape[:-2])
    cols = {
        "t_s": t_s,
        "knee_flex_l": K.knee_flexion(image, "left"),
        "knee_flex_r": K.knee_flexion(image, "right"),
        "hip_flex_l": K.hip_flexion(image, "left"),
        "hip_flex_r": K.hip_flexion(image, "right"),
        "hip_above_knee_l": K.hip_above_knee_px(image, "left"),
        "hip_above_knee_r": K.hip_above_knee_px(image, "right"),
        "thigh_len_l": K.thigh_length(image, "left"),
        "thigh_len_r": K.thigh_length(image, "right"),
        "shank_len_l": K.shank_length(image, "left"),
        "shank_len_r": K.shank_length(image, "right"),
        "leg_len": K.leg_length_px(image),
        "hip_height": K.hip_height_over_ankles_px(image),
        "knee_medial_l": K.knee_medial_offset(image, "left"),
        "knee_medial_r": K.knee_medial_offset(image, "right"),
        "knee_gap_ratio": K.knee_gap_ratio(image),
        "knee_toe_l": K.knee_ahead_of_toe(image, "left"),
        "knee_toe_r": K.knee_ahead_of_toe(image, "right"),
        "pelvis_tilt": K.pelvis_tilt(image),
        "trunk_lateral": K.trunk_lateral_lean(image),
        "trunk_incline": K.trunk_incline(image),
        "conf_leg_l": _leg_conf(confidence, "left"),
        "conf_leg_r": _leg_conf(confidence, "right"),
        "conf_toe_l": confidence[..., L.LEFT_FOOT_INDEX],
        "conf_toe_r": confidence[..., L.RIGHT_FOOT_INDEX],
        "conf_hips": confidence[..., [L.LEFT_HIP, L.RIGHT_HIP]].mean(axis=-1),
        "hip_x": hip_mid[..., 0],
        "hip_y": hip_mid[..., 1],
        "shoulder_x": sh_mid[..., 0],
        "shoulder_y": sh_mid[..., 1],
        "torso_len": K.torso_length(image),
        "ankle_x_l": image[..., L.LEFT_ANKLE, 0],
        "ankle_x_r": image[..., L.RIGHT_ANKLE, 0],
        "ankle_y_l": image[..., L.LEFT_ANKLE, 1],
        "ankle_y_r": image[..., L.RIGHT_ANKLE, 1],
        "ankle_z_l": image[..., L.LEFT_ANKLE, 2],
        "ankle_z_r": image[..., L.RIGHT_ANKLE, 2],
        "knee_x_l": image[..., L.LEFT_KNEE, 0],
        "knee_x_r": image[..., L.RIGHT_KNEE, 0],
        "knee_y_l": image[..., L.LEFT_KNEE, 1],
        "knee_y_r": image[..., L.RIGHT_KNEE, 1],
        "knee_z_l": image[..., L.LEFT_KNEE, 2],
        "knee_z_r": image[..., L.RIGHT_KNEE, 2],
        "hip_y_l": image[..., L.LEFT_HIP, 1],
        "hip_y_r": image[..., L.RIGHT_HIP, 1],
        "heel_y_l": image[..., L.LEFT_HEEL, 1],
        "heel_y_r": image[..., L.RIGHT_HEEL, 1],
        "toe_y_l": image[..., L.LEFT_FOOT_INDEX, 1],
        "toe_y_r": image[..., L.RIGHT_FOOT_INDEX, 1],
        "nose_x": image[..., L.NOSE, 0],
        "conf_ankles": confidence[..., [L.LEFT_ANKLE, L.RIGHT_ANKLE]].min(axis=-1),
        "hip_roll_world": hip_roll_world_deg(hip_line),
        "hip_flex3d_l": _flexion3d(world, "left", "shoulder", "hip", "knee", image.shape[:-2]),
        "hip_flex3d_r": _flexion3d(world, "right", "shoulder", "hip", "knee", image.shape[:-2]),
        "knee_flex3d_l": _flexion3d(world, "left", "hip", "knee", "ankle", image.shape[:-2]),
        "knee_flex3d_r": _flexion3d(world, "right", "hip", "knee", "ankle", image.shape[:-2]),
        "hip_x_l": image[..., L.LEFT_HIP, 0],
        "hip_x_r": image[..., L.RIGHT_HIP, 0],
        "hip_z_l": image[..., L.LEFT_HIP, 2],
        "hip_z_r": image[..., L.RIGHT_HIP, 2],
        "trunk_tilt3d": trunk_tilt_world_deg(world, image.shape[:-2]),
        "toe_x_l": image[..., L.LEFT_FOOT_INDEX, 0],
        "toe_x_r": image[..., L.RIGHT_FOOT_INDEX, 0],
        "pelvis_tilt_world": pelvis_tilt_world_deg(hip_line),
        **hip_line_world(hip_line),
        **unit_columns("trunk_line", trunk_line_unit(world, image.shape[:-2])),
        "leg_swing3d_l": leg_swing_world_deg(world, "left", image.shape[:-2]),
        "leg_swing3d_r": leg_swing_world_deg(world, "right", image.shape[:-2]),
        # ankle heights in BlazePose's world frame (m, y down, hip-centred): a foot held up
        # is higher whatever the camera's height and distance
        "ankle_wy_l": _world_y(world, L.LEFT_ANKLE, image.shape[:-2]),
        "ankle_wy_r": _world_y(world, L.RIGHT_ANKLE, image.shape[:-2]),
    }
    return np.stack([np.asarray(cols[n], dtype=np.float64) for n in FEATURES], axis=-1)


@dataclass(frozen=True)
class FeatureWindow:
    """The feature rows of a stretch of frames (a rep), with their frame indices."""

    rows: FloatArray  # (n, len(FEATURES))
    frames: tuple[int, ...]

    def __getitem__(self, name: str) -> FloatArray:
        return np.asarray(self.rows[:, INDEX[name]], dtype=np.float64)

    def __len__(self) -> int:
        return int(self.rows.shape[0])

    def frame_at(self, i: int) -> int:
        return self.frames[i]
