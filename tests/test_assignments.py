"""Assignments (issue 14, item 9): `--assignment NAME` restricts batch, check, release and gradescope to the lessons
of one [[assignments]] entry of the course: its points, its gradebook columns, its files, its due date."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SUBMISSIONS, grade, grade_json
from grader.courses import builtin
from grader.reference import case_key
from test_workflows_gradescope import fake_root, run_autograder
from test_workflows_release import run_in

ASSIGNMENTS = """
[[assignments]]
name = "week-1"
lessons = ["lesson1_linear"]
due = 2026-12-07T23:59:00Z
late = "10% off per day"

[[assignments]]
name = "week-2"
lessons = ["lesson2_two_weights", "lesson3_quadratic"]
"""
DUE, LATE = "Due 2026-12-07 23:59:00+00:00.", "Late work: 10% off per day."
LESSONS = builtin().lessons
POINTS = {name: sum(t.points for t in lesson.tasks) for name, lesson in LESSONS.items()}
WEEK_1 = [f"lesson1_linear.{t.name}" for t in LESSONS["lesson1_linear"].tasks]
LEFT_OUT = "lesson2_two_weights.py is not part of assignment week-1: not graded"


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """The built-in course copied as an instructor's folder, with two assignments appended to its manifest."""
    folder = tmp_path_factory.mktemp("course")
    for part in ("checks", "solutions"):
        shutil.copytree(ROOT / part, folder / part, ignore=shutil.ignore_patterns("__pycache__"))
    manifest = (ROOT / "course.toml").read_text(encoding="utf-8")
    (folder / "course.toml").write_text(manifest + ASSIGNMENTS, encoding="utf-8")
    return folder


def solved(folder: Path, *lessons: str) -> Path:
    """A submission folder holding the reference solutions of ``lessons``."""
    folder.mkdir(parents=True)
    for lesson in lessons:
        shutil.copy(ROOT / "solutions" / f"{lesson}.py", folder)
    return folder


def test_batch_grades_and_counts_the_assignments_lessons_only(course, tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    solved(subs / "alice", "lesson1_linear", "lesson2_two_weights")
    (subs / "bob").mkdir(parents=True)
    shutil.copy(SUBMISSIONS / "wrong_sign_gradient" / "lesson1_linear.py", subs / "bob")
    solved(subs / "carol", "lesson2_two_weights")
    result = grade("batch", str(subs), "--out", str(out), "--course", str(course), "--assignment", "week-1", "-q")
    assert result.exit_code == 0, result.stderr
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["id", "total", "max", *WEEK_1]
    totals = {row[0]: (row[1], row[2]) for row in rows[1:]}
    assert totals["alice"] == ("10", "10") and totals["carol"] == ("0", "10")
    assert float(totals["bob"][0]) < 10 and totals["bob"][1] == "10"
    alice = json.loads((out / "alice" / "results.json").read_text(encoding="utf-8"))
    assert alice["score"] == alice["max_score"] == POINTS["lesson1_linear"] == 10
    assert [t["name"] for t in alice["tests"]] == WEEK_1
    assert LEFT_OUT in alice["output"]
    assert LEFT_OUT in (out / "alice" / "feedback.txt").read_text(encoding="utf-8")
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "Assignment week-1: lesson1_linear." in summary and DUE in summary and LATE in summary
    assert "does not enforce them" in summary
    assert "mean score" in summary and "of 10 points" in summary
    assert re.search(rf"`carol`: not graded: no lesson files of assignment week-1 in carol.*{LEFT_OUT}", summary)
    document = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert document["max_score"] == 10 and document["assignment"]["due"] == "2026-12-07 23:59:00+00:00"


def test_check_json_grades_the_assignment_out_of_its_points(course, tmp_path):
    work = solved(tmp_path / "work", "lesson1_linear", "lesson2_two_weights", "lesson3_quadratic")
    code, document = grade_json(work, "--course", str(course), "--assignment", "week-2")
    assert code == 0
    assert document["score"] == document["max_score"] == POINTS["lesson2_two_weights"] + POINTS["lesson3_quadratic"]
    assert {t["name"].split(".")[0] for t in document["tests"]} == {"lesson2_two_weights", "lesson3_quadratic"}
    assert "lesson1_linear.py is not part of assignment week-2: not graded" in document["output"]


def test_release_holds_the_assignments_lessons_and_its_check_counts_them_only(course, tmp_path):
    kit = tmp_path / "kit"
    result = grade("release", str(kit), "--course", str(course), "--assignment", "week-1")
    assert result.exit_code == 0, result.stderr
    names = {p.relative_to(kit).as_posix() for p in kit.rglob("*") if p.is_file()}
    assert {"exercises/lesson1_linear.py", "notebooks/lesson1_linear.ipynb", "checks/lesson1_linear.py"} <= names
    assert [n for n in names if re.search(r"lesson[2-6]", n)] == []
    lesson = LESSONS["lesson1_linear"]
    public = {case_key(lesson, t, c) for t in lesson.tasks for c in t.cases if not c.hidden}
    stored = set(json.loads((kit / "answers.json").read_text(encoding="utf-8"))["values"])
    assert stored and stored <= public
    readme = (kit / "README.md").read_text(encoding="utf-8")
    assert "Assignment week-1: lesson1_linear." in readme and DUE in readme and LATE in readme
    assert "does not enforce them" in readme
    work = solved(tmp_path / "work", "lesson1_linear", "lesson2_two_weights")
    done = run_in(kit, "check", str(work), "--format", "json")  # the kit's own engine and course
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["score"] == document["max_score"] == 10
    assert LEFT_OUT in document["output"]


def test_gradescope_bundle_grades_the_assignment_out_of_its_points(course, tmp_path):
    bundle = tmp_path / "autograder.zip"
    result = grade("gradescope", str(bundle), "--course", str(course), "--assignment", "week-1")
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(bundle) as zf:
        names = zf.namelist()
    assert "checks/lesson1_linear.py" in names and not [n for n in names if re.search(r"lesson[2-6]", n)]
    root = fake_root(tmp_path, bundle, None)
    solved(root / "submission" / "work", "lesson1_linear", "lesson2_two_weights")
    document = run_autograder(root, f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    assert document["score"] == document["max_score"] == 10
    assert [t["name"] for t in document["tests"]] == WEEK_1
    assert "work/lesson2_two_weights.py is not part of assignment week-1: not graded" in document["output"]


@pytest.mark.parametrize("command", ["check", "batch", "release", "gradescope"])
def test_an_unknown_assignment_is_a_usage_error_naming_the_course_s_assignments(course, tmp_path, command):
    args = {"check": [str(ROOT / "solutions")], "batch": [str(tmp_path), "--out", str(tmp_path / "out")],
            "release": [str(tmp_path / "kit")], "gradescope": [str(tmp_path / "autograder.zip")]}[command]
    result = grade(command, *args, "--course", str(course), "--assignment", "week-9")
    assert result.exit_code == 2
    assert "Invalid value for '--assignment': the course ml-basics has no assignment 'week-9'; " \
           "its assignments: week-1, week-2" in result.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "kit").exists()


def test_a_course_without_assignments_says_so(tmp_path):
    result = grade("check", str(ROOT / "solutions" / "lesson1_linear.py"), "--assignment", "week-1")
    assert result.exit_code == 2
    assert "has no assignment 'week-1'; its assignments: none (add [[assignments]] to its course.toml)" \
           in result.stderr
