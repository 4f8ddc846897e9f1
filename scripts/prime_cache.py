"""Run pose estimation once over every clip of ../shared/eval (two processes) to fill the cache."""

from __future__ import annotations

import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from hamcoach.io.cache import cached_track
from hamcoach.io.sources import track_from_video


def one(path: str) -> tuple[str, int, float]:
    t0 = time.perf_counter()
    p = Path(path)
    tr = cached_track(p, lambda: track_from_video(p))
    return p.name, tr.n_frames, time.perf_counter() - t0


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/eval") / "clips"
    files = sorted(str(p) for p in root.rglob("*") if p.is_file())
    with ProcessPoolExecutor(max_workers=2) as ex:
        for name, n, dt in ex.map(one, files):
            print(f"{name:50s} {n:5d} frames {dt:6.1f} s", flush=True)


if __name__ == "__main__":
    main()
