"""Evaluation against the hand-labelled real clips of ``../shared/eval``."""
