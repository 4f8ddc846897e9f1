"""Cleaning a raw pose track: gating, swap repair, outlier rejection, gap filling, smoothing.

Offline (:func:`clean_track`) every stage may look at the whole track and smooths with a
zero-phase Butterworth filter. Streaming (:class:`CausalCleaner`) sees one frame at a time and
smooths with a One-Euro filter (Casiez et al., CHI 2012), which lags little on fast motion.

Policy: a value that cannot be trusted becomes NaN (missing) and stays missing unless a gap is
short enough (``max_gap_s``) to interpolate, or it is a hidden shoulder or hip (missing, or seen
with a confidence the pose model itself calls hidden) whose twin is seen and whose offset to
that twin was measured moments before or after (:func:`fill_twins`). Nothing else is invented;
rebuilt joints keep their confidence (0 when they were missing).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.ndimage import median_filter
from scipy.signal import butter, sosfiltfilt

from hamcoach.landmarks import LEFT_RIGHT_PAIRS, N_LANDMARKS, L
from hamcoach.settings import CleaningSettings
from hamcoach.track import BoolArray, FloatArray, PoseTrack

LEG_PAIRS: tuple[tuple[int, int], ...] = tuple(
    (a, b)
    for a, b in LEFT_RIGHT_PAIRS
    if a in (L.LEFT_KNEE, L.LEFT_ANKLE, L.LEFT_HEEL, L.LEFT_FOOT_INDEX)
)
ARM_PAIRS: tuple[tuple[int, int], ...] = tuple(
    (a, b) for a, b in LEFT_RIGHT_PAIRS if a in (L.LEFT_ELBOW, L.LEFT_WRIST)
)
TWIN_PAIRS: tuple[tuple[int, int], ...] = (
    (L.LEFT_SHOULDER, L.RIGHT_SHOULDER),
    (L.LEFT_HIP, L.RIGHT_HIP),
)
# The landmark groups whose left and right the swap repair exchanges together (the shoulders
# and hips too: in a whole-body swap, repairing the legs alone measures each knee against the
# other side's hip).
SWAP_GROUPS: tuple[tuple[tuple[int, int], ...], ...] = (LEG_PAIRS, ARM_PAIRS, TWIN_PAIRS)
# A swap is repaired only when it explains the motion this much better than no swap.
SWAP_GAIN = 0.5
# Butterworth order of the twin-offset low-pass (:func:`twin_offset`), as the landmarks' own.
TWIN_OFFSET_ORDER = 2


def gate_by_confidence(track: PoseTrack, min_confidence: float) -> PoseTrack:
    """Landmarks seen with confidence below ``min_confidence`` become missing."""
    low = track.confidence < min_confidence
    image = track.image.copy()
    image[low] = np.nan
    conf = np.where(low, 0.0, track.confidence)
    world = None
    if track.world is not None:
        world = track.world.copy()
        world[low] = np.nan
    return track.replace(image=image, confidence=conf, world=world)


def repair_swaps(
    track: PoseTrack,
    reference_max_s: float,
    max_run_s: float = math.inf,
    ungated: FloatArray | None = None,
) -> tuple[PoseTrack, int]:
    """Undo frames where the model exchanged the left and right leg, arm, or shoulders and hips
    (in a whole-body swap all of them: repairing the legs alone then measures each knee against
    the other side's hip).

    Each frame's leg landmarks are compared with their own last repaired positions (seen within
    ``reference_max_s``): when exchanging left and right would make the motion clearly smaller
    (SWAP_GAIN), the frame is exchanged. A run of exchanged frames longer than ``max_run_s``
    is left as the model labelled it (:func:`drop_long_runs`). With ``ungated`` (the model's
    (T, 33, 3) landmarks before the confidence gate), the shoulders and hips are judged on them
    (:func:`clean_track`). Returns the repaired track and the number of frames repaired.
    """
    image = track.image.copy()
    conf = track.confidence.copy()
    world = None if track.world is None else track.world.copy()
    repaired = 0
    fps = effective_fps(track)
    for group in SWAP_GROUPS:
        judged = ungated if ungated is not None and group is TWIN_PAIRS else track.image
        flip = swap_flags(
            judged[:, :, :2],
            [a for a, _ in group],
            [b for _, b in group],
            max(1, round(reference_max_s * fps)),
        )
        if math.isfinite(max_run_s):
            flip = drop_long_runs(flip, max(1, round(max_run_s * fps)))
        if not flip.any():
            continue
        rows = np.flatnonzero(flip)
        both = np.array([a for a, _ in group] + [b for _, b in group])
        crossed = np.array([b for _, b in group] + [a for a, _ in group])
        for arr in (image, world) if world is not None else (image,):
            arr[np.ix_(rows, both)] = arr[np.ix_(rows, crossed)]
        conf[np.ix_(rows, both)] = conf[np.ix_(rows, crossed)]
        repaired += int(flip.sum())
    return track.replace(image=image, confidence=conf, world=world), repaired


def drop_long_runs(flags: BoolArray, max_frames: int) -> BoolArray:
    """``flags`` without its runs of more than ``max_frames`` consecutive True frames.

    The swap repair follows each landmark from its last repaired position, so a model swap it
    misses (the legs side by side, where both labellings fit) makes it exchange every later
    frame the model labelled right, until the legs meet again: seconds of swapped legs. The
    model's own swaps are short, so a long run is that lock-in, and the model's labels stand.
    """
    out = flags.copy()
    for a, b in true_runs(flags):
        if b - a > max_frames:
            out[a:b] = False
    return out


def swap_flags(xy: FloatArray, left: list[int], right: list[int], max_age_frames: int) -> BoolArray:
    """Per frame, whether its ``left`` and ``right`` landmarks are exchanged (see
    :func:`repair_swaps`). Each landmark's reference is its own last position as repaired,
    used while at most ``max_age_frames`` old. A frame with fewer than two landmarks per side
    matched cannot be judged: the last verdict stands for it while at most ``max_age_frames``
    old (else it keeps its labels), and it replaces no fresh reference (it may be the first
    frame of a swap). (A loop over plain floats: the rule is sequential, and numpy calls on a
    dozen points per frame cost more than the arithmetic.)"""
    k = len(left)
    rows = xy[:, left + right, :2].tolist()
    ref: list[tuple[float, float] | None] = [None] * (2 * k)  # left landmarks, then right
    age = [max_age_frames + 1] * (2 * k)
    flags = np.zeros(len(rows), dtype=bool)
    last_verdict, last_judged = False, -max_age_frames - 1
    for t, cur in enumerate(rows):
        recent = [r if a <= max_age_frames else None for r, a in zip(ref, age, strict=True)]
        keep = _matched_distance(recent[:k], cur[:k]) + _matched_distance(recent[k:], cur[k:])
        swap = _matched_distance(recent[:k], cur[k:]) + _matched_distance(recent[k:], cur[:k])
        judged = math.isfinite(keep) and math.isfinite(swap)
        if judged:
            flipped = last_verdict = swap < SWAP_GAIN * keep
            last_judged = t
        else:
            # too few landmarks seen to judge: the last verdict stands while it is recent (a
            # swap whose far side the model keeps losing is repaired through), unless the
            # landmarks that are seen clearly fit their own labels (the swap has ended)
            flipped = (
                last_verdict
                and t - last_judged <= max_age_frames
                and not _labels_fit(recent, cur, k)
            )
        flags[t] = flipped
        placed = cur[k:] + cur[:k] if flipped else cur
        for m, (x, y) in enumerate(placed):
            # a frame the rule could not judge (too few landmarks seen) does not replace a
            # landmark's fresh reference: it may be the first frame of a swap
            usable = judged or recent[m] is None
            if usable and math.isfinite(x) and math.isfinite(y):
                ref[m], age[m] = (x, y), 0
            else:
                age[m] += 1
    return flags


def _labels_fit(refs: list[tuple[float, float] | None], points: list[list[float]], k: int) -> bool:
    """Whether the landmarks seen (any number) clearly sit nearer their own references than
    the other side's (SWAP_GAIN): left landmarks are the first ``k`` of both lists."""
    keep = swap = 0.0
    pairs = 0
    for m, (x, y) in enumerate(points):
        own, other = refs[m], refs[(m + k) % (2 * k)]
        if own is None or other is None or not (math.isfinite(x) and math.isfinite(y)):
            continue
        keep += math.hypot(x - own[0], y - own[1])
        swap += math.hypot(x - other[0], y - other[1])
        pairs += 1
    return pairs > 0 and keep < SWAP_GAIN * swap


def _matched_distance(refs: list[tuple[float, float] | None], points: list[list[float]]) -> float:
    """Sum of the distances (px) between matching references and points; NaN when fewer than
    two pairs are both seen."""
    total, pairs = 0.0, 0
    for r, (x, y) in zip(refs, points, strict=True):
        if r is not None and math.isfinite(x) and math.isfinite(y):
            total += math.hypot(x - r[0], y - r[1])
            pairs += 1
    return total if pairs >= 2 else math.nan


def _pair_distance(a: FloatArray, b: FloatArray) -> float:
    diff = a - b
    d = np.sqrt(diff[..., 0] ** 2 + diff[..., 1] ** 2)
    d = d[np.isfinite(d)]
    return float(d.sum()) if d.size >= 2 else math.nan


def reject_outliers(values: FloatArray, k: float, floor: float) -> FloatArray:
    """NaN where a series jumps away from its 5-frame running median by more than ``k`` MADs.

    ``values`` is (T, ...); each column is treated independently. ``floor`` is the smallest
    deviation (same unit as ``values``) ever called an outlier, so still tracks are not shredded.
    """
    out = values.copy()
    flat = out.reshape(out.shape[0], -1)
    for j in range(flat.shape[1]):
        col = flat[:, j]
        ok = np.isfinite(col)
        if ok.sum() < 5:
            continue
        med = col.copy()
        med[ok] = median_filter(col[ok], size=5, mode="nearest")
        resid = np.abs(col - med)
        mad = float(np.nanmedian(resid[ok])) * 1.4826
        limit = max(k * mad, floor)
        bad = ok & (resid > limit)
        col[bad] = np.nan
    return out


def fill_short_gaps(values: FloatArray, t_s: FloatArray, max_gap_s: float) -> FloatArray:
    """Linearly interpolate runs of NaN no longer than ``max_gap_s`` seconds; leave longer ones."""
    out = values.copy()
    flat = out.reshape(out.shape[0], -1)
    for j in np.flatnonzero(~np.isfinite(flat).all(axis=0)):
        col = flat[:, j]
        ok = np.isfinite(col)
        if ok.sum() < 2:
            continue
        idx = np.flatnonzero(ok)
        # Each gap lies between two consecutive seen frames; fill those spanning max_gap_s or less.
        a, b = idx[:-1], idx[1:]
        short = (b - a > 1) & (t_s[b] - t_s[a] <= max_gap_s)
        if not short.any():
            continue
        fill = np.zeros(len(col), dtype=bool)
        for lo, hi in zip(a[short], b[short], strict=True):
            fill[lo + 1 : hi] = True
        col[fill] = np.interp(t_s[fill], t_s[ok], col[ok])
    return out


def fill_twins(
    values: FloatArray,
    t_s: FloatArray,
    max_s: float,
    pairs: tuple[tuple[int, int], ...] = TWIN_PAIRS,
    *,
    offset_hz: float = 0.0,
    confidence: FloatArray | None = None,
    hidden_below: float = 0.0,
) -> tuple[FloatArray, int]:
    """Rebuild a hidden shoulder or hip from its seen twin and the twins' offset.

    In side and three-quarter views the far shoulder and hip flicker around the confidence gate;
    without this, every midpoint (hip height, trunk line) jumps between "both" and "the near one
    only" by the twins' offset. The offset (far minus near, per coordinate) is interpolated in
    time between frames where both twins were seen, low-passed at ``offset_hz`` when that is
    positive (:func:`twin_offset`), and used only within ``max_s`` seconds of such a frame, so an
    offset is never carried into a different view of the body. With ``confidence`` (T, 33), a
    twin seen with confidence below ``hidden_below`` while its twin is at or above it counts as
    hidden too (:func:`hidden_twins`). Values (T, 33, C); returns the filled copy and the number
    of joints rebuilt.
    """
    out = values.copy()
    rebuilt = 0
    for a, b in pairs:
        pa, pb = out[:, a], out[:, b]
        seen_a, seen_b = np.isfinite(pa).all(axis=1), np.isfinite(pb).all(axis=1)
        both = np.flatnonzero(seen_a & seen_b)
        hid_a, hid_b = hidden_twins(seen_a, seen_b, confidence, a, b, hidden_below)
        if len(both) == 0 or not (hid_a | hid_b).any():
            continue
        t_both = t_s[both]
        after = np.clip(np.searchsorted(t_both, t_s), 0, len(both) - 1)
        before = np.clip(after - 1, 0, len(both) - 1)
        near_s = np.minimum(np.abs(t_s - t_both[after]), np.abs(t_s - t_both[before]))
        offset = twin_offset(pb[both] - pa[both], both, t_s, offset_hz)
        fill_a, fill_b = hid_a & (near_s <= max_s), hid_b & (near_s <= max_s)
        pa[fill_a] = pb[fill_a] - offset[fill_a]
        pb[fill_b] = pa[fill_b] + offset[fill_b]
        rebuilt += int(fill_a.sum() + fill_b.sum())
    return out, rebuilt


def hidden_twins(
    seen_a: BoolArray,
    seen_b: BoolArray,
    confidence: FloatArray | None,
    a: int,
    b: int,
    hidden_below: float,
) -> tuple[BoolArray, BoolArray]:
    """Per frame, whether twin ``a`` (resp. ``b``) is to be rebuilt from the other: it is missing
    while the other is seen, or (with ``confidence``) it is seen with confidence below
    ``hidden_below`` while the other's is at least that."""
    hid_a, hid_b = seen_b & ~seen_a, seen_a & ~seen_b
    if confidence is not None and hidden_below > 0:
        sure_a, sure_b = confidence[:, a] >= hidden_below, confidence[:, b] >= hidden_below
        hid_a = hid_a | (seen_a & seen_b & ~sure_a & sure_b)
        hid_b = hid_b | (seen_a & seen_b & sure_a & ~sure_b)
    return hid_a, hid_b


def twin_offset(
    diff: FloatArray, both: npt.NDArray[np.intp], t_s: FloatArray, offset_hz: float
) -> FloatArray:
    """The twins' offset (T, C) at every frame: ``diff`` (its samples at the frames ``both``)
    interpolated in time, then low-passed at ``offset_hz`` (Hz; 0 = not low-passed).

    The offset is the picture of a rigid width (shoulders, hips): it changes only as the body
    turns against the camera, while a hidden twin's samples carry the pose model's larger error.
    """
    offset = np.stack(
        [np.interp(t_s, t_s[both], diff[:, c]) for c in range(diff.shape[1])], axis=-1
    )
    fps = fps_of_times(t_s)
    if offset_hz > 0 and math.isfinite(fps):
        offset = lowpass_zero_phase(offset, fps, offset_hz, TWIN_OFFSET_ORDER)
    return np.asarray(offset, dtype=np.float64)


def lowpass_zero_phase(values: FloatArray, fps: float, cutoff_hz: float, order: int) -> FloatArray:
    """Butterworth low-pass applied forward and backward (no lag) on each finite run."""
    if fps <= 2 * cutoff_hz:
        return values.copy()
    sos = butter(order, cutoff_hz, btype="low", fs=fps, output="sos")
    pad = 3 * (2 * order + 1)
    out = values.copy()
    flat = out.reshape(out.shape[0], -1)
    whole = np.isfinite(flat).all(axis=0)
    if whole.any() and flat.shape[0] > pad:  # fully seen columns: one call for all of them
        flat[:, whole] = sosfiltfilt(sos, flat[:, whole], axis=0)
    for j in np.flatnonzero(~whole):
        col = flat[:, j]
        for a, b in finite_runs(col):
            if b - a > pad:
                col[a:b] = sosfiltfilt(sos, col[a:b])
    return out


def finite_runs(col: FloatArray) -> list[tuple[int, int]]:
    """[start, stop) index ranges of consecutive finite values."""
    return true_runs(np.isfinite(col))


def true_runs(mask: BoolArray) -> list[tuple[int, int]]:
    """[start, stop) index ranges of consecutive True values."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts = np.flatnonzero(edges == 1)
    stops = np.flatnonzero(edges == -1)
    return list(zip(starts.tolist(), stops.tolist(), strict=True))


def body_scale_px(track: PoseTrack) -> float:
    """A robust body size in pixels: median shoulder-to-ankle distance (for outlier floors)."""
    mid_sh = np.nanmean(track.image[:, [L.LEFT_SHOULDER, L.RIGHT_SHOULDER], :2], axis=1)
    mid_an = np.nanmean(track.image[:, [L.LEFT_ANKLE, L.RIGHT_ANKLE], :2], axis=1)
    d = np.linalg.norm(mid_sh - mid_an, axis=1)
    d = d[np.isfinite(d)]
    return float(np.median(d)) if d.size else float(max(track.width, track.height)) / 2


@dataclass(frozen=True)
class CleaningReport:
    swaps_repaired: int
    outliers_rejected: int
    gaps_filled: int


def clean_track(track: PoseTrack, settings: CleaningSettings) -> tuple[PoseTrack, CleaningReport]:
    """The offline cleaning pipeline: gate, repair swaps, reject outliers, fill, smooth.

    The shoulders and hips are judged for swaps before the gate, on every position the model
    gave them (a hidden one too): filmed from the side, the far shoulder and hip sit under the
    gate in most frames, so after the gate a whole-body swap left one labelled twin per pair
    (the near one's position under the far one's label), too few to judge, and the twins'
    rebuild then moved the trunk's midpoints by the whole shoulder or hip offset for the swap's
    length. The legs and arms stay judged after the gate: a hidden far leg standing beside the
    near one fits both labellings, and judging it locked the repair onto the wrong one for
    seconds (a high-noise side-view deadlift's hip read 17.7 deg RMSE instead of 8.0)."""
    gated = gate_by_confidence(track, settings.min_confidence)
    swapped, n_swaps = repair_swaps(
        gated, settings.swap_reference_max_s, settings.swap_max_run_s, ungated=track.image
    )
    xy = swapped.image
    before = int(np.isfinite(xy[:, :, 0]).sum())
    floor = 0.04 * body_scale_px(swapped)
    xy = reject_outliers(xy, settings.outlier_mad_k, floor)
    after = int(np.isfinite(xy[:, :, 0]).sum())
    filled = fill_short_gaps(xy, swapped.t_s, settings.max_gap_s)
    filled, _ = fill_twins(
        filled,
        swapped.t_s,
        settings.twin_fill_max_s,
        offset_hz=settings.twin_offset_hz,
        confidence=swapped.confidence,
        hidden_below=settings.twin_hidden_confidence,
    )
    n_filled = int(np.isfinite(filled[:, :, 0]).sum()) - after
    fps = effective_fps(swapped)
    smooth = lowpass_zero_phase(filled, fps, settings.lowpass_hz, settings.lowpass_order)
    world = swapped.world
    if world is not None:
        world = fill_short_gaps(world, swapped.t_s, settings.max_gap_s)
        world, _ = fill_twins(world, swapped.t_s, settings.twin_fill_max_s)
        world = lowpass_zero_phase(world, fps, settings.lowpass_hz, settings.lowpass_order)
    conf = np.where(np.isfinite(smooth[:, :, 0]), np.maximum(swapped.confidence, 0.0), 0.0)
    cleaned = swapped.replace(image=smooth, confidence=conf, world=world)
    return cleaned, CleaningReport(n_swaps, before - after, n_filled)


def effective_fps(track: PoseTrack) -> float:
    """Frame rate from the timestamps (robust to a wrong header)."""
    if track.n_frames < 2:
        return track.fps
    fps = fps_of_times(track.t_s)
    return fps if math.isfinite(fps) else track.fps


def fps_of_times(t_s: FloatArray) -> float:
    """Frames per second from the median step of the timestamps (s); NaN without a positive
    step."""
    dt = float(np.median(np.diff(t_s))) if len(t_s) > 1 else 0.0
    return 1.0 / dt if dt > 0 else math.nan


class OneEuroFilter:
    """One-Euro filter over arrays (Casiez, Roussel, Vogel 2012): causal, speed-adaptive.

    NaN inputs reset the filter for that element (a missing joint stays missing).
    """

    def __init__(self, min_cutoff_hz: float, beta: float, d_cutoff_hz: float = 1.0) -> None:
        self.min_cutoff = min_cutoff_hz
        self.beta = beta
        self.d_cutoff = d_cutoff_hz
        self._x: FloatArray | None = None
        self._dx: FloatArray | None = None
        self._t: float | None = None

    @staticmethod
    def _alpha(cutoff: FloatArray | float, dt: float) -> FloatArray:
        tau = 1.0 / (2 * math.pi * np.asarray(cutoff, dtype=np.float64))
        return np.asarray(1.0 / (1.0 + tau / dt), dtype=np.float64)

    def __call__(self, x: FloatArray, t_s: float) -> FloatArray:
        if self._x is None or self._t is None or self._dx is None or t_s <= self._t:
            self._x, self._dx, self._t = x.copy(), np.zeros_like(x), t_s
            return x.copy()
        dt = t_s - self._t
        dx = (x - self._x) / dt
        a_d = self._alpha(self.d_cutoff, dt)
        dx_hat = np.where(np.isfinite(self._dx), a_d * dx + (1 - a_d) * self._dx, dx)
        cutoff = self.min_cutoff + self.beta * np.abs(np.nan_to_num(dx_hat))
        a = self._alpha(cutoff, dt)
        x_hat = np.where(np.isfinite(self._x), a * x + (1 - a) * self._x, x)
        self._x, self._dx, self._t = x_hat, np.where(np.isfinite(x_hat), dx_hat, 0.0), t_s
        return np.asarray(x_hat, dtype=np.float64)


class CausalCleaner:
    """Streaming cleaning, one frame at a time: gate, swap repair, hold short gaps, One-Euro
    (the shoulders and hips judged for swaps before the gate, as :func:`clean_track`)."""

    def __init__(self, settings: CleaningSettings) -> None:
        self.settings = settings
        self._filter = OneEuroFilter(settings.causal_min_cutoff_hz, settings.causal_beta)
        self._last: FloatArray | None = None
        self._last_t = -math.inf
        self._twin_offsets: dict[tuple[int, int], tuple[FloatArray, float]] = {}
        # since when (s) each swap group has been exchanged without a break (the causal
        # swap_max_run_s: a longer run is the repair's lock-in, and the model's labels stand)
        self._swapped_since: dict[int, float] = {}
        # each landmark's last position as repaired (px) and when it was seen (s): the swap
        # repair's references, as :func:`swap_flags` keeps them
        self._swap_ref = np.full((N_LANDMARKS, 2), np.nan)
        self._swap_ref_t = np.full(N_LANDMARKS, -np.inf)
        self._last_verdict: dict[int, tuple[bool, float]] = {}  # per group: verdict, when (s)

    def push(self, image: FloatArray, confidence: FloatArray, t_s: float) -> FloatArray:
        """The cleaned (33, 3) pixel landmarks of one frame."""
        img = image.copy()
        img[confidence < self.settings.min_confidence] = np.nan
        img = self._repair_swaps(img, image, t_s)
        if self._last is not None:
            stale = t_s - self._last_t > self.settings.max_gap_s
            if not stale:
                holes = ~np.isfinite(img[:, 0])
                img[holes] = self._last[holes]
        self._fill_twins(img, t_s)
        out = self._filter(img, t_s)
        if np.isfinite(out[:, 0]).any():
            self._last, self._last_t = out.copy(), t_s
        return out

    def _repair_swaps(self, cur: FloatArray, ungated: FloatArray, t_s: float) -> FloatArray:
        """The streaming :func:`repair_swaps`: each group against its landmarks' own last
        repaired positions (at most ``swap_reference_max_s`` old), for at most
        ``swap_max_run_s`` in a row. A frame that cannot be judged (too few landmarks seen)
        does not replace a fresh reference: it may be the first frame of a swap."""
        max_age = self.settings.swap_reference_max_s
        fresh = t_s - self._swap_ref_t <= max_age
        ref = np.where(fresh[:, None], self._swap_ref, np.nan)
        for g, group in enumerate(SWAP_GROUPS):
            judged = ungated if group is TWIN_PAIRS else cur
            verdict = _swap_verdict(judged, ref, group)
            if verdict is not None:
                self._last_verdict[g] = (verdict, t_s)
            flipped = verdict
            if verdict is None and g in self._last_verdict:
                # too few landmarks seen to judge: the last verdict stands while it is recent,
                # unless the landmarks seen clearly fit their own labels (as swap_flags)
                last, when = self._last_verdict[g]
                flipped = (
                    last and t_s - when <= max_age and not _group_labels_fit(judged, ref, group)
                )
            if flipped:
                since = self._swapped_since.setdefault(g, t_s)
                if t_s - since <= self.settings.swap_max_run_s:
                    cur, ungated = _exchange(cur, group), _exchange(ungated, group)
            else:
                self._swapped_since.pop(g, None)
            placed = ungated if group is TWIN_PAIRS else cur
            for j in [a for a, _ in group] + [b for _, b in group]:
                if np.isfinite(placed[j, 0]) and (verdict is not None or not fresh[j]):
                    self._swap_ref[j], self._swap_ref_t[j] = placed[j, :2], t_s
        return cur

    def _fill_twins(self, img: FloatArray, t_s: float) -> None:
        """The streaming :func:`fill_twins`: the last measured offset, for ``twin_fill_max_s``."""
        for a, b in TWIN_PAIRS:
            seen_a, seen_b = bool(np.isfinite(img[a, 0])), bool(np.isfinite(img[b, 0]))
            if seen_a and seen_b:
                self._twin_offsets[(a, b)] = (img[b] - img[a], t_s)
                continue
            known = self._twin_offsets.get((a, b))
            if known is None or t_s - known[1] > self.settings.twin_fill_max_s:
                continue
            if seen_a:
                img[b] = img[a] + known[0]
            elif seen_b:
                img[a] = img[b] - known[0]


def _swap_verdict(
    cur: FloatArray, prev: FloatArray, group: tuple[tuple[int, int], ...]
) -> bool | None:
    """Whether exchanging ``group``'s left and right landmarks of ``cur`` makes the motion from
    ``prev`` clearly smaller (SWAP_GAIN); None when fewer than two landmarks per side are seen
    in both."""
    left = [a for a, _ in group]
    right = [b for _, b in group]
    keep = _pair_distance(prev[left, :2], cur[left, :2]) + _pair_distance(
        prev[right, :2], cur[right, :2]
    )
    swap = _pair_distance(prev[left, :2], cur[right, :2]) + _pair_distance(
        prev[right, :2], cur[left, :2]
    )
    if not (math.isfinite(keep) and math.isfinite(swap)):
        return None
    return swap < SWAP_GAIN * keep


def _group_labels_fit(cur: FloatArray, ref: FloatArray, group: tuple[tuple[int, int], ...]) -> bool:
    """:func:`_labels_fit` for a (33, 2+) frame and its references (NaN: none)."""
    order = [a for a, _ in group] + [b for _, b in group]
    refs = [(float(ref[j, 0]), float(ref[j, 1])) if np.isfinite(ref[j, 0]) else None for j in order]
    return _labels_fit(refs, cur[order, :2].tolist(), len(group))


def _exchange(cur: FloatArray, group: tuple[tuple[int, int], ...]) -> FloatArray:
    """``cur`` with ``group``'s left and right landmarks exchanged."""
    left = [a for a, _ in group]
    right = [b for _, b in group]
    out = cur.copy()
    out[left + right] = cur[right + left]
    return out
