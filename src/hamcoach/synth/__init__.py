"""Synthetic pose tracks with ground truth, for every stage of PROGRAM.md (docs/SYNTH.md).

body (anthropometric skeleton) -> motions (exercise kinematics + faults)
  -> camera (projection to MediaPipe-style landmarks) -> noise -> scenario (SetSpec -> set)
"""

from hamcoach.synth.body import BodySpec, Segments
from hamcoach.synth.camera import CameraSpec, ViewName
from hamcoach.synth.motions import Faults
from hamcoach.synth.noise import NoiseSpec
from hamcoach.synth.scenario import (
    STAGES,
    TRUTH_THRESHOLDS,
    RepSpec,
    SetSpec,
    SyntheticSet,
    SynthSpecError,
    Tempo,
    Truth,
    TruthRep,
    demo_squat_set,
    generate_set,
    iter_suite,
    suite,
)

__all__ = [
    "STAGES",
    "TRUTH_THRESHOLDS",
    "BodySpec",
    "CameraSpec",
    "Faults",
    "NoiseSpec",
    "RepSpec",
    "Segments",
    "SetSpec",
    "SynthSpecError",
    "SyntheticSet",
    "Tempo",
    "Truth",
    "TruthRep",
    "ViewName",
    "demo_squat_set",
    "generate_set",
    "iter_suite",
    "suite",
]
