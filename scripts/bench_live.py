"""Live coaching latency and throughput (issue 8). Prints a Markdown table.

    .venv/bin/python scripts/bench_live.py                 # everything (~2 minutes)
    .venv/bin/python scripts/bench_live.py --no-browser    # engine and WebSocket only

Measured:
- engine: a synthetic S2 squat set streamed through LiveSession in this process, at 30 and at
  10 frames/s: frames/s, and the cue delay after each rep's end = stream time from the rep's end
  to the frame that closed it + the time to process that frame;
- WebSocket: the same set sent in real time to the live server on localhost (uvicorn), the delay
  from sending the closing frame to receiving its rep (and cue) event, plus the stream-time part;
- desktop: ``hamcoach live --video`` on a real clip (Python BlazePose full + engine), frames/s;
- browser: headless Chromium (no GPU: MediaPipe's WebGL runs on SwiftShader) with the real clip
  as the fake webcam, pose frames/s in the page and the page's own cue delay measurement, for
  the lite model on a 256 px input and for the full model.

Shared machines are noisy: compare rows of one run.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from hamcoach.live.frames import LandmarkFrame, frames_from_track
from hamcoach.live.session import LiveSession
from hamcoach.synth import CameraSpec, NoiseSpec, SetSpec, Tempo, generate_set
from hamcoach.track import PoseTrack

CLIP = "calimiro-ai__WorkoutTracker/data/raw/squats/squat_19.mp4"
CHROMIUM = "/usr/bin/chromium"


def synthetic(
    n_reps: int = 5, seed: int = 3, view: str = "side", tempo: Tempo | None = None
) -> PoseTrack:
    spec = SetSpec(
        stage="S2",
        n_reps=n_reps,
        camera=CameraSpec(view=view),  # type: ignore[arg-type]
        noise=NoiseSpec.level("default"),
        seed=seed,
        tempo=tempo,
    )
    return generate_set(spec).track


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_engine(tracks: list[PoseTrack], step: int) -> dict[str, Any]:
    delays: list[float] = []
    reps = 0
    n = 0
    elapsed = 0.0
    for track in tracks:
        frames = list(frames_from_track(track, step))
        session = LiveSession(stage="S2")
        t0 = time.perf_counter()
        for f in frames:
            a = time.perf_counter()
            events = session.push(f)
            took = time.perf_counter() - a
            for e in events:
                if e["type"] == "rep":
                    reps += 1
                    delays.append((e["emitted_s"] - e["end_s"]) * 1000 + took * 1000)
        elapsed += time.perf_counter() - t0
        n += len(frames)
    return {"fps": n / elapsed, "delays": delays, "reps": reps}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self) -> None:
        import uvicorn

        from hamcoach.live.app import create_live_app

        self.port = _free_port()
        config = uvicorn.Config(
            create_live_app(), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def bench_websocket(port: int, track: PoseTrack) -> dict[str, Any]:
    from websockets.sync.client import connect

    frames: list[LandmarkFrame] = list(frames_from_track(track))
    sent_at: dict[float, float] = {}
    delays: list[float] = []
    cue_delays: list[float] = []
    done = threading.Event()

    with connect(f"ws://127.0.0.1:{port}/live/ws?stage=S2") as ws:

        def reader() -> None:
            last_rep: dict[str, Any] | None = None
            for raw in ws:
                e = json.loads(raw)
                now = time.perf_counter()
                if e["type"] == "rep" and e["frame_t_ms"] in sent_at:
                    last_rep = e
                    rtt = (now - sent_at[e["frame_t_ms"]]) * 1000
                    delays.append((e["emitted_s"] - e["end_s"]) * 1000 + rtt)
                elif e["type"] == "cue" and last_rep is not None:
                    rtt = (now - sent_at[last_rep["frame_t_ms"]]) * 1000
                    cue_delays.append((last_rep["emitted_s"] - last_rep["end_s"]) * 1000 + rtt)
                elif e["type"] == "status" and e["phase"] == "ended":
                    done.set()
                    return

        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        t0 = time.perf_counter()
        first = frames[0].t_ms
        for f in frames:  # real time, as a camera delivers them
            wait = (f.t_ms - first) / 1000 - (time.perf_counter() - t0)
            if wait > 0:
                time.sleep(wait)
            sent_at[f.t_ms] = time.perf_counter()
            ws.send(json.dumps(f.to_json()))
        ws.send(json.dumps({"type": "finish"}))
        done.wait(10)
    return {"delays": delays, "cue_delays": cue_delays, "reps": len(delays)}


def bench_desktop(clip: Path) -> dict[str, Any]:
    from hamcoach.io.video import iter_video_frames
    from hamcoach.live.desktop import run

    session = LiveSession(stage="S2", backend="mediapipe-blazepose-full")
    reps: list[dict[str, Any]] = []
    stats = run(
        iter_video_frames(clip),
        session,
        lambda e: reps.append(e) if e["type"] == "rep" else None,
        window=False,
        mirror=False,
    )
    return {"fps": stats.fps, "engine_ms": stats.engine_s / stats.frames * 1000, "reps": len(reps)}


def bench_browser(port: int, y4m: Path, model: int, side: int, seconds: float) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from hamcoach.live.y4m import fake_camera_args

    args = fake_camera_args(y4m)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=args)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/live/?stage=S2&model={model}&input={side}&speak=0")
        page.wait_for_function("window.hamcoach.frames > 0", timeout=90_000)
        time.sleep(seconds)
        s = page.evaluate(
            "({frames: window.hamcoach.frames, poseMs: window.hamcoach.poseMs,"
            " delays: window.hamcoach.delays, reps: window.hamcoach.reps.length})"
        )
        browser.close()
    pose_ms = s["poseMs"]
    fps = 1000 / statistics.median(pose_ms) if pose_ms else 0.0
    return {"fps": fps, "delays": s["delays"], "reps": s["reps"]}


def row(name: str, fps: float | None, delays: list[float], note: str) -> str:
    d = (
        f"{statistics.median(delays):.1f} / {pct(delays, 0.95):.1f} / {max(delays):.1f}"
        if delays
        else "-"
    )
    f = f"{fps:.0f}" if fps is not None and fps >= 10 else (f"{fps:.1f}" if fps else "-")
    return f"| {name} | {f} | {d} | {note} |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--eval-dir", type=Path, default=Path("../shared/eval"))
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--browser-seconds", type=float, default=20.0)
    a = ap.parse_args()
    tracks = [synthetic(seed=k, view=("side", "front")[k % 2]) for k in range(8)]
    rows = [
        "| path | frames/s | cue delay after rep end, ms (median / p95 / max) | notes |",
        "|---|---|---|---|",
    ]
    for step, label in ((1, "30 fps"), (3, "10 fps")):
        r = bench_engine(tracks, step)
        rows.append(
            row(
                f"engine in-process, 8 synthetic S2 sets (side, front) at {label}",
                r["fps"],
                r["delays"],
                f"{r['reps']}/40 reps",
            )
        )
    with Server() as srv:
        w: dict[str, Any] = {"delays": [], "cue_delays": [], "reps": 0}
        # Two 5-rep sets in real time (~45 s), lowered too fast so that reps get the tempo cue
        # (one cue per 4 s at most, the same cue once per 12 s).
        fast = Tempo(first_s=0.9, hold_s=0.3, second_s=1.0, rest_s=1.0)
        for k in (0, 1):
            one = bench_websocket(srv.port, synthetic(seed=k, view="side", tempo=fast))
            w = {key: w[key] + one[key] for key in w}
        rows.append(
            row(
                "WebSocket localhost, real-time 30 fps stream (rep event)",
                None,
                w["delays"],
                f"{w['reps']}/10 reps",
            )
        )
        rows.append(
            row(
                "WebSocket localhost (cue event)",
                None,
                w["cue_delays"],
                f"{len(w['cue_delays'])} cues",
            )
        )
        clip = a.eval_dir / "clips" / CLIP
        if clip.exists():
            d = bench_desktop(clip)
            rows.append(
                row(
                    "desktop `hamcoach live --video` (Python BlazePose full + engine)",
                    d["fps"],
                    [],
                    f"{d['reps']}/2 reps; engine {d['engine_ms']:.2f} ms/frame",
                )
            )
            if not a.no_browser and Path(CHROMIUM).exists():
                from hamcoach.live.y4m import write_y4m

                with tempfile.TemporaryDirectory() as tmp:
                    y4m = Path(tmp) / "clip.y4m"
                    write_y4m(clip, y4m)
                    for model, side, name in (
                        (0, 256, "lite model, 256 px input"),
                        (1, 0, "full model, 640x360 input"),
                    ):
                        b = bench_browser(srv.port, y4m, model, side, a.browser_seconds)
                        rows.append(
                            row(
                                f"headless Chromium, SwiftShader, {name}",
                                b["fps"],
                                b["delays"],
                                f"{b['reps']} reps in {a.browser_seconds:.0f} s"
                                " (clip loops, 2 per 5.7 s)",
                            )
                        )
    import os

    rows.append(
        f"\n(load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    print("\n".join(rows))


if __name__ == "__main__":
    main()
