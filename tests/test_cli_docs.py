"""Every command has help with an example, and README.md documents it."""

from __future__ import annotations

import pytest

from conftest import ROOT, grade
from grader.cli import cli


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_with_an_example(name):
    result = grade(name, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_in_the_readme(name):
    assert f"grade {name}" in (ROOT / "README.md").read_text(encoding="utf-8")
