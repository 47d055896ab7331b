"""Item 6 of issue 14: hidden cases are data of their own file, which a release leaves out; the engine never
rewrites a course's source."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.courses import CourseError, load_course

PUBLIC = "from grader.checks import Task, Value, case\nTASKS = (Task('forward', 1, 'forward', Value(), ({cases},)),)\n"


def course(folder: Path, public: str, hidden: str | None) -> Path:
    """A one-lesson course whose checks declare ``public`` cases, with a hidden file holding ``hidden``."""
    (folder / "solutions").mkdir(parents=True)
    (folder / "solutions" / "lesson1_x.py").write_text("def forward(x, w):\n    return x * w\n")
    (folder / "checks.py").write_text(PUBLIC.format(cases=public))
    manifest = ('[course]\nname = "c"\n[[lessons]]\nname = "lesson1_x"\nnumber = 1\nchecks = "checks.py"\n'
                'reference = "solutions/lesson1_x.py"\n')
    if hidden is not None:
        (folder / "hidden.py").write_text(f"from grader.checks import case\nCASES = {hidden}\n")
        manifest += 'hidden = "hidden.py"\n'
    (folder / "course.toml").write_text(manifest)
    return folder


def test_hidden_cases_follow_the_public_ones_marked_hidden(tmp_path: Path) -> None:
    loaded = load_course(course(tmp_path, "case(1.0, 2.0), case(3.0, 4.0)", "{'forward': (case(5.0, 6.0),)}"))
    cases = loaded.lessons["lesson1_x"].tasks[0].cases
    assert [(c.args, c.hidden) for c in cases] == [((1.0, 2.0), False), ((3.0, 4.0), False), ((5.0, 6.0), True)]


def test_a_hidden_case_in_the_checks_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CourseError, match=r"task forward: a hidden case is declared in the checks file, which "
                                          r"students get; move it to the lesson's hidden file"):
        load_course(course(tmp_path, "case(1.0, 2.0), case(5.0, 6.0, hidden=True)", None))


def test_hidden_cases_of_a_task_the_lesson_does_not_have_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CourseError, match=r"hidden.py\): CASES names backward, which the lesson does not have"):
        load_course(course(tmp_path, "case(1.0, 2.0)", "{'backward': (case(5.0, 6.0),)}"))


def test_a_lone_case_without_its_comma_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    folder = course(tmp_path / "c", "case(1.0, 2.0)", None)
    (folder / "checks.py").write_text("from grader.checks import Task, Value, case\n"
                                      "TASKS = (Task('forward', 1, 'forward', Value(), (case(1.0, 2.0))),)\n")
    with pytest.raises(CourseError, match=r"task forward: its cases must be a tuple of case\(...\) "
                                          r"\(one case alone needs a comma after it\)"):
        load_course(folder)
