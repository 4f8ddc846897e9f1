"""Live coaching: landmarks streamed from a camera (the browser's or a local one) through the same
streaming engine the CLI uses, with rep events, one cue at a time and camera placement hints.

    frames (landmarks only) -> :class:`~hamcoach.live.session.LiveSession`
      -> warm-up (camera view, placement hints) -> CausalCleaner -> features -> SetAnalyzer
      -> rep events -> :class:`~hamcoach.live.cues.CuePolicy` -> cues

- :mod:`.settings`: every live default (cue cooldown, warm-up, resume grace).
- :mod:`.frames`: one frame of landmarks in MediaPipe's JavaScript format, validated.
- :mod:`.cues`: which cue to say after a rep, and when to keep quiet.
- :mod:`.session`: the transport-free live session (pure Python, testable).
- :mod:`.recorder`: saving each set as a session through the storage API.
- :mod:`.registry`: sessions kept for a grace period so a dropped connection can resume.
- :mod:`.router` / :mod:`.app`: the page, its static files and the WebSocket (FastAPI).
- :mod:`.desktop`: ``hamcoach live`` with OpenCV and the Python BlazePose.
"""
