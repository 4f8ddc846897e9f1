"""Importers of MediaPipe, OpenPose and COCO-17 keypoint files (hamcoach.io.importers).

Every input is synthetic: a known pose moving along a straight line, written in each layout.
Sizes are powers of two so normalized -> pixel conversions are exact in floating point.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from hamcoach.errors import HamCoachError, InputNotFoundError, TrackFormatError
from hamcoach.io.importers import import_keypoints, import_openpose_folder
from hamcoach.io.sources import load_any
from hamcoach.landmarks import NAMES, L
from hamcoach.track import FloatArray, PoseTrack, load_track, save_track

W, H, FPS = 512, 256, 30.0
N_FRAMES = 4
MISSING = (1, L.LEFT_WRIST)  # (frame, landmark) left out of every MediaPipe file

# The specification of each keypoint set, written out independently of the importer.
COCO17_TO_BLAZE = {
    0: L.NOSE, 1: L.LEFT_EYE, 2: L.RIGHT_EYE, 3: L.LEFT_EAR, 4: L.RIGHT_EAR,
    5: L.LEFT_SHOULDER, 6: L.RIGHT_SHOULDER, 7: L.LEFT_ELBOW, 8: L.RIGHT_ELBOW,
    9: L.LEFT_WRIST, 10: L.RIGHT_WRIST, 11: L.LEFT_HIP, 12: L.RIGHT_HIP,
    13: L.LEFT_KNEE, 14: L.RIGHT_KNEE, 15: L.LEFT_ANKLE, 16: L.RIGHT_ANKLE,
}  # fmt: skip
BODY25_TO_BLAZE = {
    0: L.NOSE, 2: L.RIGHT_SHOULDER, 3: L.RIGHT_ELBOW, 4: L.RIGHT_WRIST,
    5: L.LEFT_SHOULDER, 6: L.LEFT_ELBOW, 7: L.LEFT_WRIST, 9: L.RIGHT_HIP, 10: L.RIGHT_KNEE,
    11: L.RIGHT_ANKLE, 12: L.LEFT_HIP, 13: L.LEFT_KNEE, 14: L.LEFT_ANKLE, 15: L.RIGHT_EYE,
    16: L.LEFT_EYE, 17: L.RIGHT_EAR, 18: L.LEFT_EAR, 19: L.LEFT_FOOT_INDEX, 21: L.LEFT_HEEL,
    22: L.RIGHT_FOOT_INDEX, 24: L.RIGHT_HEEL,
}  # fmt: skip
COCO18_TO_BLAZE = {
    0: L.NOSE, 2: L.RIGHT_SHOULDER, 3: L.RIGHT_ELBOW, 4: L.RIGHT_WRIST,
    5: L.LEFT_SHOULDER, 6: L.LEFT_ELBOW, 7: L.LEFT_WRIST, 8: L.RIGHT_HIP, 9: L.RIGHT_KNEE,
    10: L.RIGHT_ANKLE, 11: L.LEFT_HIP, 12: L.LEFT_KNEE, 13: L.LEFT_ANKLE, 14: L.RIGHT_EYE,
    15: L.LEFT_EYE, 16: L.RIGHT_EAR, 17: L.LEFT_EAR,
}  # fmt: skip
SETS = {
    "coco17": (17, COCO17_TO_BLAZE),
    "body25": (25, BODY25_TO_BLAZE),
    "coco18": (18, COCO18_TO_BLAZE),
}


# ----------------------------------------------------------------------------------------------
# The known pose


def known_pixels(n: int = N_FRAMES) -> FloatArray:
    """(n, 33, 3) pixels: landmark j of frame t at (20 + 14j + 4t, 10 + 7j + 2t), z = -(j + t)."""
    t = np.arange(n, dtype=np.float64)[:, None]
    j = np.arange(33, dtype=np.float64)[None, :]
    return np.stack([20 + 14 * j + 4 * t, 10 + 7 * j + 2 * t, -(j + t)], axis=-1)


def known_visibility(n: int = N_FRAMES) -> FloatArray:
    """(n, 33) visibilities (j + 1 + t) / 64, exact in binary and inside (0, 1)."""
    t = np.arange(n, dtype=np.float64)[:, None]
    j = np.arange(33, dtype=np.float64)[None, :]
    return (j + 1 + t) / 64


def with_missing(pix: FloatArray, vis: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The known pose with the MISSING joint removed (NaN coordinates, confidence 0)."""
    pix, vis = pix.copy(), vis.copy()
    pix[MISSING] = np.nan
    vis[MISSING] = 0.0
    return pix, vis


def normalized(pix: FloatArray) -> FloatArray:
    return pix / np.array([W, H, W])


def num(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def cell(value: float) -> str:
    return "" if math.isnan(value) else repr(float(value))


# ----------------------------------------------------------------------------------------------
# MediaPipe writers: (folder, coords (T, 33, 3) with NaN for missing, visibility (T, 33)) -> file


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def mp_csv_indexed(d: Path, xyz: FloatArray, vis: FloatArray) -> Path:
    header = [f"{f}{j}" for j in range(33) for f in ("x", "y", "z", "visibility")]
    rows = [
        [
            cell(v)
            for j in range(33)
            for v in (*xyz[t, j], vis[t, j] if np.isfinite(xyz[t, j, 0]) else np.nan)
        ]
        for t in range(len(xyz))
    ]
    return write_csv(d / "mp_indexed.csv", header, rows)


def mp_csv_named(d: Path, xyz: FloatArray, vis: FloatArray) -> Path:
    header = ["frame"] + [f"{n}_{f}" for n in NAMES for f in ("x", "y", "z", "visibility")]
    rows = [
        [str(t)] + [cell(v) for j in range(33) for v in (*xyz[t, j], vis[t, j])]
        for t in range(len(xyz))
    ]
    return write_csv(d / "mp_named.csv", header, rows)


def mp_csv_long(d: Path, xyz: FloatArray, vis: FloatArray, names: bool = False) -> Path:
    rows = [
        [str(t), NAMES[j] if names else str(j), *map(cell, xyz[t, j]), cell(vis[t, j])]
        for t in range(len(xyz))
        for j in range(33)
        if np.isfinite(xyz[t, j, 0])
    ]
    return write_csv(d / "mp_long.csv", ["frame", "landmark", "x", "y", "z", "visibility"], rows)


def mp_csv_long_names(d: Path, xyz: FloatArray, vis: FloatArray) -> Path:
    return mp_csv_long(d, xyz, vis, names=True)


def landmark_dicts(xyz: FloatArray, vis: FloatArray) -> list[dict[str, float | None]]:
    return [
        {"x": num(p[0]), "y": num(p[1]), "z": num(p[2]), "visibility": float(v)}
        for p, v in zip(xyz, vis, strict=True)
    ]


def mp_json_list(d: Path, xyz: FloatArray, vis: FloatArray) -> Path:
    path = d / "mp_list.json"
    path.write_text(json.dumps([landmark_dicts(xyz[t], vis[t]) for t in range(len(xyz))]))
    return path


def mp_json_frames(d: Path, xyz: FloatArray, vis: FloatArray) -> Path:
    path = d / "mp_frames.json"
    frames = [{"landmarks": landmark_dicts(xyz[t], vis[t])} for t in range(len(xyz))]
    path.write_text(json.dumps({"frames": frames}))
    return path


def mp_npy4(d: Path, xyz: FloatArray, vis: FloatArray) -> Path:
    np.save(d / "mp4.npy", np.concatenate([xyz, vis[..., None]], axis=-1))
    return d / "mp4.npy"


def mp_npy5(d: Path, xyz: FloatArray, vis: FloatArray) -> Path:
    presence = np.full_like(vis, 0.75)
    np.save(d / "mp5.npy", np.concatenate([xyz, vis[..., None], presence[..., None]], axis=-1))
    return d / "mp5.npy"


def mp_npy3(d: Path, xyz: FloatArray, vis: FloatArray) -> Path:
    np.save(d / "mp3.npy", xyz)
    return d / "mp3.npy"


# (writer, layout, coordinates are normalized, the file carries visibility)
MEDIAPIPE_CASES = [
    (mp_csv_indexed, "csv-wide", True, True),
    (mp_csv_named, "csv-wide", True, True),
    (mp_csv_long, "csv-long", True, True),
    (mp_csv_long_names, "csv-long", False, True),
    (mp_json_list, "json", True, True),
    (mp_json_frames, "json", False, True),
    (mp_npy4, "npy", True, True),
    (mp_npy5, "npy", False, True),
    (mp_npy3, "npy", False, False),
]
MEDIAPIPE_IDS = [c[0].__name__ + ("-norm" if c[2] else "-px") for c in MEDIAPIPE_CASES]
Writer = Callable[[Path, FloatArray, FloatArray], Path]


@pytest.mark.parametrize(
    ("writer", "layout", "is_normalized", "has_vis"), MEDIAPIPE_CASES, ids=MEDIAPIPE_IDS
)
def test_mediapipe_layouts_import_the_known_pose_exactly(
    tmp_path: Path, writer: Writer, layout: str, is_normalized: bool, has_vis: bool
) -> None:
    pix, vis = with_missing(known_pixels(), known_visibility())
    path = writer(tmp_path, normalized(pix) if is_normalized else pix, vis)

    track = import_keypoints(path, width=W, height=H)

    expected_conf = vis if has_vis else np.where(np.isfinite(pix[:, :, 0]), 1.0, 0.0)
    np.testing.assert_array_equal(track.image, pix)
    np.testing.assert_array_equal(track.confidence, expected_conf)
    np.testing.assert_array_equal(track.t_s, np.arange(N_FRAMES) / FPS)
    assert (track.width, track.height, track.fps) == (W, H, FPS)
    assert track.world is None
    assert track.backend == "import:mediapipe"
    assert track.source == str(path)
    assert track.meta["import_layout"] == layout
    assert track.meta["coordinates"] == ("normalized" if is_normalized else "pixels")
    assert track.meta["size_inferred"] is False


@pytest.mark.parametrize(
    ("writer", "layout", "is_normalized", "has_vis"), MEDIAPIPE_CASES, ids=MEDIAPIPE_IDS
)
def test_imported_tracks_survive_save_and_load(
    tmp_path: Path, writer: Writer, layout: str, is_normalized: bool, has_vis: bool
) -> None:
    pix, vis = with_missing(known_pixels(), known_visibility())
    track = import_keypoints(
        writer(tmp_path, normalized(pix) if is_normalized else pix, vis), width=W, height=H
    )

    save_track(track, tmp_path / "track.npz")
    loaded = load_track(tmp_path / "track.npz")

    assert_same_track(loaded, track)


def assert_same_track(a: PoseTrack, b: PoseTrack) -> None:
    np.testing.assert_array_equal(a.image, b.image)
    np.testing.assert_array_equal(a.confidence, b.confidence)
    np.testing.assert_array_equal(a.t_s, b.t_s)
    assert (a.world is None) == (b.world is None)
    if a.world is not None and b.world is not None:
        np.testing.assert_array_equal(a.world, b.world)
    assert (a.width, a.height, a.fps, a.source, a.backend, a.meta) == (
        b.width, b.height, b.fps, b.source, b.backend, b.meta,
    )  # fmt: skip


def test_visibility_less_file_warns_that_confidence_is_assumed(tmp_path: Path) -> None:
    track = import_keypoints(mp_npy3(tmp_path, known_pixels(), known_visibility()))

    assert (
        "The file has no confidence values: present joints get confidence 1."
        in track.meta["warnings"]
    )


def test_mediapipe_json_world_landmarks_are_kept_in_metres(tmp_path: Path) -> None:
    pix, vis = known_pixels(2), known_visibility(2)
    world = np.arange(2 * 33 * 3, dtype=np.float64).reshape(2, 33, 3) / 128
    frames = [
        {
            "landmarks": landmark_dicts(normalized(pix)[t], vis[t]),
            "world_landmarks": [{"x": p[0], "y": p[1], "z": p[2]} for p in world[t].tolist()],
        }
        for t in range(2)
    ]
    path = tmp_path / "world.json"
    path.write_text(json.dumps({"frames": frames}))

    track = import_keypoints(path, width=W, height=H)

    assert track.world is not None
    np.testing.assert_array_equal(track.world, world)
    np.testing.assert_array_equal(track.image, pix)


@pytest.mark.parametrize(
    ("extra_header", "values", "expected_t_s"),
    [
        ("frame", ["3", "4", "6"], [0.1, 4 / 30, 0.2]),
        ("t_s", ["0.5", "0.625", "0.75"], [0.5, 0.625, 0.75]),
        ("timestamp_ms", ["0", "40", "80"], [0.0, 0.04, 0.08]),
    ],
)
def test_csv_time_columns_give_the_timestamps(
    tmp_path: Path, extra_header: str, values: list[str], expected_t_s: list[float]
) -> None:
    xyz = normalized(known_pixels(3))
    header = [extra_header] + [f"{f}{j}" for j in range(33) for f in ("x", "y")]
    rows = [[values[t]] + [cell(v) for j in range(33) for v in xyz[t, j, :2]] for t in range(3)]

    track = import_keypoints(write_csv(tmp_path / "t.csv", header, rows), width=W, height=H)

    np.testing.assert_allclose(track.t_s, expected_t_s, rtol=0, atol=1e-12)


def test_fps_argument_spaces_the_frames(tmp_path: Path) -> None:
    track = import_keypoints(mp_npy4(tmp_path, known_pixels(), known_visibility()), fps=25.0)

    np.testing.assert_array_equal(track.t_s, np.arange(N_FRAMES) / 25.0)
    assert track.fps == 25.0


# ----------------------------------------------------------------------------------------------
# Units: normalized vs pixels, frame size


@pytest.mark.parametrize(
    ("largest", "expected"),
    [
        (1.0, "normalized"),
        (1.5, "normalized"),
        (-1.5, "normalized"),
        (1.6, "pixels"),
        (300.0, "pixels"),
    ],
)
def test_coordinates_up_to_1_5_are_normalized_and_larger_ones_pixels(
    tmp_path: Path, largest: float, expected: str
) -> None:
    xyz = np.full((2, 33, 3), 0.5)
    xyz[1, 0, 0] = largest
    np.save(tmp_path / "k.npy", xyz)

    track = import_keypoints(tmp_path / "k.npy", width=W, height=H)

    assert track.meta["coordinates"] == expected
    assert track.image[1, 0, 0] == (largest * W if expected == "normalized" else largest)


@pytest.mark.parametrize(
    ("kwargs", "expected_size", "inferred"),
    [
        ({}, (481, 241), True),  # ceil of max x = 480.5, max y = 240.25
        ({"width": 640}, (640, 241), True),
        ({"width": 640, "height": 360}, (640, 360), False),
    ],
)
def test_pixel_sources_infer_the_smallest_enclosing_frame_size(
    tmp_path: Path, kwargs: dict[str, int], expected_size: tuple[int, int], inferred: bool
) -> None:
    pix = known_pixels()
    pix[3, 32, :2] = (480.5, 240.25)
    track = import_keypoints(mp_npy4(tmp_path, pix, known_visibility()), **kwargs)

    assert (track.width, track.height) == expected_size
    assert track.meta["size_inferred"] is inferred
    assert any("inferred" in w for w in track.meta["warnings"]) is inferred


# ----------------------------------------------------------------------------------------------
# OpenPose


def openpose_flat(
    n_keypoints: int, mapping: dict[int, L], pix: FloatArray, conf: FloatArray
) -> list[float]:
    """[x, y, c] * n_keypoints for one frame of the known pose; unmapped points sit at (1, 1)."""
    flat: list[float] = []
    for i in range(n_keypoints):
        j = mapping.get(i)
        flat += (
            [1.0, 1.0, 0.5] if j is None else [float(pix[j, 0]), float(pix[j, 1]), float(conf[j])]
        )
    return flat


def openpose_frame(people: list[list[float]]) -> dict[str, Any]:
    return {"version": 1.3, "people": [{"person_id": [-1], "pose_keypoints_2d": p} for p in people]}


def write_openpose_folder(
    d: Path, frames: list[dict[str, Any]], names: list[str] | None = None
) -> Path:
    d.mkdir()
    for i, frame in enumerate(frames):
        name = names[i] if names else f"clip_{i:012d}_keypoints.json"
        (d / name).write_text(json.dumps(frame))
    return d


@pytest.mark.parametrize("set_name", ["body25", "coco18"])
def test_openpose_folder_maps_onto_blazepose_with_missing_and_empty_frames(
    tmp_path: Path, set_name: str
) -> None:
    n_keypoints, mapping = SETS[set_name]
    pix, conf = known_pixels(), known_visibility()
    flats = [openpose_flat(n_keypoints, mapping, pix[t], conf[t]) for t in range(N_FRAMES)]
    right_ankle = next(i for i, j in mapping.items() if j == L.RIGHT_ANKLE)
    flats[1][3 * right_ankle : 3 * right_ankle + 3] = [0.0, 0.0, 0.0]  # OpenPose's "not found"
    frames = [openpose_frame([f]) for f in flats]
    frames[2] = openpose_frame([])  # nobody in frame 2

    track = import_openpose_folder(
        write_openpose_folder(tmp_path / "op", frames), width=W, height=H
    )

    mapped = sorted(int(j) for j in mapping.values())
    expected = np.full((N_FRAMES, 33, 3), np.nan)
    expected[:, mapped, :2] = pix[:, mapped, :2]
    expected_conf = np.zeros((N_FRAMES, 33))
    expected_conf[:, mapped] = conf[:, mapped]
    expected[1, L.RIGHT_ANKLE], expected_conf[1, L.RIGHT_ANKLE] = np.nan, 0.0
    expected[2], expected_conf[2] = np.nan, 0.0
    np.testing.assert_array_equal(track.image, expected)
    np.testing.assert_array_equal(track.confidence, expected_conf)
    np.testing.assert_array_equal(track.t_s, np.arange(N_FRAMES) / FPS)
    assert track.backend == f"import:openpose-{set_name}"
    assert track.world is None
    assert track.meta["import_layout"] == "openpose-folder"


@pytest.mark.parametrize(
    ("set_name", "index", "landmark"),
    [
        ("body25", 11, L.RIGHT_ANKLE),
        ("body25", 14, L.LEFT_ANKLE),
        ("body25", 2, L.RIGHT_SHOULDER),
        ("body25", 19, L.LEFT_FOOT_INDEX),
        ("body25", 21, L.LEFT_HEEL),
        ("body25", 22, L.RIGHT_FOOT_INDEX),
        ("body25", 24, L.RIGHT_HEEL),
        ("body25", 16, L.LEFT_EYE),
        ("coco18", 10, L.RIGHT_ANKLE),
        ("coco18", 11, L.LEFT_HIP),
        ("coco18", 17, L.LEFT_EAR),
        ("coco17", 15, L.LEFT_ANKLE),
        ("coco17", 6, L.RIGHT_SHOULDER),
        ("coco17", 3, L.LEFT_EAR),
    ],
)
def test_single_keypoint_lands_on_its_blazepose_landmark(
    tmp_path: Path, set_name: str, index: int, landmark: L
) -> None:
    n_keypoints = SETS[set_name][0]
    flat = [0.0] * (3 * n_keypoints)  # everything else missing, as OpenPose writes it
    flat[3 * index : 3 * index + 3] = [123.5, 67.25, 0.875]
    path = tmp_path / "one.json"
    path.write_text(
        json.dumps(openpose_frame([flat]) if set_name != "coco17" else [{"keypoints": flat}])
    )

    track = import_keypoints(path, width=W, height=H)

    assert track.image[0, landmark, :2].tolist() == [123.5, 67.25]
    assert track.confidence[0, landmark] == 0.875
    assert np.isnan(track.image[0, landmark, 2])  # 2-D sources have no depth
    others = np.arange(33) != landmark
    assert np.isnan(track.image[0, others]).all()
    assert (track.confidence[0, others] == 0).all()


@pytest.mark.parametrize(
    ("set_name", "absent"),
    [
        (
            "coco17",
            [
                L.LEFT_HEEL,
                L.RIGHT_HEEL,
                L.LEFT_FOOT_INDEX,
                L.RIGHT_FOOT_INDEX,
                L.MOUTH_LEFT,
                L.LEFT_PINKY,
                L.RIGHT_THUMB,
                L.LEFT_EYE_INNER,
            ],
        ),
        ("body25", [L.MOUTH_LEFT, L.MOUTH_RIGHT, L.LEFT_INDEX, L.RIGHT_PINKY, L.RIGHT_EYE_OUTER]),
        ("coco18", [L.LEFT_HEEL, L.RIGHT_FOOT_INDEX, L.MOUTH_RIGHT, L.LEFT_THUMB]),
    ],
)
def test_landmarks_a_keypoint_set_lacks_are_missing(
    tmp_path: Path, set_name: str, absent: list[L]
) -> None:
    n_keypoints, mapping = SETS[set_name]
    flat = openpose_flat(n_keypoints, mapping, known_pixels(1)[0], known_visibility(1)[0])
    np.save(tmp_path / "k.npy", np.array(flat).reshape(1, n_keypoints, 3))

    track = import_keypoints(tmp_path / "k.npy", width=W, height=H)

    assert np.isnan(track.image[0, absent]).all()
    assert (track.confidence[0, absent] == 0).all()
    assert np.isfinite(track.image[0, [int(j) for j in mapping.values()], :2]).all()


def test_openpose_folder_is_ordered_by_frame_number_and_timed_by_it(tmp_path: Path) -> None:
    pix, conf = known_pixels(3), known_visibility(3)
    frames = [
        openpose_frame([openpose_flat(25, BODY25_TO_BLAZE, pix[t], conf[t])]) for t in range(3)
    ]
    names = ["run_2_keypoints.json", "run_10_keypoints.json", "run_9_keypoints.json"]

    track = import_openpose_folder(
        write_openpose_folder(tmp_path / "op", frames, names), width=W, height=H
    )

    np.testing.assert_array_equal(track.t_s, np.array([2, 9, 10]) / FPS)
    # frame 9 is the file written third (pose t=2), frame 10 the second (t=1)
    np.testing.assert_array_equal(track.image[:, L.NOSE, :2], pix[[0, 2, 1], L.NOSE, :2])


def test_openpose_picks_the_person_closest_to_the_previous_pick_and_warns(tmp_path: Path) -> None:
    pix, conf = known_pixels(), known_visibility()
    ones = np.ones(33)
    decoy = [
        openpose_flat(25, BODY25_TO_BLAZE, pix[t] + [300.0, 5.0, 0.0], ones)
        for t in range(N_FRAMES)
    ]
    real = [openpose_flat(25, BODY25_TO_BLAZE, pix[t], conf[t]) for t in range(N_FRAMES)]
    frames = [
        openpose_frame([real[0]]),
        openpose_frame([decoy[1], real[1]]),  # the decoy comes first and is more confident
        openpose_frame([]),
        openpose_frame([decoy[3], real[3]]),  # after an empty frame: closest to frame 1's pick
    ]

    track = import_openpose_folder(
        write_openpose_folder(tmp_path / "op", frames), width=W, height=H
    )

    np.testing.assert_array_equal(track.image[[0, 1, 3], L.NOSE, :2], pix[[0, 1, 3], L.NOSE, :2])
    assert track.meta["warnings"] == [
        "2 frame(s) had more than one person (first at frame index 1); "
        "kept the person closest to the previous frame's choice."
    ]


@pytest.mark.parametrize("strong_first", [True, False])
def test_first_frame_with_several_people_keeps_the_most_confident(
    tmp_path: Path, strong_first: bool
) -> None:
    pix = known_pixels(1)[0]
    faint = openpose_flat(25, BODY25_TO_BLAZE, pix + np.array([200.0, 0, 0]), np.full(33, 0.25))
    strong = openpose_flat(25, BODY25_TO_BLAZE, pix, np.full(33, 0.75))
    path = tmp_path / "frame_keypoints.json"
    people = [strong, faint] if strong_first else [faint, strong]
    path.write_text(json.dumps(openpose_frame(people)))

    track = import_keypoints(path, width=W, height=H)

    assert track.image[0, L.NOSE, 0] == pix[L.NOSE, 0]
    assert track.n_frames == 1


def test_load_any_routes_keypoint_files_and_openpose_folders_to_the_importers(
    tmp_path: Path,
) -> None:
    pix, conf = known_pixels(), known_visibility()
    folder = write_openpose_folder(
        tmp_path / "op",
        [openpose_frame([openpose_flat(25, BODY25_TO_BLAZE, pix[t], conf[t])]) for t in range(2)],
    )
    npy = mp_npy4(tmp_path, pix, conf)

    assert load_any(str(folder)).backend == "import:openpose-body25"
    assert load_any(str(npy)).backend == "import:mediapipe"


# ----------------------------------------------------------------------------------------------
# COCO-17 (YOLO-pose, RTMPose, MMPose)


def coco_points(n: int = N_FRAMES) -> tuple[FloatArray, FloatArray]:
    """(n, 17, 2) pixels and (n, 17) scores of the known pose in COCO-17 order."""
    idx = [int(COCO17_TO_BLAZE[i]) for i in range(17)]
    return known_pixels(n)[:, idx, :2], known_visibility(n)[:, idx]


def coco_npy3(d: Path, xy: FloatArray, score: FloatArray) -> Path:
    np.save(d / "coco3.npy", np.concatenate([xy, score[..., None]], axis=-1))
    return d / "coco3.npy"


def coco_npy2(d: Path, xy: FloatArray, score: FloatArray) -> Path:
    np.save(d / "coco2.npy", xy)
    return d / "coco2.npy"


def coco_json_flat(d: Path, xy: FloatArray, score: FloatArray) -> Path:
    frames = [
        {"keypoints": np.concatenate([xy[t], score[t][:, None]], axis=1).ravel().tolist()}
        for t in range(len(xy))
    ]
    (d / "yolo.json").write_text(json.dumps(frames))
    return d / "yolo.json"


def coco_json_mmpose(d: Path, xy: FloatArray, score: FloatArray) -> Path:
    frames = [
        {
            "frame_id": t,
            "instances": [{"keypoints": xy[t].tolist(), "keypoint_scores": score[t].tolist()}],
        }
        for t in range(len(xy))
    ]
    (d / "mmpose.json").write_text(json.dumps(frames))
    return d / "mmpose.json"


def coco_json_mmpose_instance_info(d: Path, xy: FloatArray, score: FloatArray) -> Path:
    frames = [
        {
            "frame_id": t + 1,
            "instances": [{"keypoints": xy[t].tolist(), "keypoint_scores": score[t].tolist()}],
        }
        for t in range(len(xy))
    ]
    (d / "mmpose_info.json").write_text(json.dumps({"meta_info": {}, "instance_info": frames}))
    return d / "mmpose_info.json"


def coco_json_ultralytics(d: Path, xy: FloatArray, score: FloatArray) -> Path:
    frames = [
        [
            {
                "name": "person",
                "keypoints": {
                    "x": xy[t, :, 0].tolist(),
                    "y": xy[t, :, 1].tolist(),
                    "visible": score[t].tolist(),
                },
            }
        ]
        for t in range(len(xy))
    ]
    (d / "ultralytics.json").write_text(json.dumps(frames))
    return d / "ultralytics.json"


COCO_CASES = [
    (coco_npy3, "npy", True),
    (coco_npy2, "npy", False),
    (coco_json_flat, "json", True),
    (coco_json_mmpose, "json", True),
    (coco_json_mmpose_instance_info, "json", True),
    (coco_json_ultralytics, "json", True),
]


@pytest.mark.parametrize(
    ("writer", "layout", "has_scores"), COCO_CASES, ids=[c[0].__name__ for c in COCO_CASES]
)
def test_coco17_layouts_import_the_known_pose_exactly(
    tmp_path: Path, writer: Writer, layout: str, has_scores: bool
) -> None:
    xy, score = coco_points()
    xy[MISSING[0], 9] = 0.0  # COCO 9 = left wrist, written as (0, 0): missing
    path = writer(tmp_path, xy, score)

    track = import_keypoints(path, width=W, height=H)

    pix, vis = with_missing(known_pixels(), known_visibility())
    coco = sorted(int(j) for j in COCO17_TO_BLAZE.values())
    expected = np.full((N_FRAMES, 33, 3), np.nan)
    expected[:, coco, :2] = pix[:, coco, :2]
    expected_conf = np.zeros((N_FRAMES, 33))
    expected_conf[:, coco] = vis[:, coco] if has_scores else np.isfinite(pix[:, coco, 0])
    np.testing.assert_array_equal(track.image, expected)
    np.testing.assert_array_equal(track.confidence, expected_conf)
    np.testing.assert_array_equal(track.t_s, np.arange(N_FRAMES) / FPS)
    assert track.backend == "import:coco17"
    assert track.meta["import_layout"] == layout

    save_track(track, tmp_path / "track.npz")
    assert_same_track(load_track(tmp_path / "track.npz"), track)


def test_zero_score_coco_joint_is_missing_even_with_coordinates(tmp_path: Path) -> None:
    xy, score = coco_points(2)
    score[0, 13] = 0.0  # COCO 13 = left knee
    track = import_keypoints(coco_npy3(tmp_path, xy, score), width=W, height=H)

    assert np.isnan(track.image[0, L.LEFT_KNEE]).all()
    assert track.confidence[0, L.LEFT_KNEE] == 0.0
    assert track.confidence[1, L.LEFT_KNEE] == score[1, 13]


def test_scores_above_one_are_clipped_with_a_warning(tmp_path: Path) -> None:
    xy, score = coco_points(2)
    score[1, 0] = 3.5
    track = import_keypoints(coco_npy3(tmp_path, xy, score), width=W, height=H)

    assert track.confidence[1, L.NOSE] == 1.0
    assert "Some keypoint scores were outside [0, 1] and were clipped." in track.meta["warnings"]


# ----------------------------------------------------------------------------------------------
# Errors


def npy_file(array: Any) -> Callable[[Path], Path]:
    def write(d: Path) -> Path:
        np.save(d / "bad.npy", array)
        return d / "bad.npy"

    return write


def text_file(name: str, text: str) -> Callable[[Path], Path]:
    def write(d: Path) -> Path:
        (d / name).write_text(text)
        return d / name

    return write


def json_file(doc: Any) -> Callable[[Path], Path]:
    return text_file("bad.json", json.dumps(doc))


def normalized_npy(d: Path) -> Path:
    return mp_npy4(d, normalized(known_pixels()), known_visibility())


def empty_folder(d: Path) -> Path:
    (d / "empty").mkdir()
    return d / "empty"


def openpose_nobody(d: Path) -> Path:
    return write_openpose_folder(d / "op", [openpose_frame([]), openpose_frame([])])


def mixed_sets(d: Path) -> Path:
    return json_file([{"keypoints": [5.0] * 51}, {"keypoints": [5.0] * 75}])(d)


def binary_file(d: Path) -> Path:
    (d / "junk.npy").write_bytes(b"\xff\xfe\x00\x81garbage")
    return d / "junk.npy"


MP_LANDMARK = {"x": 0.5, "y": 0.5, "z": 0.0, "visibility": 0.9}
SIXTEEN_SCORES = {"keypoints": [[5.0, 5.0]] * 17, "keypoint_scores": [1.0] * 16}
ERROR_CASES: list[tuple[str, Callable[[Path], Path], dict[str, Any], type[HamCoachError], str]] = [
    ("npy-20-keypoints", npy_file(np.ones((5, 20, 3))), {}, TrackFormatError,
     "keypoints of shape (5, 20, 3) are not a known layout; expected 33 MediaPipe landmarks"),
    ("npy-coco-4-values", npy_file(np.ones((5, 17, 4))), {}, TrackFormatError,
     "keypoints of shape (5, 17, 4) are not a known layout"),
    ("npy-2d", npy_file(np.ones((5, 51))), {}, TrackFormatError,
     "expected a numeric array of shape (frames, keypoints, values)"),
    ("npy-objects", npy_file(np.array([{"a": 1}], dtype=object)), {}, TrackFormatError,
     "Cannot read bad.npy as a numeric NPY array"),
    ("json-unknown-object", json_file({"foo": 1}), {}, TrackFormatError,
     "bad.json: unrecognised JSON structure {'foo': 1}; expected a list of frames"),
    ("json-unknown-frame", json_file([{"bar": []}]), {}, TrackFormatError,
     "bad.json frame 0: unrecognised JSON structure"),
    ("json-scalar", json_file(42), {}, TrackFormatError, "unrecognised JSON structure 42"),
    ("json-52-numbers", json_file([{"keypoints": [1.0] * 52}]), {}, TrackFormatError,
     "a flat list of 52 numbers is not a known layout"),
    ("json-strings", json_file([{"keypoints": ["a", "b"]}]), {}, TrackFormatError,
     "bad.json frame 0: expected numbers"),
    ("json-32-landmarks", json_file([MP_LANDMARK] * 32), {}, TrackFormatError,
     "expected 33 MediaPipe landmarks as {x, y, z, visibility} objects, got 32"),
    ("json-score-count", json_file([{"instances": [SIXTEEN_SCORES]}]), {}, TrackFormatError,
     "16 keypoint scores for 17 keypoints"),
    ("json-invalid", text_file("bad.json", "[{"), {}, TrackFormatError,
     "bad.json is not valid JSON"),
    ("json-mixed-sets", mixed_sets, {}, TrackFormatError,
     "mixes keypoint sets (coco17 and openpose-body25)"),
    ("normalized-no-size", normalized_npy, {}, TrackFormatError,
     "has normalized coordinates (0-1) but the frame size is unknown: pass --width and --height"),
    ("normalized-width-only", normalized_npy, {"width": W}, TrackFormatError,
     "pass --width and --height in pixels"),
    ("all-missing", npy_file(np.full((3, 17, 3), np.nan)), {}, TrackFormatError,
     "bad.npy contains no keypoints: every joint of every frame is missing"),
    ("empty-folder", empty_folder, {}, InputNotFoundError, "No OpenPose *_keypoints.json files in"),
    ("openpose-nobody", openpose_nobody, {}, TrackFormatError, "no person in any of its 2 frames"),
    ("missing-file", lambda d: d / "nope.csv", {}, InputNotFoundError, "Keypoint file not found"),
    ("binary", binary_file, {}, TrackFormatError,
     "junk.npy is neither an NPY array nor UTF-8 text"),
    ("csv-no-landmarks", text_file("bad.csv", "a,b\n1,2\n"), {}, TrackFormatError,
     "bad.csv: no landmark columns found in the header 'a,b'"),
    ("csv-header-only", text_file("bad.csv", "x0,y0\n"), {}, TrackFormatError,
     "expected a CSV header row and at least one data row"),
    ("csv-not-a-number", text_file("bad.csv", "x0,y0\n0.5,abc\n"), {"width": W, "height": H},
     TrackFormatError, "bad.csv: row 2, column 'y0': 'abc' is not a number"),
    ("csv-long-bad-landmark", text_file("bad.csv", "frame,landmark,x,y\n0,elbow,0.5,0.5\n"), {},
     TrackFormatError, "row 2: landmark 'elbow' is not a BlazePose index 0-32 or name"),
    ("csv-long-no-frame", text_file("bad.csv", "landmark,x,y\n0,0.5,0.5\n"), {}, TrackFormatError,
     "needs a 'frame' column"),
    ("csv-repeated-frame", text_file("bad.csv", "frame,x0,y0\n3,0.5,0.5\n3,0.5,0.5\n"),
     {"width": W, "height": H}, TrackFormatError,
     "frame times must increase, but frame 1 is at 0.1 s after 0.1 s"),
    ("csv-empty-time", text_file("bad.csv", "t_s,x0,y0\n0.1,0.5,0.5\n,0.5,0.5\n"),
     {"width": W, "height": H}, TrackFormatError, "frame 1 has no time or frame number"),
    ("zero-fps", normalized_npy, {"fps": 0.0}, TrackFormatError,
     "frame rate must be a positive number of frames per second, got 0.0"),
    ("negative-width", normalized_npy, {"width": -1, "height": H}, TrackFormatError,
     "frame width must be a positive number of pixels, got -1"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("make", "kwargs", "error", "message"),
    [c[1:] for c in ERROR_CASES],
    ids=[c[0] for c in ERROR_CASES],
)
def test_bad_inputs_raise_a_typed_error_saying_what_was_expected(
    tmp_path: Path,
    make: Callable[[Path], Path],
    kwargs: dict[str, Any],
    error: type[HamCoachError],
    message: str,
) -> None:
    path = make(tmp_path)

    with pytest.raises(error) as info:
        import_keypoints(path, **kwargs)

    assert type(info.value) is error
    assert message in str(info.value)
    assert info.value.hint


def test_missing_openpose_folder_is_input_not_found(tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError, match="OpenPose folder not found"):
        import_openpose_folder(tmp_path / "absent")
