"""Benchmarks run on purpose (``hamcoach bench``), never as timed assertions in the tests."""
