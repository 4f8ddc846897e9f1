"""The hamstring program as data and rules (PROGRAM.md sections 2-4).

- :mod:`.catalog`: the ladders and stages (``PROGRAM``, ``PROGRAM_VERSION``).
- :mod:`.rules_settings`: every rule default with its source (``DEFAULT_RULES``).
- :mod:`.history`: a patient's history as plain values.
- :mod:`.rules`: pure decisions over a history (``decide_progression``, ``pain_advice``...).
- :mod:`.redflags`: red-flag questions and the program lock.
- :mod:`.plan`: today's plan.
- :mod:`.demo`: a demo patient with three weeks of sessions.
"""
