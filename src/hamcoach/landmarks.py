"""The landmark set every track uses: MediaPipe BlazePose's 33 points.

Other keypoint sets (COCO-17, OpenPose BODY_25) are mapped onto it by the importers;
points a source does not have are missing (NaN), never zero.
"""

from __future__ import annotations

from enum import IntEnum


class L(IntEnum):
    """BlazePose landmark indices. Left/right are the performer's own sides."""

    NOSE = 0
    LEFT_EYE_INNER = 1
    LEFT_EYE = 2
    LEFT_EYE_OUTER = 3
    RIGHT_EYE_INNER = 4
    RIGHT_EYE = 5
    RIGHT_EYE_OUTER = 6
    LEFT_EAR = 7
    RIGHT_EAR = 8
    MOUTH_LEFT = 9
    MOUTH_RIGHT = 10
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


N_LANDMARKS = 33
NAMES: tuple[str, ...] = tuple(m.name.lower() for m in L)

# Pairs (left, right) of mirror-image landmarks; used to repair left/right swaps and to mirror.
LEFT_RIGHT_PAIRS: tuple[tuple[int, int], ...] = (
    (L.LEFT_EYE_INNER, L.RIGHT_EYE_INNER),
    (L.LEFT_EYE, L.RIGHT_EYE),
    (L.LEFT_EYE_OUTER, L.RIGHT_EYE_OUTER),
    (L.LEFT_EAR, L.RIGHT_EAR),
    (L.MOUTH_LEFT, L.MOUTH_RIGHT),
    (L.LEFT_SHOULDER, L.RIGHT_SHOULDER),
    (L.LEFT_ELBOW, L.RIGHT_ELBOW),
    (L.LEFT_WRIST, L.RIGHT_WRIST),
    (L.LEFT_PINKY, L.RIGHT_PINKY),
    (L.LEFT_INDEX, L.RIGHT_INDEX),
    (L.LEFT_THUMB, L.RIGHT_THUMB),
    (L.LEFT_HIP, L.RIGHT_HIP),
    (L.LEFT_KNEE, L.RIGHT_KNEE),
    (L.LEFT_ANKLE, L.RIGHT_ANKLE),
    (L.LEFT_HEEL, L.RIGHT_HEEL),
    (L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX),
)


def mirror_permutation() -> list[int]:
    """Index permutation that exchanges every left landmark with its right twin."""
    perm = list(range(N_LANDMARKS))
    for a, b in LEFT_RIGHT_PAIRS:
        perm[a], perm[b] = int(b), int(a)
    return perm


# Skeleton edges for drawing.
EDGES: tuple[tuple[int, int], ...] = (
    (L.LEFT_SHOULDER, L.RIGHT_SHOULDER),
    (L.LEFT_SHOULDER, L.LEFT_ELBOW),
    (L.LEFT_ELBOW, L.LEFT_WRIST),
    (L.RIGHT_SHOULDER, L.RIGHT_ELBOW),
    (L.RIGHT_ELBOW, L.RIGHT_WRIST),
    (L.LEFT_SHOULDER, L.LEFT_HIP),
    (L.RIGHT_SHOULDER, L.RIGHT_HIP),
    (L.LEFT_HIP, L.RIGHT_HIP),
    (L.LEFT_HIP, L.LEFT_KNEE),
    (L.LEFT_KNEE, L.LEFT_ANKLE),
    (L.RIGHT_HIP, L.RIGHT_KNEE),
    (L.RIGHT_KNEE, L.RIGHT_ANKLE),
    (L.LEFT_ANKLE, L.LEFT_HEEL),
    (L.LEFT_HEEL, L.LEFT_FOOT_INDEX),
    (L.LEFT_ANKLE, L.LEFT_FOOT_INDEX),
    (L.RIGHT_ANKLE, L.RIGHT_HEEL),
    (L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX),
    (L.RIGHT_ANKLE, L.RIGHT_FOOT_INDEX),
)
