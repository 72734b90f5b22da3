"""The README documents every site.yaml key and every command; the code passes ruff.

The names come from the code itself (schema/site.schema.yaml, the argparse parser of
portal/cli.py), so a key or command added without a word in the README fails here.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
import yaml
from conftest import ROOT

from portal.cli import parser

README = ROOT / "README.md"


def readme() -> str:
    assert README.is_file(), "README.md is missing"
    return README.read_text(encoding="utf-8")


def site_keys() -> list[str]:
    schema = yaml.safe_load((ROOT / "schema" / "site.schema.yaml").read_text(encoding="utf-8"))
    return [field["name"] for field in schema["fields"]]


def commands(top: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every subcommand path of the parser: ("build",), ("form", "export"), …"""
    for action in top._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*prefix, name)
                yield from commands(sub, (*prefix, name))


def subparser(path: tuple[str, ...]) -> argparse.ArgumentParser:
    found = parser()
    for name in path:
        found = next(a for a in found._actions if isinstance(a, argparse._SubParsersAction)).choices[name]
    return found


def options(path: tuple[str, ...]) -> list[str]:
    """Each option of a command, named by all its spellings ("-o/--output")."""
    return ["/".join(a.option_strings) for a in subparser(path)._actions if a.option_strings and a.dest != "help"]


def test_the_names_are_found() -> None:
    """The lists below are not empty: the tests that use them test something."""
    assert {"title", "base_url", "report_due_day"} <= set(site_keys())
    assert {("build",), ("check",), ("form", "export")} <= set(commands(parser()))


@pytest.mark.parametrize("key", site_keys())
def test_every_site_yaml_key_is_documented(key: str) -> None:
    assert f"`{key}`" in readme(), f"site.yaml key {key} is not in README.md"


@pytest.mark.parametrize("command", list(commands(parser())), ids=" ".join)
def test_every_command_is_documented(command: tuple[str, ...]) -> None:
    words = r"\s+".join(rf"\[?{re.escape(word)}\]?" for word in command)
    assert re.search(rf"build\.py\s+{words}\b", readme()), f"`build.py {' '.join(command)}` is not in README.md"


@pytest.mark.parametrize(
    ("command", "option"),
    [(c, o) for c in commands(parser()) for o in options(c)],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else value,
)
def test_every_option_is_documented(command: tuple[str, ...], option: str) -> None:
    spellings = "|".join(re.escape(o) for o in option.split("/"))
    assert re.search(rf"(?<![\w-])({spellings})(?![\w-])", readme()), (
        f"{option} of `build.py {' '.join(command)}` is not in README.md"
    )


def test_ruff_check_passes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean_for_the_portal() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "portal", "build.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
