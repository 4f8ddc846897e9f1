"""The analysis pipeline: a pose track in, an audit out.

    track -> clean -> features -> view -> (per frame) progress -> rep engine -> checks -> audit

:class:`SetAnalyzer` is the streaming core (one feature row at a time, bounded memory); the
offline :func:`analyze_track` cleans the whole track with zero-phase filters and then feeds the
very same analyzer frame by frame, so offline and live results can only differ by the filters.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hamcoach import __version__
from hamcoach.audit import Audit, CheckNotRun, Finding, Rep, SourceInfo, ViewInfo, count_reps
from hamcoach.checks import REGISTRY, Check, CheckContext
from hamcoach.checks.base import describe_views
from hamcoach.cleaning import CleaningReport, clean_track
from hamcoach.cuts import CutDetector
from hamcoach.errors import UnrecognisedExerciseError
from hamcoach.exercises import ExerciseSpec, HipFloor, HipLiftSignal, get_exercise, make_signal
from hamcoach.features import INDEX, FeatureWindow, compute_features
from hamcoach.identify import UNKNOWN, Identification, describe, identify, same_movement
from hamcoach.legs import working_leg
from hamcoach.reps import Rejected, RepEngine, RepEvent
from hamcoach.settings import DEFAULT_SETTINGS, RepSettings, Settings
from hamcoach.track import FloatArray, PoseTrack
from hamcoach.views import ViewEstimate, classify_view

# A frame-to-frame change of the leg length by this fraction, or a hip jump of this many leg
# lengths, is not a body moving: it is a camera cut or the tracker jumping to someone else.
# Warn that the movement does not match the requested exercise from this confidence up.
ID_WARN_CONFIDENCE = 0.6


# The floor runs a set keeps between two reps (a bound for endless streams without reps).
MAX_FLOOR_RUNS = 4096
# The hip lifts a ball curl keeps since the last rep began (a bound for endless streams without
# reps: 10 minutes at 60 frames/s), and the window (s) either side of a rep's start or end
# whose median is the hips' level there (a few frames: one jittered frame is no level).
MAX_DROP_FRAMES = 36000
LEVEL_WINDOW_S = 0.1


class FloorRests:
    """The stretches (s) a lying body's hips spent down on the floor (:class:`HipFloor`), for
    bridge.no_rest: resting is lying on the floor, not the time between two reps. A continuous
    bridge's hips hover between reps; a slow pulse too small to start a rep fills the gap
    between two reps with seconds of hovering, which the rep engine's timing alone called
    rest."""

    def __init__(self, settings: RepSettings) -> None:
        self.floor = HipFloor(settings.floor_band_torso, settings.floor_decay_per_s)
        self.runs: deque[tuple[float, float]] = deque(maxlen=MAX_FLOOR_RUNS)
        self._open: float | None = None
        self._last_on = math.nan
        self._previous_end_s: float | None = None

    def prime(self, rows: FloatArray) -> None:
        """Offline: start the floor reference from the whole set's rows (HipFloor.prime)."""
        self.floor.prime(rows)

    def push(self, row: FloatArray) -> None:
        on = self.floor.on_floor(row)
        if on is None:
            return
        t = float(row[INDEX["t_s"]])
        if on:
            if self._open is None:
                self._open = t
            self._last_on = t
        elif self._open is not None:
            self.runs.append((self._open, self._last_on))
            self._open = None

    def longest_s(self, start_s: float, end_s: float) -> float:
        """The longest stretch on the floor (s) within [start_s, end_s]."""
        runs = [*self.runs, *([(self._open, self._last_on)] if self._open is not None else [])]
        return max((max(0.0, min(b, end_s) - max(a, start_s)) for a, b in runs), default=0.0)

    def forget_before(self, t_s: float) -> None:
        while self.runs and self.runs[0][1] < t_s:
            self.runs.popleft()

    def rep_done(self, start_s: float, end_s: float) -> None:
        """A rep was counted: the next rest is timed from its end; older runs are dropped."""
        self._previous_end_s = end_s
        self.forget_before(end_s)

    def rest_s(self, engine_rest_s: float, start_s: float) -> float:
        """The rest before a rep starting at ``start_s``: the rep engine's, no longer than the
        hips lay on the floor since the previous rep ended."""
        if self._previous_end_s is None:
            return engine_rest_s
        return min(engine_rest_s, self.longest_s(self._previous_end_s, start_s))


class HipDrops:
    """How far a lying body's hips came down (trunk lengths, :class:`HipLiftSignal`'s measure)
    between two reps, for a ball curl's bridge.no_rest: resting is the hips down on the floor,
    and a pause with the hips still up on the ball (legs straight, or a slow pulse too small to
    start a rep) is no rest, however long the legs stay still. The floor test of
    :class:`FloorRests` cannot tell: a set whose hips never touch the floor has no floor to
    measure from.

    The hips' level the drop is measured from is the higher of their levels where the previous
    rep started and where it ended (each the median over :data:`LEVEL_WINDOW_S` around it): a
    rep that ends once the hips are already down, or one that started from the floor, still
    leaves the other end up."""

    def __init__(self, settings: RepSettings) -> None:
        self.min_drop_torso = settings.rest_hip_drop_torso
        self.lift = HipLiftSignal()
        self.seen: deque[tuple[float, float]] = deque(maxlen=MAX_DROP_FRAMES)
        self.previous: tuple[float, float] | None = None  # the last rep's start and end (s)

    def prime(self, rows: FloatArray) -> None:
        """Offline: start the trunk-length reference from the whole set's rows."""
        self.lift.prime(rows)

    def push(self, row: FloatArray) -> None:
        lift = self.lift.measure(row)
        if math.isfinite(lift):
            self.seen.append((float(row[INDEX["t_s"]]), lift))

    def rep_done(self, start_s: float, end_s: float) -> None:
        """A rep was counted: the next pause is measured from it; older frames are dropped."""
        self.previous = (start_s, end_s)
        while self.seen and self.seen[0][0] < start_s - LEVEL_WINDOW_S:
            self.seen.popleft()

    def drop_before(self, start_s: float) -> float | None:
        """How far (trunk lengths) the hips came down between the previous rep's end and
        ``start_s`` below their level in that rep (None: no previous rep, or the hips not
        seen)."""
        if self.previous is None:
            return None
        levels = [self._level_at(t) for t in self.previous]
        up = [v for v in levels if v is not None]
        pause = [lift for t, lift in self.seen if self.previous[1] <= t <= start_s]
        if not up or not pause:
            return None
        return max(max(up) - min(pause), 0.0)

    def rest_s(self, engine_rest_s: float, start_s: float) -> float:
        """The rest before a rep starting at ``start_s``: the rep engine's, or none when the
        hips did not come down ``rest_hip_drop_torso`` since the previous rep (unknown drop:
        the rep engine's)."""
        drop = self.drop_before(start_s)
        return 0.0 if drop is not None and drop < self.min_drop_torso else engine_rest_s

    def _level_at(self, t_s: float) -> float | None:
        near = [lift for t, lift in self.seen if abs(t - t_s) <= LEVEL_WINDOW_S]
        return float(np.median(near)) if near else None


def rest_tracker(
    exercise: str, checks: list[Check], settings: RepSettings
) -> FloorRests | HipDrops | None:
    """What times bridge.no_rest's rests when it runs: for bridges the floor runs
    (:class:`FloorRests`), for ball curls the hips' drop (:class:`HipDrops`: on the suite the
    floor test read a curl's true 1.2-2.5 s rests as 0.2-0.9 s, the hips settling while the
    ball rolls); None otherwise."""
    if not any(c.id == "bridge.no_rest" for c in checks):
        return None
    if exercise == "bridge":
        return FloorRests(settings)
    if exercise in ("ball_curl", "single_leg_ball_curl"):
        return HipDrops(settings)
    return None


@dataclass
class SetAnalyzer:
    """Streaming analysis of one set: push feature rows, get :class:`Rep` results as they end."""

    spec: ExerciseSpec
    view: ViewEstimate
    settings: Settings = DEFAULT_SETTINGS
    stage: str | None = None
    warnings: list[str] = field(default_factory=list)
    keep_reps: bool = True  # False for endless streams whose consumer stores each rep itself
    has_world: bool = True  # whether frames carry BlazePose world landmarks

    def __post_init__(self) -> None:
        self.signal = make_signal(self.spec, self.view.view, self.has_world)
        self.engine: RepEngine[FloatArray] = RepEngine(
            self.settings.reps,
            self.signal.min_amplitude,
            self.signal.typical_amplitude,
            self.signal.rest_prior,
        )
        self.engine.range_measure = self.signal.range_measure
        self.reps: list[Rep] = []
        self.rep_count = 0
        self.cuts = CutDetector(self.settings.cuts)
        self.checks = [
            REGISTRY[c]
            for c in self.spec.checks
            if REGISTRY[c].supports_view(self.view.view)
            and REGISTRY[c].applies_to_stage(self.stage)
        ]
        self.rests = rest_tracker(self.spec.id, self.checks, self.settings.reps)

    def push(self, row: FloatArray, frame: int) -> tuple[Rep | None, float]:
        """Consume one frame's feature row. Returns the rep completed here (if any) and the
        frame's progress value."""
        if self.cuts.push(row):
            t = float(row[INDEX["t_s"]])
            self.warnings.append(
                f"The picture jumped at {t:.1f} s (camera cut or another person): "
                "the rep in progress there was not counted."
            )
            self.engine.reset()
        progress = self.signal.update(row)
        if self.rests is not None:
            self.rests.push(row)
        self.engine.configure(
            self.signal.min_amplitude,
            self.signal.typical_amplitude,
            self.signal.rest_prior,
            self.signal.exit_fraction,
            self.signal.min_rep_s,
        )
        event = self.engine.push(
            float(row[INDEX["t_s"]]), frame, progress, row, self.signal.at_rest(row)
        )
        return self._accept(event), progress

    def finish(self) -> Rep | None:
        """End of the set: closes a rep that was already back near rest."""
        return self._accept(self.engine.finish())

    def _accept(self, event: RepEvent[FloatArray] | None) -> Rep | None:
        if event is None:
            return None
        reason = self._not_this_exercise(event)
        if reason:
            self.engine.rejected.append(Rejected(event.start_s, event.end_s, reason))
            return None
        rep = self._judge(event)
        if self.rests is not None:
            self.rests.rep_done(event.start_s, event.end_s)
        self.rep_count += 1
        if self.keep_reps:
            self.reps.append(rep)
        return rep

    def _rest_before_s(self, event: RepEvent[FloatArray]) -> float | None:
        """The rest before the rep (s): the rep engine's time at rest since the previous rep;
        for a bridge's bridge.no_rest no longer than the hips lay on the floor in that time,
        and for a ball curl's none when the hips stayed up (:class:`HipDrops`)."""
        rest = event.rest_before_s
        if rest is None or self.rests is None:
            return rest
        return self.rests.rest_s(rest, event.start_s)

    def _not_this_exercise(self, event: RepEvent[FloatArray]) -> str:
        """Why a movement the rep engine found is not a rep of this exercise ('' when it is):
        a squat whose knees hardly bent (ExerciseSpec.min_turn_knee_flex_deg), a one-leg squat
        whose stance knee hardly bent (min_turn_bent_knee_deg), a hinge whose trunk hardly
        tilted (min_turn_trunk_tilt_deg). Each rule is skipped without world landmarks."""
        spec = self.spec
        if spec.min_turn_knee_flex_deg is not None or spec.min_turn_bent_knee_deg is not None:
            less, more = knee_flexion_at_turn_deg(event)
            if spec.min_turn_knee_flex_deg is not None and less < spec.min_turn_knee_flex_deg:
                return f"the knees hardly bent ({less:.0f} deg at the turning point): not a squat"
            if spec.min_turn_bent_knee_deg is not None and more < spec.min_turn_bent_knee_deg:
                return (
                    f"the knees hardly bent ({more:.0f} deg at the turning point): "
                    "not a one-leg squat"
                )
        if spec.min_turn_trunk_tilt_deg is not None:
            tilt = median_at_turn(event, "trunk_tilt3d")
            if tilt < spec.min_turn_trunk_tilt_deg:
                return f"the trunk hardly tilted ({tilt:.0f} deg at the turning point): no hinge"
        return ""

    def _judge(self, event: RepEvent[FloatArray]) -> Rep:
        window = FeatureWindow(
            rows=np.stack([s.payload for s in event.samples]),
            frames=tuple(s.frame for s in event.samples),
        )
        bottom_index = next(i for i, s in enumerate(event.samples) if s.frame == event.bottom_frame)
        leg = "both"
        stance_label: str | None = None
        if self.spec.single_leg:
            t = window["t_s"]
            near_turn = np.abs(t - event.bottom_s) <= 0.35 * max(event.end_s - event.start_s, 0.1)
            found = working_leg(window, near_turn, self.view, self.spec.working_leg_shows)
            stance_label = found[1] if found else None
            if found is None:
                self.warnings.append(
                    f"Rep {self.rep_count + 1}: the working leg could not be told (feet level or "
                    "hidden); it counts as a rep but not towards either leg's target."
                )
            leg = found[0] if found else "both"
        ctx = CheckContext(
            exercise=self.spec.id,
            stage=self.stage,
            view=self.view,
            window=window,
            bottom_index=bottom_index,
            leg=leg,
            down_s=event.down_s,
            pause_s=event.pause_s,
            up_s=event.up_s,
            thresholds=self.settings.checks,
            rest_before_s=self._rest_before_s(event),
            stance_label=stance_label if self.spec.single_leg else None,
            down_seen_s=event.down_seen_s,
            up_seen_s=event.up_seen_s,
            down_pace_s=event.down_pace_s,
            up_pace_s=event.up_pace_s,
        )
        findings: list[Finding] = [c.evaluate(ctx) for c in self.checks]
        good = all(f.verdict == "pass" for f in findings)
        return Rep(
            index=self.rep_count + 1,
            start_s=round(event.start_s, 3),
            bottom_s=round(event.bottom_s, 3),
            end_s=round(event.end_s, 3),
            leg=leg,
            good=good,
            down_s=round(event.down_s, 3),
            pause_s=round(event.pause_s, 3),
            up_s=round(event.up_s, 3),
            range_fraction=round(event.range_fraction, 3),
            findings=findings,
        )


# Frames either side of the turning point over which the knees' bend is read.
TURN_HALF_WINDOW_FRAMES = 3


def _turn_rows(event: RepEvent[FloatArray]) -> FloatArray:
    """The feature rows of a few frames around a rep's turning point."""
    b = next(i for i, s in enumerate(event.samples) if s.frame == event.bottom_frame)
    turn = event.samples[max(0, b - TURN_HALF_WINDOW_FRAMES) : b + TURN_HALF_WINDOW_FRAMES + 1]
    return np.stack([s.payload for s in turn])


def median_at_turn(event: RepEvent[FloatArray], feature: str) -> float:
    """The median of ``feature`` around a rep's turning point; NaN where it is never seen (so
    any comparison with it is False)."""
    v = _turn_rows(event)[:, INDEX[feature]]
    return float(np.median(v[np.isfinite(v)])) if np.isfinite(v).any() else math.nan


def knee_flexion_at_turn_deg(event: RepEvent[FloatArray]) -> tuple[float, float]:
    """The less and the more bent knee's 3-D flexion (deg) around a rep's turning point (median
    over a few frames); NaN without world landmarks for both knees."""
    medians = [median_at_turn(event, c) for c in ("knee_flex3d_l", "knee_flex3d_r")]
    if not all(math.isfinite(m) for m in medians):
        return math.nan, math.nan
    return min(medians), max(medians)


@dataclass
class Analysis:
    """An audit plus what produced it (for reports, plots and diagnostics)."""

    audit: Audit
    track: PoseTrack
    cleaned: PoseTrack
    features: FloatArray
    progress: FloatArray
    view: ViewEstimate
    cleaning: CleaningReport
    rejected: list[str]


def view_info_of(view: ViewEstimate) -> ViewInfo:
    """The audit's view block for a view estimate."""
    return ViewInfo(
        view=view.view,
        facing=view.facing,
        near_side=view.near_side,
        posture=view.posture,
        confidence=round(view.confidence, 3),
    )


def typical_range(analyzer: SetAnalyzer, rows: FloatArray) -> float:
    """The clip's typical rep range: the spread (5th to 95th percentile) of its progress signal,
    computed on a copy of the analyzer's signal so its state is untouched."""
    import copy

    signal = copy.deepcopy(analyzer.signal)
    values = np.array([signal.update(r) for r in rows])
    values = values[np.isfinite(values)]
    if values.size < 2:
        return float("nan")
    return float(np.percentile(values, 95) - np.percentile(values, 5))


def checks_not_run(
    spec: ExerciseSpec, view: ViewEstimate, stage: str | None = None
) -> list[CheckNotRun]:
    out = []
    for cid in spec.checks:
        check = REGISTRY[cid]
        if not check.applies_to_stage(stage):
            out.append(
                CheckNotRun(
                    check=cid,
                    reason=f"required {check.stage_note}" if check.stage_note else "not required",
                    hint="",
                )
            )
        elif not check.supports_view(view.view):
            out.append(
                CheckNotRun(
                    check=cid,
                    reason=f"needs a {describe_views(check.views)} view; the camera sees a "
                    f"{view.view.replace('_', ' ')} view",
                    hint=check.camera_hint,
                )
            )
    return out


@dataclass(frozen=True)
class Prepared:
    """A track cleaned, measured and placed: what every analysis of it starts from."""

    cleaned: PoseTrack
    report: CleaningReport
    rows: FloatArray
    view: ViewEstimate


def prepare_track(track: PoseTrack, settings: Settings = DEFAULT_SETTINGS) -> Prepared:
    """Clean a track, compute its per-frame features and classify the camera view."""
    cleaned, report = clean_track(track, settings.cleaning)
    rows = compute_features(cleaned.image, cleaned.confidence, cleaned.t_s, cleaned.world)
    view = classify_view(
        cleaned.image, cleaned.world, settings.views, settings.views.lying_max_torso_deg
    )
    return Prepared(cleaned, report, rows, view)


def identify_track(track: PoseTrack, settings: Settings = DEFAULT_SETTINGS) -> Identification:
    """Name the exercise performed in a track (or "unknown"), with a confidence."""
    prepared = prepare_track(track, settings)
    return identify(describe(prepared.rows, prepared.view), settings.identify)


def analyze_track(
    track: PoseTrack,
    exercise: str | None,
    settings: Settings = DEFAULT_SETTINGS,
    stage: str | None = None,
) -> Analysis:
    """Audit one set offline. Without ``exercise``, the exercise is recognised from the motion
    (:class:`UnrecognisedExerciseError` when it cannot be)."""
    prepared = prepare_track(track, settings)
    cleaned, report, rows, view = prepared.cleaned, prepared.report, prepared.rows, prepared.view
    found = identify(describe(rows, view), settings.identify)
    id_warnings: list[str] = []
    if exercise is None:
        if found.exercise == UNKNOWN:
            raise UnrecognisedExerciseError(
                f"Could not recognise the exercise ({found.reason}).",
                hint="Say which it is with --exercise (e.g. --exercise squat).",
            )
        exercise = found.exercise
    elif not same_movement(found.exercise, exercise) and found.confidence >= ID_WARN_CONFIDENCE:
        shown = "an exercise outside the program" if found.exercise == UNKNOWN else found.exercise
        id_warnings.append(
            f"This does not look like {exercise}: it looks like {shown} ({found.reason}). "
            "Check that you filmed the right exercise; the audit assumes "
            f"{exercise}."
        )
    spec = get_exercise(exercise)
    has_world = track.world is not None and bool(np.isfinite(track.world[:, 0, 0]).any())
    analyzer = SetAnalyzer(spec, view, settings, stage, has_world=has_world)
    analyzer.signal.prime(rows)
    if analyzer.rests is not None:
        analyzer.rests.prime(rows)
    sig = analyzer.signal
    analyzer.engine.configure(
        sig.min_amplitude, sig.typical_amplitude, sig.rest_prior, sig.exit_fraction, sig.min_rep_s
    )
    analyzer.engine.prime_amplitude(typical_range(analyzer, rows))
    progress = np.full(track.n_frames, np.nan)
    for i in range(track.n_frames):
        _, progress[i] = analyzer.push(rows[i], i)
    analyzer.finish()
    warnings = list(track.meta.get("warnings", [])) + analyzer.warnings
    warnings += view_warnings(view, spec) + id_warnings
    audit = Audit(
        hamcoach_version=__version__,
        exercise=exercise,
        exercise_detected=found.exercise,
        exercise_confidence=found.confidence,
        stage=stage,
        view=view.view,
        view_info=view_info_of(view),
        source=SourceInfo(
            name=Path(track.source).name if track.source else "",
            frames=track.n_frames,
            fps=round(track.fps, 3),
            duration_s=round(track.duration_s, 3),
            width=track.width,
            height=track.height,
            backend=track.backend,
            person_frames_fraction=round(float(track.detected.mean()), 3)
            if track.n_frames
            else 0.0,
        ),
        reps=analyzer.reps,
        counts=count_reps(analyzer.reps),
        checks_run=[c.id for c in analyzer.checks],
        checks_not_run=checks_not_run(spec, view, stage),
        warnings=warnings,
    )
    return Analysis(
        audit=audit,
        track=track,
        cleaned=cleaned,
        features=rows,
        progress=progress,
        view=view,
        cleaning=report,
        rejected=[f"{r.start_s:.1f}-{r.end_s:.1f} s: {r.reason}" for r in analyzer.engine.rejected],
    )


def view_warnings(view: ViewEstimate, spec: ExerciseSpec) -> list[str]:
    out = []
    if view.view == "unknown":
        out.append("The camera view could not be determined; only view-independent checks ran.")
    elif view.confidence < 0.5:
        out.append(
            f"The camera view ({view.view.replace('_', ' ')}) is uncertain; "
            "view-dependent verdicts may be less reliable."
        )
    if view.posture not in (spec.posture, "unknown"):
        out.append(
            f"{spec.label} is done {spec.posture}, but the person looks {view.posture}: "
            "is this the right exercise?"
        )
    return out
