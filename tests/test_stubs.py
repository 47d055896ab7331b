"""Student stubs are generated from the solutions, and exercises/ is never out of date."""

from __future__ import annotations

import pytest

from conftest import ROOT, grade
from grader.courses import builtin
from grader.stubs import MarkerError, make_stub, stale


def test_exercises_are_up_to_date_with_the_solutions():
    assert stale(builtin(), ROOT / "exercises") == []


def test_marked_body_becomes_not_implemented_and_docstring_stays():
    source = 'def f(x):\n    """Doc."""\n    # BEGIN SOLUTION\n    return x\n    # END SOLUTION\n'
    stub = make_stub(source)
    assert stub == 'def f(x):\n    """Doc."""\n    raise NotImplementedError("f is not implemented yet")\n'


def test_module_level_region_is_removed():
    assert make_stub("a = 1\n# BEGIN SOLUTION\nsecret = 2\n# END SOLUTION\nb = 3\n") == "a = 1\nb = 3\n"


@pytest.mark.parametrize("source", ["# END SOLUTION\n", "# BEGIN SOLUTION\n", "# BEGIN SOLUTION\n# BEGIN SOLUTION\n"])
def test_unbalanced_markers_are_an_error(source):
    with pytest.raises(MarkerError):
        make_stub(source)


def test_stubs_command_writes_and_checks(tmp_path):
    out = tmp_path / "ex"
    notebooks = ["--notebooks", str(tmp_path / "nb")]
    assert grade("stubs", "--course", str(ROOT), "--out", str(out), *notebooks, "--check").exit_code == 1
    assert grade("stubs", "--course", str(ROOT), "--out", str(out), *notebooks).exit_code == 0
    assert grade("stubs", "--course", str(ROOT), "--out", str(out), *notebooks, "--check").exit_code == 0
    assert "# BEGIN SOLUTION" not in (out / "lesson1_linear.py").read_text()


def test_a_marker_out_of_balance_is_a_clear_error_of_the_command(tmp_path):
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    (solutions / "lesson1_linear.py").write_text("def forward(x, w):\n    # BEGIN SOLUTION\n    return x * w\n")
    (tmp_path / "checks.py").write_text("from grader.checks import Task, Value, case\n"
                                        "TASKS = (Task('forward', 1, 'forward', Value(), (case(1.0, 2.0),)),)\n")
    (tmp_path / "course.toml").write_text('[course]\nname = "c"\n[[lessons]]\nname = "lesson1_linear"\nnumber = 1\n'
                                          'checks = "checks.py"\nreference = "solutions/lesson1_linear.py"\n')
    result = grade("stubs", "--course", str(tmp_path), "--out", str(tmp_path / "ex"),
                   "--notebooks", str(tmp_path / "nb"))
    assert result.exit_code == 1
    assert result.stderr == ("Error: cannot make the stubs: solutions/lesson1_linear.py: "
                             "# BEGIN SOLUTION is never closed\n")
