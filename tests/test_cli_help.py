"""Every command explains itself with an example, and the console script starts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from hamcoach.audit import AUDIT_SCHEMA_VERSION
from hamcoach.cli.main import app

HAMCOACH = Path(sys.executable).parent / "hamcoach"
CORE_COMMANDS = ("pose", "audit", "eval", "schema")


def leaf_commands() -> list[tuple[str, Any]]:
    """(``"patient add"``, click command) for every command that runs something, groups walked."""
    found: list[tuple[str, Any]] = []

    def walk(cmd: Any, path: tuple[str, ...]) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, (*path, name))
        else:
            found.append((" ".join(path), cmd))

    walk(typer.main.get_command(app), ())
    return found


def group_commands() -> list[tuple[str, Any]]:
    root = typer.main.get_command(app)
    out: list[tuple[str, Any]] = []
    for name, cmd in getattr(root, "commands", {}).items():
        if getattr(cmd, "commands", None):
            out.append((name, cmd))
    return out


LEAVES = leaf_commands()


def example_of(path: str) -> re.Pattern[str]:
    """``Example:`` (optionally qualified, as in ``Example (non-interactive):``) followed by a
    call of this very command."""
    return re.compile(rf"Example(?: \([^)\n]*\))?:\s+hamcoach {re.escape(path)}(?:\s|$)")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    return subprocess.run(
        [str(HAMCOACH), *args], check=False, env=env, capture_output=True, text=True, timeout=60
    )


def test_the_core_commands_are_registered() -> None:
    names = {path for path, _ in LEAVES}
    assert set(CORE_COMMANDS) <= names


@pytest.mark.parametrize(("path", "command"), LEAVES, ids=[p for p, _ in LEAVES])
def test_every_command_has_an_example(path: str, command: Any) -> None:
    help_text = command.help or ""
    assert example_of(path).search(help_text), (
        f"`hamcoach {path}` help has no example:\n{help_text}"
    )
    # The short help shown in `hamcoach --help` is the first sentence, not the example.
    assert help_text.strip() and not help_text.lstrip().startswith("Example")


@pytest.mark.parametrize(("path", "command"), LEAVES, ids=[p for p, _ in LEAVES])
def test_rendered_help_shows_the_example(path: str, command: Any) -> None:
    result = CliRunner().invoke(app, [*path.split(), "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert f"Usage: hamcoach {path}" in result.output
    assert example_of(path).search(result.output), result.output


@pytest.mark.parametrize(("name", "group"), group_commands())
def test_command_groups_say_what_they_hold(name: str, group: Any) -> None:
    assert (group.help or "").strip(), f"`hamcoach {name}` has no help text"


def test_top_level_help_lists_the_core_commands() -> None:
    done = run("--help")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    listed = set(re.findall(r"^\W*([a-z][a-z-]*)\s{2,}\S", done.stdout, flags=re.MULTILINE))
    assert set(CORE_COMMANDS) <= listed, done.stdout
    assert "Usage: hamcoach" in done.stdout


def test_schema_prints_the_audit_json_schema() -> None:
    done = run("schema")
    assert done.returncode == 0, done.stderr
    schema = json.loads(done.stdout)
    assert schema["type"] == "object"
    assert "schema_version" in schema["properties"]
    assert schema["title"] == "Audit"
    assert schema["properties"]["schema_version"]["default"] == AUDIT_SCHEMA_VERSION
