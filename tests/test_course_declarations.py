"""Item 5 of issue 14: declarations refer to arguments by name and to helpers by a name checked at load."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.courses import CourseError, load_course
from grader.grading import grade_path

REFERENCE = ("def fit(xs, ys, w, lr, epochs):\n"
             "    history = []\n"
             "    for epoch in range(epochs):\n"
             "        grad = sum(2 * x * (x * w - y) for x, y in zip(xs, ys)) / len(xs)\n"
             "        w = w - lr * grad\n"
             "        history.append({'epoch': epoch, 'w': w})\n"
             "    return history\n")


def course(folder: Path, layout: str, extra: str = "") -> Path:
    """A one-lesson course whose training loop ``fit`` is declared with ``layout``."""
    (folder / "solutions").mkdir(parents=True)
    (folder / "solutions" / "lesson1_fit.py").write_text(REFERENCE)
    (folder / "checks.py").write_text(
        "from grader.checks import Fn, History, Task, case, per_epoch, per_sample\n"
        f"TASKS = (Task('fit', 2, 'fit follows GD', History(('epoch', 'w'), {layout}), "
        f"(case([1.0, 2.0], [2.0, 4.0], 0.0, 0.1, 3{extra}),)),)\n")
    (folder / "course.toml").write_text('[course]\nname = "c"\n[[lessons]]\nname = "lesson1_fit"\nnumber = 1\n'
                                        'checks = "checks.py"\nreference = "solutions/lesson1_fit.py"\n')
    return folder


def test_a_layout_names_the_arguments_it_reads(tmp_path: Path) -> None:
    loaded = load_course(course(tmp_path, 'per_epoch(epochs="epochs")'))
    report = grade_path(tmp_path / "solutions" / "lesson1_fit.py", course=loaded)
    assert [t.status for t in report.tasks] == ["passed"]
    student = tmp_path / "student" / "lesson1_fit.py"
    student.parent.mkdir()
    student.write_text(REFERENCE.replace("range(epochs)", "range(epochs + 1)"))
    (task,) = grade_path(student, course=loaded).tasks
    assert task.status == "failed" and "one per epoch, 3 epochs" in task.feedback  # the named argument's value


def test_a_layout_naming_an_argument_the_function_lacks_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CourseError, match=r"lesson lesson1_fit \(checks.py\), task fit: the layout's "
                                          r"epochs='epoch' is not a parameter of \(xs, ys, w, lr, epochs\)"):
        load_course(course(tmp_path, 'per_epoch(epochs="epoch")'))


def test_a_helper_handed_to_student_code_is_checked_at_load(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    with pytest.raises(CourseError, match=r"task fit: Fn\('quadratik'\) names no helper; there are heavy_ball"):
        load_course(course(tmp_path / "a", 'per_epoch(epochs="epochs")', extra=", Fn('quadratik')"))


def test_an_installed_package_names_its_course_through_an_entry_point(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata
    import sys

    from conftest import grade

    package = tmp_path / "site" / "fit_course"
    course(package, 'per_epoch(epochs="epochs")')
    (package / "__init__.py").write_text('"""A course shipped as a package."""\n')
    monkeypatch.setattr(sys, "path", [str(tmp_path / "site"), *sys.path])
    entry = importlib.metadata.EntryPoint("fit", "fit_course", "gradekit.courses")
    monkeypatch.setattr(importlib.metadata, "entry_points",
                        lambda group=None: [entry] if group == "gradekit.courses" else [])
    result = grade("check", str(package / "solutions" / "lesson1_fit.py"), "--course", "fit")
    assert result.exit_code == 0 and "Total: 2/2 points" in result.stdout
    missing = grade("check", str(package / "solutions"), "--course", "nofit")
    assert missing.exit_code == 1
    assert "nofit is neither a course folder nor an installed course (installed: fit)" in missing.stderr
