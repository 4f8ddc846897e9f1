"""Tests of the program engine: catalog, rules, plan, demo, CLI."""
