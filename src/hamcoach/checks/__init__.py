"""Form checks: small registered units, each with a stable id, the views it needs, its threshold
(from :mod:`hamcoach.settings`), its cue, and data-driven tests in tests/checks/.

Importing this package registers every check.
"""

from hamcoach.checks import ball_curl, bridge, single_leg, sldl, squat, tempo
from hamcoach.checks.base import REGISTRY, Check, CheckContext, get_check

__all__ = [
    "REGISTRY",
    "Check",
    "CheckContext",
    "ball_curl",
    "bridge",
    "get_check",
    "single_leg",
    "sldl",
    "squat",
    "tempo",
]
