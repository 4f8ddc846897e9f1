"""Drawing on pictures: the skeleton, and for each check the line or angle it measured.

Every function takes a BGR image and landmark pixel coordinates **in that image** and draws in
place (OpenCV); nothing here reads a video or knows about reports. Text uses OpenCV's Hershey
font, which has no degree sign: angles are written "21 deg".
"""

from __future__ import annotations

import base64
import math

import cv2
import numpy as np
import numpy.typing as npt

from hamcoach import kinematics as K
from hamcoach.landmarks import EDGES, L
from hamcoach.track import FloatArray

Image = npt.NDArray[np.uint8]
Color = tuple[int, int, int]

# BGR colours.
NEUTRAL_BACKGROUND: Color = (236, 232, 228)
SKELETON_ON_VIDEO: Color = (255, 255, 255)
SKELETON_ON_NEUTRAL: Color = (90, 80, 70)
OUTLINE: Color = (30, 30, 30)
FAULT: Color = (40, 40, 220)
REFERENCE: Color = (0, 190, 255)
GOOD: Color = (60, 160, 60)
JOINT_MIN_CONFIDENCE = 0.3
MAX_UPSCALE = 2.0  # small people in a frame are enlarged at most this much

# Landmarks drawn as joints (the face is left out: a dot on the nose is enough).
BODY_JOINTS: tuple[int, ...] = tuple(sorted({int(i) for e in EDGES for i in e} | {int(L.NOSE)}))


def neutral_canvas(width: int, height: int) -> Image:
    """A plain background the size of a frame, for pictures that must not show the person."""
    img = np.empty((height, width, 3), dtype=np.uint8)
    img[:] = NEUTRAL_BACKGROUND
    return img


def _pt(p: FloatArray) -> tuple[int, int] | None:
    if not (math.isfinite(float(p[0])) and math.isfinite(float(p[1]))):
        return None
    return round(float(p[0])), round(float(p[1]))


def _visible(xy: FloatArray, conf: FloatArray, i: int) -> tuple[int, int] | None:
    if conf[i] < JOINT_MIN_CONFIDENCE:
        return None
    return _pt(xy[i])


def draw_skeleton(
    img: Image, xy: FloatArray, conf: FloatArray, *, on_video: bool, thickness: int = 3
) -> None:
    """Bones and joints of one frame; landmarks not seen (NaN or low confidence) are skipped."""
    color = SKELETON_ON_VIDEO if on_video else SKELETON_ON_NEUTRAL
    for a, b in EDGES:
        pa, pb = _visible(xy, conf, a), _visible(xy, conf, b)
        if pa is None or pb is None:
            continue
        if on_video:
            cv2.line(img, pa, pb, OUTLINE, thickness + 2, cv2.LINE_AA)
        cv2.line(img, pa, pb, color, thickness, cv2.LINE_AA)
    for j in BODY_JOINTS:
        p = _visible(xy, conf, j)
        if p is None:
            continue
        cv2.circle(img, p, thickness + 2, OUTLINE, -1, cv2.LINE_AA)
        cv2.circle(img, p, thickness + 1, color, -1, cv2.LINE_AA)


def dashed_line(
    img: Image, p: tuple[int, int], q: tuple[int, int], color: Color, thickness: int = 2
) -> None:
    length = math.hypot(q[0] - p[0], q[1] - p[1])
    dash = max(6.0, 4.0 * thickness)
    n = max(1, int(length // dash))
    for k in range(0, n, 2):
        t0, t1 = k / n, min(1.0, (k + 1) / n)
        a = (round(p[0] + (q[0] - p[0]) * t0), round(p[1] + (q[1] - p[1]) * t0))
        b = (round(p[0] + (q[0] - p[0]) * t1), round(p[1] + (q[1] - p[1]) * t1))
        cv2.line(img, a, b, color, thickness, cv2.LINE_AA)


def put_label(
    img: Image,
    text: str,
    org: tuple[int, int],
    color: Color = FAULT,
    scale: float = 0.6,
    background: Color = (255, 255, 255),
) -> None:
    """Text with a filled box behind it, kept inside the image."""
    font = cv2.FONT_HERSHEY_SIMPLEX
    thick = max(1, round(scale * 2))
    (w, h), base = cv2.getTextSize(text, font, scale, thick)
    x = min(max(org[0], 2), max(2, img.shape[1] - w - 4))
    y = min(max(org[1], h + 4), img.shape[0] - base - 2)
    cv2.rectangle(img, (x - 3, y - h - 4), (x + w + 3, y + base + 2), background, -1)
    cv2.putText(img, text, (x, y), font, scale, color, thick, cv2.LINE_AA)


def wrap_text(text: str, max_width: int, scale: float, thickness: int) -> list[str]:
    """Split ``text`` into lines no wider than ``max_width`` pixels in the Hershey font."""
    font = cv2.FONT_HERSHEY_SIMPLEX
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and cv2.getTextSize(trial, font, scale, thickness)[0][0] > max_width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


def joint_xy(xy: FloatArray, side: str, name: str) -> tuple[int, int] | None:
    return _pt(xy[K.joint(side, name)])


def draw_depth(img: Image, xy: FloatArray, side: str, value: float | None) -> None:
    """The thigh line (hip to knee) and the horizontal through the knee, with the angle."""
    hip, knee = joint_xy(xy, side, "hip"), joint_xy(xy, side, "knee")
    if hip is None or knee is None:
        return
    reach = max(40, round(1.3 * math.hypot(hip[0] - knee[0], hip[1] - knee[1])))
    direction = -1 if hip[0] < knee[0] else 1
    dashed_line(img, (knee[0] + direction * reach, knee[1]), knee, REFERENCE, 2)
    cv2.line(img, knee, hip, FAULT, 4, cv2.LINE_AA)
    cv2.circle(img, knee, 6, FAULT, -1, cv2.LINE_AA)
    if value is not None:
        put_label(img, f"thigh {value:.0f} deg", (hip[0] + 8 * direction, hip[1] - 12))


def draw_knee_valgus(img: Image, xy: FloatArray, side: str, value: float | None) -> None:
    """The hip-to-ankle line of both legs, and the worst knee's offset from it."""
    for s in ("left", "right"):
        hip, ankle = joint_xy(xy, s, "hip"), joint_xy(xy, s, "ankle")
        if hip is not None and ankle is not None:
            dashed_line(img, hip, ankle, REFERENCE, 2)
    hip, knee, ankle = (joint_xy(xy, side, n) for n in ("hip", "knee", "ankle"))
    if hip is None or knee is None or ankle is None:
        return
    hx, hy, ax, ay = map(float, (*hip, *ankle))
    dx, dy = ax - hx, ay - hy
    norm2 = dx * dx + dy * dy or 1.0
    t = ((knee[0] - hx) * dx + (knee[1] - hy) * dy) / norm2
    foot = (round(hx + t * dx), round(hy + t * dy))
    cv2.line(img, foot, knee, FAULT, 4, cv2.LINE_AA)
    cv2.circle(img, knee, 7, FAULT, -1, cv2.LINE_AA)
    if value is not None:
        put_label(img, f"knee in {value * 100:.0f}%", (knee[0] + 12, knee[1] + 34))


def draw_knee_over_foot(img: Image, xy: FloatArray, side: str, value: float | None) -> None:
    """On one leg: a vertical line up from the ankle, and the knee's offset from it."""
    ankle, knee = joint_xy(xy, side, "ankle"), joint_xy(xy, side, "knee")
    if ankle is None or knee is None:
        return
    dashed_line(img, ankle, (ankle[0], knee[1] - 30), REFERENCE, 2)
    cv2.line(img, (ankle[0], knee[1]), knee, FAULT, 4, cv2.LINE_AA)
    cv2.circle(img, knee, 7, FAULT, -1, cv2.LINE_AA)
    if value is not None:
        put_label(img, f"knee in {value * 100:.0f}%", (knee[0] + 12, knee[1] + 34))


def draw_knees_past_toes(
    img: Image, xy: FloatArray, side: str, value: float | None, facing: str
) -> None:
    """A vertical line at the toes, and how far the knee travels past it."""
    toe, knee = joint_xy(xy, side, "toe"), joint_xy(xy, side, "knee")
    if toe is None or knee is None:
        return
    top = min(knee[1], toe[1]) - abs(toe[1] - knee[1]) // 2 - 20
    dashed_line(img, (toe[0], toe[1] + 10), (toe[0], top), REFERENCE, 2)
    cv2.arrowedLine(img, (toe[0], knee[1]), knee, FAULT, 3, cv2.LINE_AA, tipLength=0.3)
    cv2.circle(img, knee, 7, FAULT, -1, cv2.LINE_AA)
    if value is not None:
        shift = 10 if facing == "right" else -150
        put_label(img, f"{value * 100:.0f}% past toes", (knee[0] + shift, knee[1] - 14))


def draw_knees_together(img: Image, xy: FloatArray, value: float | None) -> None:
    """The gap between the knees (fault colour) over the gap between the ankles (reference)."""
    kl, kr = joint_xy(xy, "left", "knee"), joint_xy(xy, "right", "knee")
    al, ar = joint_xy(xy, "left", "ankle"), joint_xy(xy, "right", "ankle")
    if al is not None and ar is not None:
        dashed_line(img, al, ar, REFERENCE, 2)
    if kl is None or kr is None:
        return
    cv2.line(img, kl, kr, FAULT, 4, cv2.LINE_AA)
    for k in (kl, kr):
        cv2.circle(img, k, 7, FAULT, -1, cv2.LINE_AA)
    if value is not None:
        mid = ((kl[0] + kr[0]) // 2 - 50, min(kl[1], kr[1]) - 28)
        put_label(img, f"gap -{value * 100:.0f}%", mid)


def _mid(p: tuple[int, int] | None, q: tuple[int, int] | None) -> tuple[int, int] | None:
    if p is None or q is None:
        return None
    return (p[0] + q[0]) // 2, (p[1] + q[1]) // 2


def draw_bend(
    img: Image,
    a: tuple[int, int] | None,
    b: tuple[int, int] | None,
    c: tuple[int, int] | None,
    label: str,
) -> None:
    """The bend a-b-c (fault colour) against the straight line a-c (reference)."""
    if a is None or b is None or c is None:
        return
    dashed_line(img, a, c, REFERENCE, 2)
    cv2.line(img, a, b, FAULT, 4, cv2.LINE_AA)
    cv2.line(img, b, c, FAULT, 4, cv2.LINE_AA)
    cv2.circle(img, b, 7, FAULT, -1, cv2.LINE_AA)
    put_label(img, label, (b[0] + 12, b[1] + 30))


def draw_line_vs_level(
    img: Image,
    p: tuple[int, int] | None,
    q: tuple[int, int] | None,
    label: str,
    *,
    vertical: bool = False,
) -> None:
    """The segment p-q (fault colour) against the horizontal (or vertical) through p."""
    if p is None or q is None:
        return
    reach = max(40, round(math.hypot(q[0] - p[0], q[1] - p[1])))
    if vertical:
        dashed_line(img, p, (p[0], p[1] - reach), REFERENCE, 2)
    else:
        dashed_line(img, (p[0] - reach // 2, p[1]), (p[0] + reach, p[1]), REFERENCE, 2)
    cv2.line(img, p, q, FAULT, 4, cv2.LINE_AA)
    for r in (p, q):
        cv2.circle(img, r, 6, FAULT, -1, cv2.LINE_AA)
    put_label(img, label, (min(p[0], q[0]), min(p[1], q[1]) - 24))


def draw_heel(img: Image, xy: FloatArray, side: str, value: float | None) -> None:
    heel, toe = joint_xy(xy, side, "heel"), joint_xy(xy, side, "toe")
    if heel is None or toe is None:
        return
    dashed_line(img, (heel[0] - 30, toe[1]), (toe[0] + 30, toe[1]), REFERENCE, 2)
    cv2.line(img, (heel[0], toe[1]), heel, FAULT, 4, cv2.LINE_AA)
    cv2.circle(img, heel, 7, FAULT, -1, cv2.LINE_AA)
    if value is not None:
        put_label(img, f"heel up {value * 100:.0f}%", (heel[0] - 40, heel[1] - 24))


def _other(side: str) -> str:
    return "right" if side == "left" else "left"


def draw_check(
    img: Image,
    check_id: str,
    xy: FloatArray,
    *,
    side: str,
    value: float | None,
    facing: str,
    single_leg: bool = False,
) -> None:
    """What ``check_id`` measured, drawn over a frame (nothing for checks without geometry).

    ``side`` is the leg the check measured (for single-leg exercises: the working leg)."""
    v = "" if value is None else f"{value:.0f} deg"
    shoulder_mid = _mid(joint_xy(xy, "left", "shoulder"), joint_xy(xy, "right", "shoulder"))
    hip_mid = _mid(joint_xy(xy, "left", "hip"), joint_xy(xy, "right", "hip"))
    if check_id in ("bridge.hip_height", "ball_curl.hips_up"):
        a, b, c = (joint_xy(xy, side, n) for n in ("shoulder", "hip", "knee"))
        draw_bend(img, a, b, c, f"hip bend {v}")
    elif check_id in ("ball_curl.full_extension", "ball_curl.full_curl"):
        a, b, c = (joint_xy(xy, side, n) for n in ("hip", "knee", "ankle"))
        draw_bend(img, a, b, c, f"knee bend {v}")
    elif check_id == "sldl.body_line":
        free = _other(side)
        draw_bend(img, shoulder_mid, hip_mid, joint_xy(xy, free, "ankle"), f"bend {v}")
    elif check_id == "bridge.heel_down":
        draw_heel(img, xy, side, value)
    elif check_id in ("bridge.hips_level", "squat.pelvis_level", "sldl.hips_square"):
        draw_line_vs_level(
            img, joint_xy(xy, "right", "hip"), joint_xy(xy, "left", "hip"), f"hips {v}"
        )
    elif check_id == "squat.trunk_lean":
        draw_line_vs_level(img, hip_mid, shoulder_mid, f"trunk {v}", vertical=True)
    elif check_id == "squat.depth":
        draw_depth(img, xy, side, value)
    elif check_id == "squat.knee_valgus" and single_leg:
        draw_knee_over_foot(img, xy, side, value)
    elif check_id == "squat.knee_valgus":
        draw_knee_valgus(img, xy, side, value)
    elif check_id == "squat.knees_past_toes":
        draw_knees_past_toes(img, xy, side, value, facing)
    elif check_id == "squat.knees_together_ascent":
        draw_knees_together(img, xy, value)
    elif check_id in ("tempo.controlled", "bridge.slow_lowering") and value is not None:
        put_label(img, f"lowering {value:.1f} s", (10, 30))


def crop_box(
    xy: FloatArray, width: int, height: int, pad: float = 0.25
) -> tuple[int, int, int, int]:
    """x0, y0, x1, y1 of a box around the visible landmarks, padded; the whole frame when no
    landmark is visible."""
    pts = xy[np.isfinite(xy).all(axis=1)]
    if pts.shape[0] < 2:
        return 0, 0, width, height
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    w, h = max(x1 - x0, 20.0), max(y1 - y0, 20.0)
    px, py = max(pad * w, 0.6 * pad * h), max(pad * h, 0.6 * pad * w)
    box = (
        int(max(0, x0 - px)),
        int(max(0, y0 - py)),
        int(min(width, x1 + px)),
        int(min(height, y1 + py)),
    )
    if box[2] - box[0] < 16 or box[3] - box[1] < 16:
        return 0, 0, width, height
    return box


def fit(
    img: Image, xy: FloatArray, box: tuple[int, int, int, int], max_w: int, max_h: int
) -> tuple[Image, FloatArray]:
    """Crop ``img`` to ``box`` and shrink it to fit max_w x max_h; landmarks follow."""
    x0, y0, x1, y1 = box
    crop: Image = img[y0:y1, x0:x1]
    scale = min(max_w / crop.shape[1], max_h / crop.shape[0], MAX_UPSCALE)
    if scale != 1.0:
        size = (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale)))
        method = cv2.INTER_AREA if scale < 1.0 else cv2.INTER_LINEAR
        crop = np.asarray(cv2.resize(crop, size, interpolation=method), dtype=np.uint8)
    moved = (xy - np.array([x0, y0], dtype=np.float64)) * scale
    return np.ascontiguousarray(crop, dtype=np.uint8), moved


def png_data_uri(img: Image) -> str:
    ok, buf = cv2.imencode(".png", img)
    if not ok:
        raise ValueError("PNG encoding failed")
    return "data:image/png;base64," + base64.b64encode(buf.tobytes()).decode("ascii")
