// HamCoach live page: camera -> MediaPipe Pose on this device -> landmarks over a WebSocket to
// the Python engine -> rep counts, cues (spoken and shown) and camera placement hints.
// The video never leaves the device: only 33 landmark points per frame are sent.
"use strict";
(function () {
  const body = document.body;
  const cfg = {
    ws: body.dataset.ws,
    assets: body.dataset.static + "/mediapipe/",
    stage: body.dataset.stage,
    exercise: body.dataset.exercise,
    ticket: body.dataset.ticket,
    model: Number(body.dataset.model || 1),
    maxFps: Number(body.dataset.fps || 30),
    speak: new URLSearchParams(location.search).get("speak") !== "0",
    // Longest side (px) of the picture given to the pose model: smaller is faster on slow
    // devices; landmarks are relative to the picture, so the engine sees the same body.
    inputSide: Number(new URLSearchParams(location.search).get("input") || 0),
    // Test only: frame times are multiplied by this (a fake camera playing a clip in slow
    // motion, so that a browser without a GPU still samples the movement often enough).
    timescale: Number(new URLSearchParams(location.search).get("timescale") || 1),
  };
  const $ = (id) => document.getElementById(id);
  const video = $("video");
  const canvas = $("canvas");
  const ctx = canvas.getContext("2d");
  // What the page knows, for people and for tests (window.hamcoach).
  const state = {
    session: null, lastRep: [0, 0], counts: null, reps: [], cues: [], hints: [], statuses: [],
    errors: [], fps: 0, frames: 0, sent: 0, delays: [], connected: false, reconnects: 0,
    phase: "warmup", poseMs: [],
  };
  window.hamcoach = state;
  const BUFFER_MAX = 600; // frames kept while disconnected (~20 s at 30 fps), sent on reconnect
  let ws = null;
  let buffer = [];
  const sentAt = new Map(); // frame t_ms -> performance.now() when it was sent

  const CONNECTIONS = [[11, 12], [11, 13], [13, 15], [12, 14], [14, 16], [11, 23], [12, 24],
    [23, 24], [23, 25], [25, 27], [27, 29], [29, 31], [27, 31], [24, 26], [26, 28], [28, 30],
    [30, 32], [28, 32], [0, 11], [0, 12]];

  function log(text) {
    const li = document.createElement("li");
    li.textContent = text;
    $("log").prepend(li);
  }
  function say(text) {
    if (!cfg.speak || !("speechSynthesis" in window)) return;
    try {
      window.speechSynthesis.cancel();
      window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
    } catch (e) { /* speech is a bonus: the text is on screen */ }
  }
  function showCounts(c) {
    if (!c) return;
    state.counts = c;
    $("reps").textContent = c.reps; $("good").textContent = c.good;
    $("left").textContent = c.left; $("good-left").textContent = c.good_left;
    $("right").textContent = c.right; $("good-right").textContent = c.good_right;
  }
  function showCue(text) {
    $("cue").textContent = text;
    clearTimeout(showCue.timer);
    showCue.timer = setTimeout(() => { $("cue").textContent = ""; }, 6000);
  }

  function onEvent(e) {
    switch (e.type) {
      case "session":
        state.session = e.id;
        $("target-text").textContent = e.target_text;
        break;
      case "state":
        state.phase = e.phase;
        showCounts(e.counts);
        if (e.last_rep) state.lastRep = e.last_rep;
        break;
      case "status":
        state.phase = e.phase;
        state.statuses.push(e.message);
        $("status").textContent = e.message;
        $("start").disabled = e.phase !== "paused";
        if (e.phase === "active" && e.view) log(e.message);
        if (e.phase === "ended") { log(e.message); (e.decisions || []).forEach(log); }
        break;
      case "hint":
        if (!state.hints.includes(e.text)) {
          state.hints.push(e.text);
          const li = document.createElement("li");
          li.textContent = e.text;
          $("hints").append(li);
          say(e.text);
        }
        break;
      case "rep": {
        const key = [e.set, e.index];
        if (key[0] < state.lastRep[0] || (key[0] === state.lastRep[0] && key[1] <= state.lastRep[1])) break;
        state.lastRep = key;
        state.reps.push(e);
        showCounts(e.counts);
        const t0 = sentAt.get(e.frame_t_ms);
        if (t0 !== undefined) {
          // Delay after the rep's end: stream time from the end to the frame that closed it,
          // plus that frame's round trip to the engine.
          const delay = ((e.emitted_s - e.end_s) * 1000) / cfg.timescale + (performance.now() - t0);
          state.delays.push(delay);
          $("delay").textContent = delay.toFixed(0);
        }
        log(`Rep ${e.index}${e.leg !== "both" ? " (" + e.leg + ")" : ""}: ${e.good ? "good" : "not good"}`);
        break;
      }
      case "cue":
        state.cues.push(e);
        showCue(e.text);
        say(e.text);
        log(e.text);
        break;
      case "advice":
        log(e.text);
        $("status").textContent = e.text;
        break;
      case "error":
        state.errors.push(e.message);
        log(`${e.message} ${e.hint || ""}`);
        break;
    }
  }

  function socketUrl() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const q = new URLSearchParams();
    if (state.session) {
      q.set("session", state.session);
      q.set("last_set", state.lastRep[0]); q.set("last_rep", state.lastRep[1]);
    } else {
      q.set("stage", cfg.stage); q.set("exercise", cfg.exercise);
      if (cfg.ticket) q.set("ticket", cfg.ticket);
    }
    return `${proto}//${location.host}${cfg.ws}?${q}`;
  }
  function connect() {
    const sock = new WebSocket(socketUrl());
    ws = sock;
    sock.onopen = () => {
      state.connected = true;
      $("conn").textContent = "connected";
      if (buffer.length) {
        sock.send(JSON.stringify({ type: "frames", frames: buffer }));
        buffer = [];
      }
    };
    sock.onmessage = (m) => onEvent(JSON.parse(m.data));
    sock.onclose = (ev) => {
      state.connected = false;
      if (ws !== sock) return;
      if (ev.code === 4404) { state.session = null; state.lastRep = [0, 0]; } // expired: start anew
      if (ev.code === 4400) { $("conn").textContent = "refused"; return; } // e.g. stage not allowed
      $("conn").textContent = "reconnecting...";
      if (state.phase === "ended") return;
      state.reconnects += 1;
      setTimeout(connect, Math.min(500 * state.reconnects, 5000));
    };
  }
  function send(msg) {
    if (ws && ws.readyState === WebSocket.OPEN) { ws.send(JSON.stringify(msg)); return true; }
    return false;
  }
  // For tests: drop the connection as a flaky network would.
  state.dropConnection = () => { if (ws) ws.close(); };

  function draw(results) {
    const w = canvas.width, h = canvas.height;
    ctx.drawImage(results.image, 0, 0, w, h);
    const lm = results.poseLandmarks;
    if (!lm) return;
    ctx.lineWidth = 4;
    ctx.strokeStyle = "#3cf";
    for (const [a, b] of CONNECTIONS) {
      if (lm[a].visibility < 0.5 || lm[b].visibility < 0.5) continue;
      ctx.beginPath();
      ctx.moveTo(lm[a].x * w, lm[a].y * h);
      ctx.lineTo(lm[b].x * w, lm[b].y * h);
      ctx.stroke();
    }
    ctx.fillStyle = "#fff";
    for (let i = 11; i < 33; i++) {
      if (lm[i].visibility < 0.5) continue;
      ctx.beginPath(); ctx.arc(lm[i].x * w, lm[i].y * h, 4, 0, 2 * Math.PI); ctx.fill();
    }
  }

  function flat(points, keys) {
    const out = new Array(points.length * keys.length);
    let k = 0;
    for (const p of points) for (const key of keys) out[k++] = Math.round((p[key] || 0) * 1e5) / 1e5;
    return out;
  }

  let frameT = 0;
  let fpsCount = 0, fpsSince = performance.now();
  function onResults(results) {
    const t0 = performance.now();
    draw(results);
    state.drawMs = performance.now() - t0;
    state.frames += 1;
    fpsCount += 1;
    const now = performance.now();
    if (now - fpsSince >= 1000) {
      state.fps = fpsCount * 1000 / (now - fpsSince);
      $("fps").textContent = state.fps.toFixed(1);
      fpsCount = 0; fpsSince = now;
    }
    if (state.phase === "ended") return;
    const msg = {
      type: "frame", t_ms: frameT, w: video.videoWidth, h: video.videoHeight,
      lm: results.poseLandmarks ? flat(results.poseLandmarks, ["x", "y", "z", "visibility"]) : null,
      world: results.poseWorldLandmarks ? flat(results.poseWorldLandmarks, ["x", "y", "z"]) : null,
    };
    if (send(msg)) {
      state.sent += 1;
      sentAt.set(frameT, performance.now());
      if (sentAt.size > 900) sentAt.delete(sentAt.keys().next().value);
    } else {
      buffer.push(msg);
      if (buffer.length > BUFFER_MAX) buffer.shift();
    }
  }

  async function run() {
    const pose = new Pose({ locateFile: (file) => cfg.assets + file });
    pose.setOptions({
      modelComplexity: cfg.model, smoothLandmarks: false, enableSegmentation: false,
      minDetectionConfidence: 0.5, minTrackingConfidence: 0.5, selfieMode: false,
    });
    pose.onResults(onResults);
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
    } catch (err) {
      $("status").textContent = "No camera: allow this page to use the camera, then reload. (" + err.name + ")";
      state.errors.push("camera: " + err.name);
      return;
    }
    video.srcObject = stream;
    await video.play();
    canvas.width = video.videoWidth || 640;
    canvas.height = video.videoHeight || 480;
    $("status").textContent = "Loading the pose model on this device...";
    await pose.initialize();
    $("status").textContent = "Stand where the camera sees you from head to feet.";
    const minGap = 1000 / cfg.maxFps;
    let source = video;
    let small = null;
    const vw = video.videoWidth, vh = video.videoHeight;
    if (cfg.inputSide > 0 && Math.max(vw, vh) > cfg.inputSide) {
      const k = cfg.inputSide / Math.max(vw, vh);
      small = document.createElement("canvas");
      small.width = Math.round(vw * k); small.height = Math.round(vh * k);
      source = small;
    }
    const smallCtx = small ? small.getContext("2d") : null;
    let last = -Infinity;
    // Always give the page a turn between frames (pose.send may resolve without one), so the
    // WebSocket, the buttons and speech stay responsive on a slow device.
    const pause = (ms) => new Promise((r) => setTimeout(r, ms));
    for (;;) {
      const now = performance.now();
      if (now - last >= minGap && video.readyState >= 2) {
        last = now;
        frameT = now * cfg.timescale;
        if (smallCtx) smallCtx.drawImage(video, 0, 0, small.width, small.height);
        await pose.send({ image: source });
        state.poseMs.push(performance.now() - now);
        if (state.poseMs.length > 300) state.poseMs.shift();
        await pause(0);
      } else {
        await pause(Math.max(1, Math.min(minGap - (now - last), 15)));
      }
    }
  }

  $("start").onclick = () => send({ type: "start" });
  $("stop").onclick = () => send({ type: "stop" });
  $("cramp").onclick = () => send({ type: "cramp" });
  $("pain").onclick = () => send({ type: "pain", score: Number($("pain-score").value) });
  $("end").onclick = () => send({ type: "finish" });
  connect();
  run().catch((err) => {
    state.errors.push(String(err));
    $("status").textContent = "The pose model could not start: " + err;
  });
})();
