"""A pinhole camera placed by view name, projecting the lab-frame body to MediaPipe-style landmarks.

Placement: the camera sits at an azimuth around the performer (lab Z axis) given by the view:
``front`` on +X (where a standing performer faces, where a lying performer's feet point),
``rear`` on -X, ``side`` on the performer's ``near_side`` (left = +Y), ``three_quarter_front`` /
``three_quarter_rear`` 45 degrees between front/rear and that side, ``overhead`` straight above
(image up = towards the head of a lying performer, -X). It looks at the centre of the body's
bounding box over the whole clip, from ``height_m`` above the floor (default 1.0 m standing,
0.7 m lying) and ``distance_m`` horizontally (default: the body fills ~80 % of the frame).

Outputs follow ``hamcoach.track``: image (x right, y down, pixels; z = MediaPipe-like relative
depth on the pixel scale, hip-centred, smaller = nearer), world (metres, origin mid-hip, axes of
the camera: x right, y down, z away), and visibility in [0, 1], lowered for joints hidden behind
a nearer body part (self-occlusion: the torso and limbs are capsules around their bones), a
little for the far side, for the face seen from behind, and for points out of frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np

from hamcoach.landmarks import N_LANDMARKS, L
from hamcoach.synth.body import FloatArray, rot_z, unit

ViewName = Literal["front", "rear", "side", "three_quarter_front", "three_quarter_rear", "overhead"]
VIEWS: Final[tuple[ViewName, ...]] = (
    "front",
    "rear",
    "side",
    "three_quarter_front",
    "three_quarter_rear",
    "overhead",
)
_AZIMUTH: Final[dict[str, float]] = {
    "front": 0.0,
    "three_quarter_front": 45.0,
    "side": 90.0,
    "three_quarter_rear": 135.0,
    "rear": 180.0,
}

_LEFT_IDX: Final = frozenset(
    int(m) for m in L if m.name.startswith("LEFT_") or m.name == "MOUTH_LEFT"
)
_RIGHT_IDX: Final = frozenset(
    int(m) for m in L if m.name.startswith("RIGHT_") or m.name == "MOUTH_RIGHT"
)
_FACE_IDX: Final = tuple(range(0, 11))
VISIBLE: Final = 0.98  # visibility of an unobstructed joint


@dataclass(frozen=True)
class CameraSpec:
    """Where the camera is and what it sees. ``None`` distances/heights are fitted to the body."""

    view: ViewName = "side"
    near_side: Literal["left", "right"] = "left"  # side and three-quarter views
    height_m: float | None = None
    distance_m: float | None = None
    vfov_deg: float = 60.0
    width: int = 720
    height: int = 1280
    azimuth_offset_deg: float = 0.0  # extra turn of the camera around the performer
    roll_deg: float = 0.0

    def problems(self) -> list[str]:
        out: list[str] = []
        if self.view not in VIEWS:
            out.append(f"view must be one of {', '.join(VIEWS)}, got {self.view!r}")
        if not 10.0 <= self.vfov_deg <= 150.0:
            out.append(f"vfov_deg must be in [10, 150], got {self.vfov_deg}")
        if self.width < 32 or self.height < 32:
            out.append(f"image size must be at least 32x32, got {self.width}x{self.height}")
        if self.distance_m is not None and self.distance_m <= 0.3:
            out.append(f"distance_m must exceed 0.3 m, got {self.distance_m}")
        return out


@dataclass(frozen=True)
class Camera:
    """A placed pinhole camera: centre, rotation (columns = camera x right, y down, z forward)."""

    centre: FloatArray
    rotation: FloatArray
    focal_px: float
    width: int
    height: int

    def to_camera(self, pts: FloatArray) -> FloatArray:
        """Lab points (..., 3) in camera coordinates (x right, y down, z forward)."""
        return np.asarray((pts - self.centre) @ self.rotation, dtype=np.float64)

    def project(self, pts: FloatArray) -> FloatArray:
        """Lab points (..., 3) to pixels (..., 2)."""
        pc = self.to_camera(pts)
        z = np.maximum(pc[..., 2], 1e-6)
        u = self.focal_px * pc[..., 0] / z + self.width / 2
        v = self.focal_px * pc[..., 1] / z + self.height / 2
        return np.stack([u, v], axis=-1)


def place_camera(spec: CameraSpec, lab_points: FloatArray, lying: bool) -> Camera:
    """Place the camera of ``spec`` to frame ``lab_points`` (T, 33, 3) of the whole clip."""
    finite = lab_points.reshape(-1, 3)
    lo, hi = finite.min(axis=0), finite.max(axis=0)
    target = (lo + hi) / 2
    ext = hi - lo
    f = (spec.height / 2) / np.tan(np.radians(spec.vfov_deg) / 2)
    margin = 0.8
    if spec.view == "overhead":
        # image up = -X (the head of a lying performer), image right = +Y
        rot = np.column_stack([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, -1.0]])
        rot = rot_z(spec.azimuth_offset_deg) @ rot
        need = max(ext[0] * f / (spec.height * margin), ext[1] * f / (spec.width * margin))
        dist = spec.distance_m if spec.distance_m is not None else need + ext[2] / 2
        centre = target + np.array([0.0, 0.0, dist])
    else:
        az = _AZIMUTH[spec.view]
        if spec.view in ("side", "three_quarter_front", "three_quarter_rear") and (
            spec.near_side == "right"
        ):
            az = -az
        az += spec.azimuth_offset_deg
        direction = np.array([np.cos(np.radians(az)), np.sin(np.radians(az)), 0.0])
        horiz = np.hypot(ext[0], ext[1])
        need = max(ext[2] * f / (spec.height * margin), horiz * f / (spec.width * margin))
        dist = spec.distance_m if spec.distance_m is not None else need + horiz / 2
        cam_h = spec.height_m if spec.height_m is not None else (0.7 if lying else 1.0)
        centre = target + dist * direction
        centre[2] = cam_h
        zc = unit(target - centre)
        xc = unit(np.cross(zc, np.array([0.0, 0.0, 1.0])))
        yc = np.cross(zc, xc)
        rot = np.column_stack([xc, yc, zc])
    if spec.roll_deg:
        c, s = np.cos(np.radians(spec.roll_deg)), np.sin(np.radians(spec.roll_deg))
        xc, yc = rot[:, 0].copy(), rot[:, 1].copy()
        rot = np.column_stack([c * xc + s * yc, -s * xc + c * yc, rot[:, 2]])
    return Camera(
        centre=np.asarray(centre, dtype=np.float64),
        rotation=np.asarray(rot, dtype=np.float64),
        focal_px=float(f),
        width=spec.width,
        height=spec.height,
    )


# Body parts that hide what is behind them: (from, to, radius in metres for a 1.75 m adult).
_TORSO_RADIUS: Final = 0.13
_LIMBS: Final[dict[str, tuple[tuple[int, int, float], ...]]] = {
    "left": (
        (L.LEFT_HIP, L.LEFT_KNEE, 0.075),
        (L.LEFT_KNEE, L.LEFT_ANKLE, 0.055),
        (L.LEFT_SHOULDER, L.LEFT_ELBOW, 0.05),
        (L.LEFT_ELBOW, L.LEFT_WRIST, 0.04),
    ),
    "right": (
        (L.RIGHT_HIP, L.RIGHT_KNEE, 0.075),
        (L.RIGHT_KNEE, L.RIGHT_ANKLE, 0.055),
        (L.RIGHT_SHOULDER, L.RIGHT_ELBOW, 0.05),
        (L.RIGHT_ELBOW, L.RIGHT_WRIST, 0.04),
    ),
}
FAR_SIDE_PENALTY: Final = 0.1  # MediaPipe is less sure of the far side even when it is seen
HIDDEN_PENALTY: Final = 0.5  # a joint fully behind a body part
_DEPTH_MARGIN_M: Final = 0.03


def _cover(
    p: FloatArray,
    dp: FloatArray,
    a: FloatArray,
    b: FloatArray,
    da: FloatArray,
    db: FloatArray,
    radius_m: FloatArray,
    focal: float,
) -> FloatArray:
    """How much a capsule a-b (pixels, depths) hides points p (T, 2) at depths dp: 0 .. 1."""
    ab = b - a
    u = np.clip(np.sum((p - a) * ab, axis=1) / np.maximum(np.sum(ab * ab, axis=1), 1e-9), 0, 1)
    closest = a + u[:, None] * ab
    dist = np.linalg.norm(p - closest, axis=1)
    depth = da + u * (db - da)
    r_px = radius_m * focal / np.maximum(depth, 1e-6)
    cover = np.clip(2.0 - dist / np.maximum(r_px, 1e-9), 0.0, 1.0)
    return np.asarray(np.where(depth < dp - _DEPTH_MARGIN_M, cover, 0.0), dtype=np.float64)


def visibility(cam: Camera, pts: FloatArray, pix: FloatArray) -> FloatArray:
    """MediaPipe-like visibility (T, 33) of lab points ``pts`` (T, 33, 3) seen by ``cam``.

    A joint loses visibility when a nearer body part (the torso, or a limb of the other side)
    covers it in the image: each part is a capsule of fixed radius around its bone. Joints of the
    far side lose a little more; the face seen from behind and points out of frame lose most.
    """
    t = pts.shape[0]
    vis = np.full((t, N_LANDMARKS), VISIBLE)
    depth = cam.to_camera(pts)[..., 2]
    left = (
        pts[:, L.LEFT_SHOULDER]
        - pts[:, L.RIGHT_SHOULDER]
        + pts[:, L.LEFT_HIP]
        - pts[:, L.RIGHT_HIP]
    )
    left /= np.maximum(np.linalg.norm(left, axis=1, keepdims=True), 1e-9)
    mid_sh = (pts[:, L.LEFT_SHOULDER] + pts[:, L.RIGHT_SHOULDER]) / 2
    mid_hip = (pts[:, L.LEFT_HIP] + pts[:, L.RIGHT_HIP]) / 2
    centre = (mid_sh + mid_hip) / 2
    scale = np.linalg.norm(mid_sh - mid_hip, axis=1) / 0.504  # trunk length of a 1.75 m adult
    to_cam = cam.centre[None, :] - centre
    to_cam /= np.maximum(np.linalg.norm(to_cam, axis=1, keepdims=True), 1e-9)
    s = np.sum(left * to_cam, axis=1)  # +1: camera on the performer's left
    sh_pix, hip_pix = cam.project(mid_sh), cam.project(mid_hip)
    sh_d, hip_d = cam.to_camera(mid_sh)[:, 2], cam.to_camera(mid_hip)[:, 2]
    for side, idx, other in (("left", _LEFT_IDX, "right"), ("right", _RIGHT_IDX, "left")):
        far = np.maximum(0.0, -s if side == "left" else s)
        for j in idx:
            p, dp = pix[:, j], depth[:, j]
            hidden = _cover(
                p, dp, sh_pix, hip_pix, sh_d, hip_d, _TORSO_RADIUS * scale, cam.focal_px
            )
            for a, b, r in _LIMBS[other]:
                c = _cover(
                    p, dp, pix[:, a], pix[:, b], depth[:, a], depth[:, b], r * scale, cam.focal_px
                )
                hidden = np.maximum(hidden, c)
            vis[:, j] -= FAR_SIDE_PENALTY * far + HIDDEN_PENALTY * hidden
    # the face seen from behind
    head_fwd = pts[:, L.NOSE] - (pts[:, L.LEFT_EAR] + pts[:, L.RIGHT_EAR]) / 2
    head_fwd /= np.maximum(np.linalg.norm(head_fwd, axis=1, keepdims=True), 1e-9)
    to_cam_head = cam.centre[None, :] - pts[:, L.NOSE]
    to_cam_head /= np.maximum(np.linalg.norm(to_cam_head, axis=1, keepdims=True), 1e-9)
    facing = np.sum(head_fwd * to_cam_head, axis=1)
    for j in _FACE_IDX:
        if j in (L.LEFT_EAR, L.RIGHT_EAR):
            continue
        vis[:, j] -= 0.5 * np.maximum(0.0, -facing)
    out = (
        (pix[..., 0] < 0)
        | (pix[..., 0] >= cam.width)
        | (pix[..., 1] < 0)
        | (pix[..., 1] >= cam.height)
    )
    vis[out] = 0.05
    return np.clip(vis, 0.0, 1.0)


def project_landmarks(cam: Camera, pts: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(image (T,33,3), world (T,33,3), visibility (T,33)) of lab points (T,33,3)."""
    pix = cam.project(pts)
    pc = cam.to_camera(pts)
    mid = (pc[:, L.LEFT_HIP] + pc[:, L.RIGHT_HIP]) / 2
    z_rel = (pc[..., 2] - mid[:, None, 2]) * cam.focal_px / np.maximum(mid[:, None, 2], 1e-6)
    image = np.concatenate([pix, z_rel[..., None]], axis=-1)
    world = pc - mid[:, None, :]
    return image, world, visibility(cam, pts, pix)
