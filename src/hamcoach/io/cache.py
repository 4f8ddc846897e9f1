"""A local cache of pose tracks, so a slow pose run over a video is done once.

Keyed by the video's content digest and the backend's version and options. Lives in the user's
cache folder (``$HAMCOACH_CACHE`` or ``~/.cache/hamcoach/tracks``); never inside the repository.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from hamcoach.io.mediapipe_pose import PoseOptions, backend_version
from hamcoach.track import PoseTrack, load_track, save_track

CHUNK_BYTES = 1 << 20


def cache_dir() -> Path:
    env = os.environ.get("HAMCOACH_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hamcoach" / "tracks"


def file_digest(path: Path) -> str:
    """SHA-256 of a file's content."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK_BYTES):
            h.update(chunk)
    return h.hexdigest()


def cache_key(path: Path, options: PoseOptions) -> str:
    h = hashlib.sha256()
    h.update(file_digest(path).encode())
    h.update(backend_version().encode())
    h.update(repr(sorted(asdict(options).items())).encode())
    return h.hexdigest()[:32]


def cached_track(
    path: Path, compute: Callable[[], PoseTrack], options: PoseOptions | None = None
) -> PoseTrack:
    """The cached track of ``path``, computing (and storing) it on a miss."""
    options = options or PoseOptions()
    target = cache_dir() / f"{cache_key(path, options)}.npz"
    if target.exists():
        track = load_track(target)
        track.source = str(path)
        return track
    track = compute()
    save_track(track, target)
    return track
