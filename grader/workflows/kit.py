"""What every built kit shares: the engine, its dependencies, and the answers it carries instead of solutions/.

A built kit (the student release, the Gradescope bundle) never holds the
reference code: it holds the reference's answers (``grader/expected.json``,
see :class:`grader.reference.StoredReference`), computed here from the
instructor's install.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import shutil
from pathlib import Path
from typing import Iterable, Mapping

import grader
from grader.checks import Lesson
from grader.reference import EXPECTED_FILE, Reference, store_answers
from grader.workflows.templates import PYPROJECT

ENGINE = Path(grader.__file__).resolve().parent


class BuildError(ValueError):
    """The kit cannot be built: no reference here, a leak, or an output in the way."""


def solutions_folder() -> Path:
    """The reference solutions of this install (the package :class:`grader.reference.Reference` imports)."""
    spec = importlib.util.find_spec("solutions")
    if spec is None or not spec.submodule_search_locations:
        raise BuildError("this install has no solutions/: build kits from the instructor's kit, not from a release")
    return Path(next(iter(spec.submodule_search_locations)))


def copy_engine(dest: Path) -> None:
    """Copy the grader package into ``dest/grader``."""
    shutil.copytree(ENGINE, dest / "grader",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", EXPECTED_FILE.name))


def dependencies() -> list[str]:
    """What the grader needs installed to run, as this install declares it (extras left out)."""
    return [r for r in importlib.metadata.distribution("gradekit").requires or [] if "extra ==" not in r]


def write_pyproject(dest: Path) -> None:
    """Write the pyproject that installs the copied engine, with this install's version and commands."""
    installed = importlib.metadata.distribution("gradekit")
    requires = ", ".join(json.dumps(r) for r in dependencies())
    scripts = "\n".join(f"{e.name} = {json.dumps(e.value)}" for e in installed.entry_points
                        if e.group == "console_scripts")
    (dest / "pyproject.toml").write_text(
        PYPROJECT.format(version=installed.version, dependencies=requires, scripts=scripts), encoding="utf-8")


def write_answers(dest: Path, lessons: Iterable[Lesson], withheld: Mapping[str, Mapping[str, int]] | None = None) -> None:
    """Store the reference's answers for every case of ``lessons`` in the copied engine.

    A fresh :class:`Reference` is used: its cache is keyed by case position, and
    the lessons of a release have fewer cases than the installed ones.
    """
    answers = store_answers(lessons, Reference(), withheld)
    (dest / "grader" / EXPECTED_FILE.name).write_text(json.dumps(answers, separators=(",", ":")), encoding="utf-8")
