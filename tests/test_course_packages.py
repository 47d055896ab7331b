"""Item 10 of issue 14: a course lists the packages its students may import; the sandbox lets the child import
them (at the user level, where only what the fork server preloaded can be imported), and kits install them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import grade
from grader.courses import CourseError, load_course
from grader.grading import grade_path
from grader.runner import sandbox
from grader.workflows.kit import dependencies

CHECKS = ("from grader.checks import Task, Value, case\n"
          "TASKS = (Task('forward', 1, 'forward(x, w) returns x·w', Value(), (case(2.0, 3.0),)),)\n")
STUDENT = "import click\n\ndef forward(x, w):\n    return x * w if click.__name__ == 'click' else None\n"


def course(folder: Path, packages: list[str]) -> Path:
    """A one-lesson course in ``folder`` whose students may import ``packages``."""
    (folder / "solutions").mkdir(parents=True)
    (folder / "checks.py").write_text(CHECKS, encoding="utf-8")
    (folder / "solutions" / "lesson1_intro.py").write_text("def forward(x, w):\n    return x * w\n")
    listed = ", ".join(f'"{p}"' for p in packages)
    (folder / "course.toml").write_text(f'[course]\nname = "intro"\npackages = [{listed}]\n\n[[lessons]]\n'
                                        'name = "lesson1_intro"\nnumber = 1\nchecks = "checks.py"\n'
                                        'reference = "solutions/lesson1_intro.py"\n', encoding="utf-8")
    return folder


@pytest.mark.skipif(os.geteuid() != 0, reason="the user level needs root")
def test_a_course_package_is_importable_at_the_user_level_only_when_listed(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sandbox.ENV, "user")
    student = tmp_path / "lesson1_intro.py"
    student.write_text(STUDENT, encoding="utf-8")
    listed = load_course(course(tmp_path / "with", ["numpy", "sympy", "click"]))
    assert listed.preload == ("click",)
    assert [t.status for t in grade_path(student, course=listed).tasks] == ["passed"]
    bare = grade_path(student, course=load_course(course(tmp_path / "without", ["numpy", "sympy"])))
    assert bare.tasks[0].status == "failed"
    assert "No module named 'click'" in " ".join(bare.lessons[0].notes) + bare.tasks[0].feedback


def test_a_package_that_is_not_installed_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CourseError, match=r"packages no_such_package_here are not installed here: pip install "):
        load_course(course(tmp_path, ["numpy", "no_such_package_here"]))
    result = grade("check", str(tmp_path), "--course", str(tmp_path))
    assert result.exit_code == 1 and "pip install no_such_package_here" in result.stderr


def test_kits_install_the_course_packages(tmp_path: Path) -> None:
    required = dependencies(load_course(course(tmp_path, ["numpy", "sympy", "mpmath"])))
    assert required[-1] == "mpmath" and sum(r.startswith("numpy") for r in required) == 1
