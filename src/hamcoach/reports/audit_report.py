"""The audit report: one self-contained HTML file (inline CSS, images as data URIs, no network)
that reads well on screen, prints with sensible page breaks and exports to PDF.

    analysis --build_report--> ReportData --+--> key-frame pictures (video read once, in order)
                                            +--> traces (matplotlib SVG)
                                            +--> Jinja2 template --> HTML
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from hamcoach.pipeline import Analysis
from hamcoach.reports import drawing, series
from hamcoach.reports.frames import read_frames
from hamcoach.reports.model import KeyFrameRequest, ReportData, build_report
from hamcoach.reports.plots import traces_svg
from hamcoach.reports.wording import check_words

KEY_FRAME_MAX_W = 520
KEY_FRAME_MAX_H = 420


@dataclass(frozen=True)
class KeyFrame:
    request: KeyFrameRequest
    image_uri: str
    from_video: bool


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hamcoach.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["secs"] = lambda v: f"{v:.1f} s"
    env.globals["words"] = check_words
    return env


def render_key_frame(
    analysis: Analysis, request: KeyFrameRequest, picture: drawing.Image | None
) -> KeyFrame:
    """The key frame of one failing finding: the picture (or a plain background), cropped to the
    person, with the skeleton and what the check measured drawn on it."""
    track = analysis.cleaned
    frame = min(max(request.frame, 0), track.n_frames - 1)
    xy = track.image[frame, :, :2]
    conf = track.confidence[frame]
    on_video = picture is not None
    base = picture if picture is not None else drawing.neutral_canvas(track.width, track.height)
    height, width = base.shape[:2]
    box = drawing.crop_box(xy, width, height)
    img, moved = drawing.fit(base, xy, box, KEY_FRAME_MAX_W, KEY_FRAME_MAX_H)
    img = img.copy()
    drawing.draw_skeleton(img, moved, conf, on_video=on_video)
    side = series.measured_side(analysis, request.leg)
    if request.check == "squat.knee_valgus" and request.leg not in ("left", "right"):
        side = series.worse_knee(analysis, frame)
    drawing.draw_check(
        img,
        request.check,
        moved,
        side=side,
        value=request.finding.value,
        facing=analysis.view.facing,
        single_leg=request.leg in ("left", "right"),
    )
    return KeyFrame(request, drawing.png_data_uri(img), on_video)


def key_frames(
    analysis: Analysis, data: ReportData, video_path: Path | None, show_frames: bool
) -> tuple[list[KeyFrame], int]:
    """Every key frame of the report, and how many wanted video frames the file lacked."""
    pictures: dict[int, drawing.Image] = {}
    wanted = {k.frame for k in data.key_frames}
    if show_frames and video_path is not None and wanted:
        pictures = read_frames(video_path, wanted, analysis.track.fps)
    missing = len(wanted - set(pictures)) if show_frames and video_path is not None else 0
    frames = [render_key_frame(analysis, k, pictures.get(k.frame)) for k in data.key_frames]
    return frames, missing


def frames_note(video_path: Path | None, show_frames: bool, missing: int) -> str:
    if video_path is None:
        return (
            "The input was a pose track without video, so the pictures show the tracked "
            "skeleton on a plain background."
        )
    if not show_frames:
        return (
            "Video frames are left out of this report (--no-frames): the pictures show the "
            "tracked skeleton on a plain background, so it can be shared without showing the "
            "person."
        )
    if missing:
        return (
            f"{missing} frame(s) could not be read back from the video; those pictures show "
            "the skeleton on a plain background."
        )
    return "Pictures are frames of the video with the tracked skeleton drawn on them."


def render_audit_report(
    analysis: Analysis, video_path: Path | None, *, show_frames: bool = True
) -> str:
    """The audit report of one set as a self-contained HTML document.

    ``video_path`` is the video (or image folder) the track came from, or None for a track file;
    ``show_frames=False`` draws the skeleton on a plain background instead of video frames.
    """
    data = build_report(analysis.audit, analysis.track.fps)
    frames, missing = key_frames(analysis, data, video_path, show_frames)
    template = environment().get_template("audit.html.j2")
    return template.render(
        d=data,
        a=analysis.audit,
        key_frames=frames,
        frames_note=frames_note(video_path, show_frames, missing),
        show_frames=show_frames and video_path is not None,
        traces_uri=traces_svg(analysis) if analysis.track.n_frames > 1 else "",
        rejected=analysis.rejected,
    )


def write_audit_report(
    analysis: Analysis, video_path: Path | None, out_path: Path, *, show_frames: bool = True
) -> Path:
    """Render the report and write it to ``out_path`` (folders are created)."""
    html = render_audit_report(analysis, video_path, show_frames=show_frames)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(html, encoding="utf-8")
    return out_path
