"""Importers for keypoints made by other tools, each ending as a :class:`PoseTrack`.

Supported inputs (the layout is detected from the content, not the file name):

* **MediaPipe** landmark exports (33 BlazePose points): CSV (wide ``x0,y0,z0,visibility0,...``
  or ``nose_x,nose_y,...``, or long ``frame,landmark,x,y,z,visibility``), JSON (a list of
  frames, each a list of 33 ``{x, y, z, visibility}`` objects, or
  ``{"frames": [{"landmarks": [...], "world_landmarks": [...]}]}``) and NPY ``(T, 33, 3|4|5)``.
* **OpenPose** per-frame JSON (``people[i].pose_keypoints_2d``, BODY_25 or COCO-18): a folder
  of ``*_keypoints.json`` files or a single file.
* **COCO-17** keypoints from YOLO-pose / RTMPose / MMPose: NPY ``(T, 17, 2|3)`` or JSON
  (``[{"keypoints": [51 floats]}]``, ``[{"instances": [{"keypoints": [[x, y], ...],
  "keypoint_scores": [...]}]}]`` or MMPose's ``{"instance_info": [...]}``).

Units: coordinates whose magnitude never exceeds :data:`NORMALIZED_LIMIT` are normalized
(fractions of the frame width/height, MediaPipe's convention; ``z`` on the width scale) and need
the frame size in pixels; anything larger is pixels. Times are ``frame number / fps`` seconds.
Missing joints (NaN, empty cells, OpenPose's ``0, 0, 0``) become NaN with confidence 0.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from hamcoach.errors import InputNotFoundError, TrackFormatError
from hamcoach.landmarks import N_LANDMARKS, NAMES, L
from hamcoach.track import BoolArray, FloatArray, PoseTrack

KEYPOINT_SUFFIXES = frozenset({".csv", ".json", ".npy"})
DEFAULT_FPS = 30.0
# Largest |x| or |y| of a normalized coordinate (MediaPipe puts off-frame points a bit past 0..1).
NORMALIZED_LIMIT = 1.5
OPENPOSE_GLOB = "*_keypoints.json"

FORMATS_HINT = (
    "Supported: MediaPipe CSV/JSON/NPY (33 landmarks), OpenPose *_keypoints.json (BODY_25 or "
    "COCO-18), COCO-17 NPY (frames, 17, 2|3) or JSON from YOLO-pose/RTMPose/MMPose. "
    "See the docstring of hamcoach.io.importers for the exact layouts."
)
SIZE_HINT = "Pass --width W --height H: the pixel size of the video the keypoints were computed on."


@dataclass(frozen=True)
class KeypointSet:
    """A keypoint convention: its BlazePose mapping and the meaning of each value channel."""

    name: str
    to_blazepose: tuple[int | None, ...]  # BlazePose index of each source keypoint (None: none)
    channels: tuple[str, ...]  # meaning of value columns, in order; files may stop after "y"
    zero_score_is_missing: bool  # True when the tool writes score 0 for "not detected"

    @property
    def size(self) -> int:
        return len(self.to_blazepose)

    def channel_counts(self) -> range:
        return range(2, len(self.channels) + 1)


MEDIAPIPE = KeypointSet(
    "mediapipe", tuple(range(N_LANDMARKS)), ("x", "y", "z", "score", "presence"), False
)
COCO17 = KeypointSet(
    "coco17",
    (
        L.NOSE, L.LEFT_EYE, L.RIGHT_EYE, L.LEFT_EAR, L.RIGHT_EAR,
        L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_ELBOW, L.RIGHT_ELBOW, L.LEFT_WRIST, L.RIGHT_WRIST,
        L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_KNEE, L.RIGHT_KNEE, L.LEFT_ANKLE, L.RIGHT_ANKLE,
    ),
    ("x", "y", "score"),
    True,
)  # fmt: skip
OPENPOSE_BODY25 = KeypointSet(
    "openpose-body25",
    (
        L.NOSE, None, L.RIGHT_SHOULDER, L.RIGHT_ELBOW, L.RIGHT_WRIST,  # 1 neck
        L.LEFT_SHOULDER, L.LEFT_ELBOW, L.LEFT_WRIST, None,  # 8 mid-hip
        L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE, L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE,
        L.RIGHT_EYE, L.LEFT_EYE, L.RIGHT_EAR, L.LEFT_EAR,
        L.LEFT_FOOT_INDEX, None, L.LEFT_HEEL,  # big toe, small toe, heel
        L.RIGHT_FOOT_INDEX, None, L.RIGHT_HEEL,
    ),
    ("x", "y", "score"),
    True,
)  # fmt: skip
OPENPOSE_COCO18 = KeypointSet(
    "openpose-coco18",
    (
        L.NOSE, None, L.RIGHT_SHOULDER, L.RIGHT_ELBOW, L.RIGHT_WRIST,  # 1 neck
        L.LEFT_SHOULDER, L.LEFT_ELBOW, L.LEFT_WRIST,
        L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE, L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE,
        L.RIGHT_EYE, L.LEFT_EYE, L.RIGHT_EAR, L.LEFT_EAR,
    ),
    ("x", "y", "score"),
    True,
)  # fmt: skip
KEYPOINT_SETS: dict[int, KeypointSet] = {
    s.size: s for s in (MEDIAPIPE, COCO17, OPENPOSE_BODY25, OPENPOSE_COCO18)
}
# Flat value count -> (keypoints, channels); the products are all distinct.
FLAT_SHAPES: dict[int, tuple[int, int]] = {
    s.size * c: (s.size, c) for s in KEYPOINT_SETS.values() for c in s.channel_counts()
}
SHAPES_TEXT = (
    "33 MediaPipe landmarks with 2-5 values (x, y[, z, visibility, presence]), or 17 COCO / "
    "25 OpenPose BODY_25 / 18 OpenPose COCO-18 keypoints with 2-3 values (x, y[, score])"
)


@dataclass(frozen=True)
class Person:
    """One person in one frame, in the source's keypoint set and units.

    ``points`` (K, 3) x, y, z (normalized or pixels; z NaN when absent), NaN rows when missing;
    ``score`` (K,) in the source's scale, NaN when not given; ``world`` (33, 3) metres or None.
    """

    kind: KeypointSet
    points: FloatArray
    score: FloatArray
    world: FloatArray | None = None


@dataclass(frozen=True)
class Keypoints:
    """One person per frame, in the source's keypoint set and units (see :class:`Person`)."""

    kind: KeypointSet
    points: FloatArray  # (T, K, 3)
    score: FloatArray  # (T, K)
    world: FloatArray | None  # (T, 33, 3) metres
    frame_numbers: FloatArray | None  # (T,) the source's frame numbers; t = n / fps
    t_s: FloatArray | None  # (T,) seconds, when the source gives times
    layout: str
    warnings: tuple[str, ...] = ()


# ----------------------------------------------------------------------------------------------
# Public entry points


def import_keypoints(
    path: Path,
    *,
    width: int | None = None,
    height: int | None = None,
    fps: float = DEFAULT_FPS,
) -> PoseTrack:
    """Read a keypoint file (CSV, JSON or NPY; see the module docstring) as a pose track.

    ``width``/``height`` are the source video's size in pixels (required for normalized
    coordinates, inferred from the points otherwise); ``fps`` in frames per second gives the
    timestamps when the file has no times of its own.
    """
    path = Path(path)
    check_options(width, height, fps)
    if not path.exists():
        raise InputNotFoundError(f"Keypoint file not found: {path}")
    if path.is_dir():
        return import_openpose_folder(path, width=width, height=height, fps=fps)
    keypoints = read_keypoint_file(path)
    return build_track(keypoints, str(path), width, height, fps)


def import_openpose_folder(
    folder: Path,
    *,
    width: int | None = None,
    height: int | None = None,
    fps: float = DEFAULT_FPS,
) -> PoseTrack:
    """Read a folder of OpenPose ``*_keypoints.json`` files (one per frame) as a pose track.

    Files are ordered by the frame number in their names (``..._000000000012_keypoints.json``
    is frame 12, at ``12 / fps`` seconds). Units of the arguments as in :func:`import_keypoints`.
    """
    folder = Path(folder)
    check_options(width, height, fps)
    if not folder.is_dir():
        raise InputNotFoundError(f"OpenPose folder not found: {folder}")
    files = sorted(folder.glob(OPENPOSE_GLOB))
    if not files:
        raise InputNotFoundError(
            f"No OpenPose {OPENPOSE_GLOB} files in {folder}.",
            hint="Run OpenPose with --write_json FOLDER and pass that folder.",
        )
    numbers = frame_numbers_from_names([f.name for f in files])
    if numbers is not None:
        order = np.argsort(numbers, kind="stable")
        files = [files[i] for i in order]
        numbers = numbers[order]
    frames = [read_json_frame(load_json(f), f.name) for f in files]
    keypoints = keypoints_from_frames(frames, "openpose-folder", folder.name)
    if numbers is not None:
        keypoints = replace(keypoints, frame_numbers=numbers)
    return build_track(keypoints, str(folder), width, height, fps)


def check_options(width: int | None, height: int | None, fps: float) -> None:
    """Reject a non-positive frame size (pixels) or frame rate (frames per second)."""
    for name, value in (("width", width), ("height", height)):
        if value is not None and value <= 0:
            raise TrackFormatError(
                f"The frame {name} must be a positive number of pixels, got {value}.",
                hint=SIZE_HINT,
            )
    if not (math.isfinite(fps) and fps > 0):
        raise TrackFormatError(
            f"The frame rate must be a positive number of frames per second, got {fps}.",
            hint="Pass --fps with the source video's frame rate (e.g. 30).",
        )


def read_keypoint_file(path: Path) -> Keypoints:
    """Detect the container from the first bytes (NPY magic, JSON bracket, else CSV) and read it.

    A ``.json`` name also selects JSON, so a damaged JSON file gets a JSON error message.
    """
    with path.open("rb") as fh:
        head = fh.read(64)
    if head.startswith(b"\x93NUMPY"):
        return read_npy(path)
    text = decode_text(path)
    if text.lstrip()[:1] in ("[", "{") or path.suffix.lower() == ".json":
        return keypoints_from_json(json_loads(text, path.name), path.name)
    return read_csv(text, path.name)


# ----------------------------------------------------------------------------------------------
# Track building (shared by every format)


def build_track(
    kp: Keypoints, source: str, width: int | None, height: int | None, fps: float
) -> PoseTrack:
    """Map keypoints onto BlazePose, convert to pixels and time-stamp them (seconds)."""
    name = Path(source).name
    present = np.isfinite(kp.points[:, :, 0])
    confidence, clipped = confidence_from_scores(kp.score, present)
    image, conf33 = map_to_blazepose(kp.points, confidence, kp.kind)
    if not np.isfinite(image[:, :, 0]).any():
        raise TrackFormatError(
            f"{name} contains no keypoints: every joint of every frame is missing.",
            hint="Check that the pose tool found a person; " + FORMATS_HINT,
        )
    warnings = list(kp.warnings)
    if clipped:
        warnings.append("Some keypoint scores were outside [0, 1] and were clipped.")
    if np.isnan(kp.score[present]).all():
        warnings.append("The file has no confidence values: present joints get confidence 1.")
    normalized = is_normalized(kp.points)
    if normalized:
        if width is None or height is None:
            raise TrackFormatError(
                f"{name} has normalized coordinates (0-1) but the frame size is unknown: "
                "pass --width and --height in pixels.",
                hint=SIZE_HINT,
            )
        image = scale_normalized(image, width, height)
        size_inferred = False
    else:
        width, height, size_inferred = complete_frame_size(image, width, height)
        if size_inferred:
            warnings.append(
                f"Frame size inferred from the keypoints as {width}x{height} pixels; "
                "pass --width/--height for the exact size."
            )
    return PoseTrack(
        image=image,
        confidence=conf33,
        t_s=timestamps(kp, fps, name),
        width=width,
        height=height,
        fps=fps,
        world=kp.world,
        source=source,
        backend=f"import:{kp.kind.name}",
        meta={
            "warnings": warnings,
            "size_inferred": size_inferred,
            "keypoint_set": kp.kind.name,
            "import_layout": kp.layout,
            "coordinates": "normalized" if normalized else "pixels",
        },
    )


def confidence_from_scores(score: FloatArray, present: BoolArray) -> tuple[FloatArray, bool]:
    """Confidence in [0, 1]: the score (1 when none given) for present joints, 0 for missing."""
    given = np.where(np.isnan(score), 1.0, score)
    clipped = bool(((given < 0) | (given > 1))[present].any())
    return np.where(present, np.clip(given, 0.0, 1.0), 0.0), clipped


def map_to_blazepose(
    points: FloatArray, confidence: FloatArray, kind: KeypointSet
) -> tuple[FloatArray, FloatArray]:
    """(T, K, 3) points and (T, K) confidence onto the 33 BlazePose landmarks (others missing)."""
    n = points.shape[0]
    image = np.full((n, N_LANDMARKS, 3), np.nan)
    conf = np.zeros((n, N_LANDMARKS))
    for src, dst in enumerate(kind.to_blazepose):
        if dst is not None:
            image[:, dst] = points[:, src]
            conf[:, dst] = confidence[:, src]
    return image, conf


def is_normalized(points: FloatArray) -> bool:
    """True when every finite x, y lies within +-NORMALIZED_LIMIT (fractions of the frame)."""
    xy = points[..., :2]
    finite = xy[np.isfinite(xy)]
    return bool(finite.size) and float(np.max(np.abs(finite))) <= NORMALIZED_LIMIT


def scale_normalized(image: FloatArray, width: int, height: int) -> FloatArray:
    """Normalized x, y, z to pixels (z on the width scale, as MediaPipe defines it)."""
    return image * np.array([width, height, width], dtype=np.float64)


def complete_frame_size(
    image: FloatArray, width: int | None, height: int | None
) -> tuple[int, int, bool]:
    """(width, height, inferred): missing sides become the ceiling of the largest x / y pixel."""
    inferred = width is None or height is None
    if width is None:
        width = max(1, math.ceil(float(np.nanmax(image[:, :, 0]))))
    if height is None:
        height = max(1, math.ceil(float(np.nanmax(image[:, :, 1]))))
    return width, height, inferred


def timestamps(kp: Keypoints, fps: float, name: str) -> FloatArray:
    """Seconds of each frame: the source's times, else frame number / fps, else index / fps."""
    n = kp.points.shape[0]
    if kp.t_s is not None:
        t_s = kp.t_s
    elif kp.frame_numbers is not None:
        t_s = kp.frame_numbers / fps
    else:
        t_s = np.arange(n, dtype=np.float64) / fps
    unknown = np.flatnonzero(~np.isfinite(t_s))
    if unknown.size:
        raise TrackFormatError(
            f"{name}: frame {int(unknown[0])} has no time or frame number.",
            hint="Fill in every frame/time cell, or remove the time column to use --fps.",
        )
    bad = np.flatnonzero(~(np.diff(t_s) > 0))
    if bad.size:
        i = int(bad[0]) + 1
        raise TrackFormatError(
            f"{name}: frame times must increase, but frame {i} is at {t_s[i]:g} s "
            f"after {t_s[i - 1]:g} s.",
            hint="Sort the rows by frame and remove duplicated frames.",
        )
    return t_s


def frame_numbers_from_names(names: Sequence[str]) -> FloatArray | None:
    """Frame numbers from OpenPose file names (``clip_000000000012_keypoints.json`` -> 12).

    None unless every name carries a number and no number repeats.
    """
    found = [re.search(r"(\d+)_keypoints\.json$", n) for n in names]
    numbers = [int(m.group(1)) for m in found if m is not None]
    if len(numbers) != len(names) or len(set(numbers)) != len(numbers):
        return None
    return np.asarray(numbers, dtype=np.float64)


# ----------------------------------------------------------------------------------------------
# Arrays of values -> people


def mark_missing(kind: KeypointSet, points: FloatArray, score: FloatArray) -> FloatArray:
    """Points with NaN where missing: x or y NaN, exactly (0, 0), or score 0 for OpenPose/COCO."""
    x, y = points[..., 0], points[..., 1]
    missing = ~np.isfinite(x) | ~np.isfinite(y) | ((x == 0) & (y == 0))
    if kind.zero_score_is_missing:
        missing |= score == 0
    return np.where(missing[..., None], np.nan, points)


def split_channels(kind: KeypointSet, values: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(..., K, C) values to (..., K, 3) x, y, z points and (..., K) scores (NaN when absent)."""
    names = kind.channels[: values.shape[-1]]
    nan = np.full(values.shape[:-1], np.nan)
    z = values[..., names.index("z")] if "z" in names else nan
    score = values[..., names.index("score")] if "score" in names else nan
    points = np.stack([values[..., 0], values[..., 1], z], axis=-1)
    return mark_missing(kind, points, score), score


def keypoint_set_for(shape: tuple[int, ...], where: str) -> KeypointSet:
    """The keypoint set of a (..., K, C) array, or a TrackFormatError naming what was expected."""
    kind = KEYPOINT_SETS.get(shape[-2]) if len(shape) >= 2 else None
    if kind is None or shape[-1] not in kind.channel_counts():
        raise TrackFormatError(
            f"{where}: keypoints of shape {shape} are not a known layout; expected {SHAPES_TEXT}.",
            hint=FORMATS_HINT,
        )
    return kind


def to_float_array(values: Any, where: str) -> FloatArray:
    """Nested lists of numbers (None and NaN allowed) as a float array, or a TrackFormatError."""
    try:
        return np.asarray(values, dtype=np.float64)
    except (ValueError, TypeError) as exc:
        raise TrackFormatError(
            f"{where}: expected numbers (a flat list or a list of [x, y, ...] rows), "
            f"got {short_repr(values)}.",
            hint=FORMATS_HINT,
        ) from exc


def people_from_values(values: Any, scores: Any, where: str) -> list[Person]:
    """People from a flat list, a (K, C) list of rows, or a (P, K, C) list of people."""
    arr = to_float_array(values, where)
    if arr.size == 0:
        return []
    if arr.ndim == 1:
        if arr.size not in FLAT_SHAPES:
            raise TrackFormatError(
                f"{where}: a flat list of {arr.size} numbers is not a known layout; "
                f"expected {SHAPES_TEXT} (e.g. 51 = 17 x [x, y, score]).",
                hint=FORMATS_HINT,
            )
        arr = arr.reshape(FLAT_SHAPES[arr.size])
    if arr.ndim == 2:
        arr = arr[None]
    kind = keypoint_set_for(arr.shape, where)
    if arr.ndim != 3:
        raise TrackFormatError(
            f"{where}: expected (keypoints, values) per person, got shape {arr.shape}.",
            hint=FORMATS_HINT,
        )
    points, score = split_channels(kind, arr)
    if scores is not None:
        score = to_float_array(scores, where)
        if score.size != arr.shape[0] * arr.shape[1]:
            raise TrackFormatError(
                f"{where}: {score.size} keypoint scores for {arr.shape[1]} keypoints.",
                hint=FORMATS_HINT,
            )
        score = score.reshape(arr.shape[:2])
        points = mark_missing(kind, points, score)
    return [Person(kind, p, s) for p, s in zip(points, score, strict=True)]


def person_from_landmarks(landmarks: list[Any], world: Any, where: str) -> Person:
    """A MediaPipe person from 33 ``{x, y, z, visibility}`` objects (and optional world ones)."""
    if len(landmarks) != N_LANDMARKS or not all(is_landmark(d) for d in landmarks):
        raise TrackFormatError(
            f"{where}: expected {N_LANDMARKS} MediaPipe landmarks as {{x, y, z, visibility}} "
            f"objects, got {len(landmarks)} items starting {short_repr(landmarks[:1])}.",
            hint=FORMATS_HINT,
        )
    rows = [[d.get("x"), d.get("y"), d.get("z"), d.get("visibility")] for d in landmarks]
    points, score = split_channels(MEDIAPIPE, to_float_array(rows, where))
    world_xyz = None
    if world:
        world_rows = [[d.get("x"), d.get("y"), d.get("z")] for d in world]
        world_xyz = to_float_array(world_rows, where + " world landmarks")
        if world_xyz.shape != (N_LANDMARKS, 3):
            raise TrackFormatError(
                f"{where}: expected {N_LANDMARKS} world landmarks, got {len(world)}.",
                hint=FORMATS_HINT,
            )
    return Person(MEDIAPIPE, points, score, world_xyz)


def is_landmark(item: Any) -> bool:
    return isinstance(item, dict) and "x" in item and "y" in item


def short_repr(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ----------------------------------------------------------------------------------------------
# Choosing one person per frame


def person_weight(person: Person) -> float:
    """Sum of confidences of the present joints (a score-less joint counts 1)."""
    present = np.isfinite(person.points[:, 0])
    return float(np.where(np.isnan(person.score), 1.0, person.score)[present].sum())


def person_distance(a: Person, b: Person) -> float:
    """Mean pixel (or normalized) distance over joints present in both; centroids otherwise."""
    both = np.isfinite(a.points[:, 0]) & np.isfinite(b.points[:, 0])
    if both.any():
        d = a.points[both, :2] - b.points[both, :2]
        return float(np.mean(np.hypot(d[:, 0], d[:, 1])))
    ca = a.points[np.isfinite(a.points[:, 0]), :2].mean(axis=0)
    cb = b.points[np.isfinite(b.points[:, 0]), :2].mean(axis=0)
    return float(np.hypot(*(ca - cb)))


def pick_person(people: list[Person], previous: Person | None) -> Person:
    """The person closest to the previous pick, or the most confident one when there is none."""
    if previous is None:
        return max(people, key=person_weight)
    return min(people, key=lambda p: person_distance(p, previous))


def pick_people(frames: list[list[Person]]) -> tuple[list[Person | None], list[int]]:
    """One person (or None) per frame, and the indices of frames that had several people."""
    picks: list[Person | None] = []
    crowded: list[int] = []
    previous: Person | None = None
    for i, candidates in enumerate(frames):
        people = [p for p in candidates if np.isfinite(p.points[:, 0]).any()]
        if len(people) > 1:
            crowded.append(i)
        pick = pick_person(people, previous) if people else None
        if pick is not None:
            previous = pick
        picks.append(pick)
    return picks, crowded


def keypoints_from_frames(frames: list[list[Person]], layout: str, name: str) -> Keypoints:
    """Stack one person per frame into :class:`Keypoints` (frames without people all missing)."""
    if not frames:
        raise TrackFormatError(f"{name} contains no frames.", hint=FORMATS_HINT)
    kind = common_keypoint_set(frames, name)
    picks, crowded = pick_people(frames)
    if all(p is None for p in picks):
        raise TrackFormatError(
            f"{name} contains no keypoints: no person in any of its {len(frames)} frames.",
            hint="Check that the pose tool found a person; " + FORMATS_HINT,
        )
    empty = Person(kind, np.full((kind.size, 3), np.nan), np.full(kind.size, np.nan))
    chosen = [p or empty for p in picks]
    warnings = []
    if crowded:
        warnings.append(
            f"{len(crowded)} frame(s) had more than one person (first at frame index "
            f"{crowded[0]}); "
            "kept the person closest to the previous frame's choice."
        )
    return Keypoints(
        kind=kind,
        points=np.stack([p.points for p in chosen]),
        score=np.stack([p.score for p in chosen]),
        world=stack_world(chosen),
        frame_numbers=None,
        t_s=None,
        layout=layout,
        warnings=tuple(warnings),
    )


def common_keypoint_set(frames: list[list[Person]], name: str) -> KeypointSet:
    """The one keypoint set of every person in every frame (MediaPipe when there are none)."""
    kinds = {p.kind.name: p.kind for people in frames for p in people}
    if len(kinds) > 1:
        raise TrackFormatError(
            f"{name} mixes keypoint sets ({' and '.join(sorted(kinds))}); "
            "expected one set for every frame.",
            hint=FORMATS_HINT,
        )
    return next(iter(kinds.values()), MEDIAPIPE)


def stack_world(people: list[Person]) -> FloatArray | None:
    """(T, 33, 3) world metres when any frame has them (NaN elsewhere), else None."""
    if all(p.world is None for p in people):
        return None
    nan = np.full((N_LANDMARKS, 3), np.nan)
    return np.array([nan if p.world is None else p.world for p in people], dtype=np.float64)


# ----------------------------------------------------------------------------------------------
# NPY


def read_npy(path: Path) -> Keypoints:
    """A (T, K, C) NPY array of keypoints (see :data:`SHAPES_TEXT`)."""
    try:
        arr = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise TrackFormatError(
            f"Cannot read {path.name} as a numeric NPY array: {exc}", hint=FORMATS_HINT
        ) from exc
    if arr.ndim != 3 or arr.dtype.kind not in "fiu":
        raise TrackFormatError(
            f"{path.name}: expected a numeric array of shape (frames, keypoints, values) with "
            f"{SHAPES_TEXT}; got shape {arr.shape} of {arr.dtype}.",
            hint=FORMATS_HINT,
        )
    kind = keypoint_set_for(arr.shape, path.name)
    points, score = split_channels(kind, arr.astype(np.float64))
    return Keypoints(kind, points, score, None, None, None, "npy")


# ----------------------------------------------------------------------------------------------
# JSON


def decode_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TrackFormatError(
            f"{path.name} is neither an NPY array nor UTF-8 text (CSV or JSON).",
            hint=FORMATS_HINT,
        ) from exc


def json_loads(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise TrackFormatError(f"{name} is not valid JSON: {exc}", hint=FORMATS_HINT) from exc


def load_json(path: Path) -> Any:
    return json_loads(decode_text(path), path.name)


FRAME_LIST_KEYS = ("frames", "instance_info")
SINGLE_FRAME_KEYS = ("people", "landmarks", "pose_landmarks", "keypoints", "instances")


def keypoints_from_json(doc: Any, name: str) -> Keypoints:
    """Keypoints from a parsed JSON document: a list of frames or one of the known wrappers."""
    frames = json_frames(doc, name)
    people = [read_json_frame(f, f"{name} frame {i}") for i, f in enumerate(frames)]
    return keypoints_from_frames(people, "json", name)


def json_frames(doc: Any, name: str) -> list[Any]:
    """The list of per-frame items of a JSON document."""
    if isinstance(doc, dict):
        key = next((k for k in FRAME_LIST_KEYS if k in doc), None)
        if key is not None and isinstance(doc[key], list):
            return list(doc[key])
        if any(k in doc for k in SINGLE_FRAME_KEYS):
            return [doc]
    elif isinstance(doc, list):
        return [doc] if doc and all(is_landmark(d) for d in doc) else doc
    raise unknown_json(name, doc)


def read_json_frame(frame: Any, where: str) -> list[Person]:
    """Every person of one JSON frame (an empty list when nobody was found)."""
    if frame is None:
        return []
    if isinstance(frame, dict):
        return read_json_frame_object(frame, where)
    if isinstance(frame, list):
        if not frame:
            return []
        if all(is_landmark(d) for d in frame):
            return [person_from_landmarks(frame, None, where)]
        if all(isinstance(d, dict) for d in frame):
            return [p for d in frame for p in read_json_frame_object(d, where)]
        return people_from_values(frame, None, where)
    raise unknown_json(where, frame)


def read_json_frame_object(obj: dict[str, Any], where: str) -> list[Person]:
    """People of a JSON object: OpenPose, MediaPipe landmarks, or (MMPose) instances."""
    readers: dict[str, Callable[[Any], list[Person]]] = {
        "people": lambda v: [p for d in v for p in openpose_person(d, where)],
        "landmarks": lambda v: [person_from_landmarks(v, world_of(obj), where)] if v else [],
        "pose_landmarks": lambda v: [person_from_landmarks(v, world_of(obj), where)] if v else [],
        "instances": lambda v: [p for d in v for p in read_json_frame_object(d, where)],
        "keypoints": lambda v: people_from_values(keypoint_rows(v), scores_of(obj), where),
        "pose_keypoints_2d": lambda v: people_from_values(v, None, where),
    }
    for key, read in readers.items():
        if key in obj:
            value = obj[key]
            if value is not None and not isinstance(value, list | dict):
                raise unknown_json(where, obj)
            return read(value or [])
    raise unknown_json(where, obj)


def openpose_person(person: Any, where: str) -> list[Person]:
    if not isinstance(person, dict) or "pose_keypoints_2d" not in person:
        raise unknown_json(where, person)
    return people_from_values(person["pose_keypoints_2d"], None, where)


def keypoint_rows(value: Any) -> Any:
    """Keypoint values as given, or ``[[x, y, visible], ...]`` from Ultralytics' ``tojson()``
    ``{"x": [...], "y": [...], "visible": [...]}`` object."""
    if isinstance(value, dict):
        if "x" not in value or "y" not in value:
            raise unknown_json("keypoints", value)
        columns = [value["x"], value["y"]] + ([value["visible"]] if "visible" in value else [])
        return [list(row) for row in zip(*columns, strict=True)]
    return value


def world_of(obj: dict[str, Any]) -> Any:
    return obj.get("world_landmarks") or obj.get("pose_world_landmarks")


def scores_of(obj: dict[str, Any]) -> Any:
    return obj.get("keypoint_scores", obj.get("scores"))


def unknown_json(where: str, value: Any) -> TrackFormatError:
    return TrackFormatError(
        f"{where}: unrecognised JSON structure {short_repr(value)}; expected a list of frames, "
        "each a list of 33 MediaPipe {x, y, z, visibility} objects, an OpenPose "
        '{"people": [...]} object, or a {"keypoints": [...]} / {"instances": [...]} object.',
        hint=FORMATS_HINT,
    )


# ----------------------------------------------------------------------------------------------
# CSV (MediaPipe)

FIELDS = {"x": 0, "y": 1, "z": 2, "visibility": 3, "presence": 4}
FIELD_RE = "x|y|z|visibility|presence"
INDEXED_COLUMN = re.compile(
    rf"^(?:(?P<f1>{FIELD_RE})_?(?P<i1>\d+)|(?:landmark_?|lm_?)?(?P<i2>\d+)_(?P<f2>{FIELD_RE}))$"
)
NAMED_COLUMN = re.compile(rf"^(?P<name>[a-z_]+?)_(?P<field>{FIELD_RE})$")
LANDMARK_COLUMNS = ("landmark", "landmark_id", "landmark_index", "landmark_name", "name")
FRAME_COLUMNS = ("frame", "frame_index", "frame_idx", "frame_id")
SECONDS_COLUMNS = ("t_s", "time_s", "timestamp_s")
MILLISECONDS_COLUMNS = ("timestamp_ms", "time_ms", "t_ms")


def read_csv(text: str, name: str) -> Keypoints:
    """MediaPipe landmarks from a wide (one row per frame) or long (one row per landmark) CSV."""
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if len(rows) < 2:
        raise TrackFormatError(
            f"{name}: expected a CSV header row and at least one data row.", hint=FORMATS_HINT
        )
    header = [h.strip().lower() for h in rows[0]]
    body = rows[1:]
    if "x" in header and "y" in header and find_column(header, LANDMARK_COLUMNS) is not None:
        return read_long_csv(header, body, name)
    return read_wide_csv(header, body, name)


def find_column(header: list[str], names: Sequence[str]) -> int | None:
    return next((header.index(n) for n in names if n in header), None)


def wide_column_targets(header: list[str]) -> dict[int, tuple[int, int]]:
    """Column index -> (landmark, field) for the ``x0`` / ``0_x`` / ``nose_x`` columns."""
    targets: dict[int, tuple[int, int]] = {}
    for col, head in enumerate(header):
        m = INDEXED_COLUMN.match(head)
        if m is not None:
            index = int(m.group("i1") or m.group("i2"))
            field = m.group("f1") or m.group("f2")
            if index < N_LANDMARKS:
                targets[col] = (index, FIELDS[field])
            continue
        m = NAMED_COLUMN.match(head)
        if m is not None and m.group("name") in NAMES:
            targets[col] = (NAMES.index(m.group("name")), FIELDS[m.group("field")])
    return targets


def parse_cell(cell: str, row: int, column: str, name: str) -> float:
    """A number from a CSV cell; empty or 'nan' cells are NaN (missing)."""
    text = cell.strip()
    if text == "":
        return math.nan
    try:
        return float(text)
    except ValueError:
        raise TrackFormatError(
            f"{name}: row {row}, column {column!r}: {text!r} is not a number.",
            hint="Leave missing values empty (or NaN) and check the CSV delimiter is a comma.",
        ) from None


def cell(rows: list[list[str]], r: int, col: int, header: list[str], name: str) -> float:
    value = rows[r][col] if col < len(rows[r]) else ""
    return parse_cell(value, r + 2, header[col], name)


def read_wide_csv(header: list[str], rows: list[list[str]], name: str) -> Keypoints:
    """One row per frame, columns ``x0, y0, z0, visibility0, ...`` or ``nose_x, nose_y, ...``."""
    targets = wide_column_targets(header)
    fields = {f for _, f in targets.values()}
    if not {FIELDS["x"], FIELDS["y"]} <= fields:
        raise TrackFormatError(
            f"{name}: no landmark columns found in the header {short_repr(','.join(header))}; "
            "expected MediaPipe columns like x0,y0,z0,visibility0,... or nose_x,nose_y,..., "
            "or a long table frame,landmark,x,y,z,visibility.",
            hint=FORMATS_HINT,
        )
    values = np.full((len(rows), N_LANDMARKS, len(FIELDS)), np.nan)
    for r in range(len(rows)):
        for col, (landmark, field) in targets.items():
            values[r, landmark, field] = cell(rows, r, col, header, name)
    frame_numbers, t_s = time_columns(header, rows, name)
    points, score = split_channels(MEDIAPIPE, values)
    return Keypoints(MEDIAPIPE, points, score, None, frame_numbers, t_s, "csv-wide")


def time_columns(
    header: list[str], rows: list[list[str]], name: str
) -> tuple[FloatArray | None, FloatArray | None]:
    """(frame numbers, seconds) per row from the optional frame / time columns."""

    def column(names: Sequence[str], scale: float) -> FloatArray | None:
        col = find_column(header, names)
        if col is None:
            return None
        return np.array([cell(rows, r, col, header, name) for r in range(len(rows))]) * scale

    seconds = column(SECONDS_COLUMNS, 1.0)
    if seconds is None:
        seconds = column(MILLISECONDS_COLUMNS, 1e-3)
    return column(FRAME_COLUMNS, 1.0), seconds


def landmark_index(label: str, row: int, name: str) -> int:
    """A BlazePose index from a long-CSV landmark cell: ``0``..``32`` or a name like ``nose``."""
    text = label.strip().lower()
    if text.isdigit() and int(text) < N_LANDMARKS:
        return int(text)
    if text in NAMES:
        return NAMES.index(text)
    raise TrackFormatError(
        f"{name}: row {row}: landmark {label!r} is not a BlazePose index 0-32 or name "
        "(nose, left_shoulder, ...).",
        hint=FORMATS_HINT,
    )


def read_long_csv(header: list[str], rows: list[list[str]], name: str) -> Keypoints:
    """One row per (frame, landmark): columns ``frame, landmark, x, y[, z, visibility]``."""
    frame_col = find_column(header, FRAME_COLUMNS)
    landmark_col = find_column(header, LANDMARK_COLUMNS)
    if frame_col is None or landmark_col is None:
        raise TrackFormatError(
            f"{name}: a long landmark table needs a 'frame' column next to 'landmark', x, y.",
            hint=FORMATS_HINT,
        )
    frames = np.array([cell(rows, r, frame_col, header, name) for r in range(len(rows))])
    if not np.isfinite(frames).all():
        raise TrackFormatError(f"{name}: every row needs a frame number.", hint=FORMATS_HINT)
    numbers, frame_of_row = np.unique(frames, return_inverse=True)
    values = np.full((numbers.size, N_LANDMARKS, len(FIELDS)), np.nan)
    field_cols = {FIELDS[f]: header.index(f) for f in FIELDS if f in header}
    for r in range(len(rows)):
        landmark = landmark_index(rows[r][landmark_col], r + 2, name)
        for field, col in field_cols.items():
            values[frame_of_row[r], landmark, field] = cell(rows, r, col, header, name)
    points, score = split_channels(MEDIAPIPE, values)
    return Keypoints(MEDIAPIPE, points, score, None, numbers, None, "csv-long")
