"""HamCoach: coached home exercise for the hamstring program.

The pipeline, one data model end to end::

    pose source (io/) -> cleaning -> kinematics -> reps -> checks -> audit
"""

__version__ = "0.1.0"
