"""Every command has help with an example, and README.md documents it."""

from __future__ import annotations

from typing import Iterator

import click
import pytest

from conftest import ROOT, grade
from grader.cli import cli


def commands(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> Iterator[str]:
    """Every command's words after ``grade``, a group's subcommands included (``new``, ``new lesson``)."""
    for name, command in sorted(group.commands.items()):
        yield " ".join((*prefix, name))
        if isinstance(command, click.Group):
            yield from commands(command, (*prefix, name))


@pytest.mark.parametrize("name", list(commands()))
def test_every_command_has_help_with_an_example(name):
    result = grade(*name.split(), "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout


@pytest.mark.parametrize("name", list(commands()))
def test_every_command_is_in_the_readme(name):
    assert f"grade {name}" in (ROOT / "README.md").read_text(encoding="utf-8")
