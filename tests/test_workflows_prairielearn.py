"""PrairieLearn: its external-grader results, from `grade check --format prairielearn` and from the grader
PrairieLearn runs for each submission (`python -m grader.workflows.prairielearn`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT, grade
from grader.workflows import autograder
from grader.workflows.prairielearn import CRASHED, ROOT_ENV, grade_for_prairielearn

FLIPPED = (ROOT / "solutions" / "lesson1_linear.py").read_text(encoding="utf-8").replace(
    "return 2 * x * (x * w - y)\n", "return 2 * x * (y - x * w)\n", 1)


def test_check_writes_the_results_schema_with_the_score_as_a_fraction(tmp_path):
    (tmp_path / "lesson1_linear.py").write_text(FLIPPED, encoding="utf-8")
    document = json.loads(grade("check", str(tmp_path), "--format", "prairielearn").stdout)
    assert (document["gradable"], document["score"], document["message"]) == (
        True, 0.8, "8/10 points, 4 of 5 tasks passed")
    tests = {t["name"]: t for t in document["tests"]}
    assert set(tests["lesson1_linear.gradient"]) == {"name", "description", "points", "max_points", "message",
                                                     "output"}
    gradient = tests["lesson1_linear.gradient"]
    assert (gradient["points"], gradient["max_points"], gradient["description"]) == (
        0, 2, "gradient(x, y, w) returns ∂loss/∂w at that point")
    assert "expected -16.2288, got 16.2288" in gradient["output"]
    assert tests["lesson1_linear.train"]["message"] == "right; your gradient is wrong"


def test_a_file_python_cannot_read_is_not_gradable_with_the_reason(tmp_path):
    (tmp_path / "lesson1_linear.py").write_text("def forward(x, w)\n    return x * w\n", encoding="utf-8")
    document = json.loads(grade("check", str(tmp_path), "--format", "prairielearn").stdout)
    assert document == {"gradable": False,
                        "format_errors": ["lesson1_linear: line 1: SyntaxError: expected ':'\n    def forward(x, w)"]}


def test_the_grader_prairielearn_runs_writes_only_its_own_results(tmp_path, monkeypatch):
    (tmp_path / "student").mkdir()
    (tmp_path / "student" / "lesson1_linear.py").write_text(FLIPPED, encoding="utf-8")
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "results.json").write_text('{"score": 1.0}')  # left there before grading
    ended_before_results = []
    real_close = autograder.close_idle
    monkeypatch.setattr(autograder, "close_idle", lambda: (
        ended_before_results.append(not (tmp_path / "results" / "results.json").exists()), real_close()))
    assert grade_for_prairielearn(tmp_path) == 0
    assert ended_before_results == [True]
    document = json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8"))
    assert (document["gradable"], document["score"]) == (True, 0.8)  # hidden checks too: 8 of the 10 points


def test_a_submission_with_no_lesson_file_is_not_gradable(tmp_path):
    (tmp_path / "student").mkdir()
    (tmp_path / "student" / "notes.txt").write_text("hi")
    assert grade_for_prairielearn(tmp_path) == 0
    document = json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8"))
    assert document["gradable"] is False and "no lesson files" in document["format_errors"][0]


def test_a_crash_or_a_machine_with_no_boundary_is_not_gradable_and_says_so(tmp_path, monkeypatch, capsys):
    (tmp_path / "student").mkdir()
    monkeypatch.setattr(autograder.sandbox, "level", lambda: "process")
    assert grade_for_prairielearn(tmp_path) == 1
    document = json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8"))
    assert document == {"gradable": False, "format_errors": [CRASHED]}
    assert "GRADEKIT_UNSANDBOXED=1" in capsys.readouterr().err


def test_the_module_runs_as_prairielearn_calls_it(tmp_path):
    (tmp_path / "student").mkdir()
    (tmp_path / "student" / "lesson1_linear.py").write_text(FLIPPED, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "grader.workflows.prairielearn"], cwd=ROOT, timeout=300,
                          env={**os.environ, ROOT_ENV: str(tmp_path)}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8"))["score"] == 0.8


def test_a_course_worth_no_points_scores_whether_every_task_passed():
    from grader.reporters import prairielearn
    from grader.results import LessonResult, Report, TaskResult

    task = TaskResult("lesson1_linear", "warm_up", "warm_up() returns 1", 0, 0, "passed", "passed")
    assert prairielearn.to_dict(Report((LessonResult("lesson1_linear", "x.py", (task,)),)))["score"] == 1.0
    failed = TaskResult("lesson1_linear", "warm_up", "warm_up() returns 1", 0, 0, "failed", "wrong value")
    assert prairielearn.to_dict(Report((LessonResult("lesson1_linear", "x.py", (failed,)),)))["score"] == 0.0
