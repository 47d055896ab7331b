"""A second course that lives outside the package, graded from its own folder through the real CLI:
check, batch, release, gradescope and course test.

``tests/courses/intro/`` was written as an instructor writes one: ``grade init``, ``grade new lesson`` twice,
then the worked examples replaced (lesson 1: a value task and a symbolic task; lesson 2: a value task and a
training loop with a mistake variant).  ``tests/courses/intro_students/`` holds a student's submission with
that mistake.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, by_task, grade

COURSE = ROOT / "tests" / "courses" / "intro"
STUDENTS = ROOT / "tests" / "courses" / "intro_students"
TASKS = ["lesson1_line.predict", "lesson1_line.dloss_db", "lesson2_descent.gradients", "lesson2_descent.fit"]


@pytest.fixture
def in_course(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current folder is the course's: no --course needed."""
    monkeypatch.chdir(COURSE)
    return COURSE


def run_engine(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m grader ARGS`` inside a built kit: the engine that runs is the kit's own copy."""
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=folder, capture_output=True, text=True,
                          timeout=120)


def solution_bodies() -> list[str]:
    """The course's marked solution bodies, each line stripped."""
    return [_normalised(body) for path in sorted((COURSE / "solutions").glob("lesson*.py"))
            for body in re.findall(r"# BEGIN SOLUTION\n(.*?)\n[ \t]*# END SOLUTION", path.read_text("utf-8"), re.S)]


def _normalised(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def test_the_reference_scores_full_marks_from_the_course_folder(in_course):
    result = grade("check", "solutions/", "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["score"] == 9
    assert {name: test["score"] for name, test in by_task(document).items()} == dict(zip(TASKS, [1, 2, 2, 4]))


def test_the_stubs_score_zero_and_say_not_implemented(in_course):
    assert grade("stubs", "--check").exit_code == 0  # the committed stubs are the reference's
    result = grade("check", "exercises/")
    assert result.exit_code == 1
    assert "Total: 0/9 points, 0 of 4 tasks passed" in result.stdout
    for task in ("predict", "dloss_db", "gradients", "fit"):
        assert f"{task} is not implemented yet" in result.stdout


def test_a_student_with_the_declared_mistake_is_told_its_name(in_course):
    result = grade("check", str(STUDENTS / "loss_before_update"))
    assert result.exit_code == 1
    assert re.search(r"PASS  gradients +2/2", result.stdout)
    assert re.search(r"FAIL  fit +0/4 .*\[loss before update\]", result.stdout)
    assert "the loss is recorded before the update: compute it with the new w and b" in result.stdout
    assert "epoch 0: loss expected 7.05875, got 21.0" in result.stdout


def test_batch_grades_a_class_on_the_course_tasks(tmp_path):
    subs = tmp_path / "subs"
    for ident, files in (("correct", COURSE.glob("solutions/lesson*.py")),
                         ("not_started", COURSE.glob("exercises/lesson*.py")),
                         ("loss_before_update", (STUDENTS / "loss_before_update").glob("*.py"))):
        (subs / ident).mkdir(parents=True)
        for path in files:
            shutil.copy(path, subs / ident / path.name)
    out = tmp_path / "out"
    result = grade("batch", str(subs), "--out", str(out), "--course", str(COURSE), "--quiet")
    assert result.exit_code == 0, result.stderr
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["id", "total", "max", *TASKS]
    by_id = {row.pop("id"): row for row in rows}
    assert by_id == {
        "correct": dict(zip(["total", "max", *TASKS], ["9", "9", "1", "2", "2", "4"])),
        "loss_before_update": dict(zip(["total", "max", *TASKS], ["2", "9", "", "", "2", "0"])),
        "not_started": dict(zip(["total", "max", *TASKS], ["0", "9", "0", "0", "0", "0"])),
    }
    assert "[loss before update]" in (out / "loss_before_update" / "feedback.txt").read_text(encoding="utf-8")


def test_the_release_holds_no_reference_and_its_check_announces_the_hidden_cases(tmp_path):
    kit = tmp_path / "kit"
    result = grade("release", str(kit), "--course", str(COURSE))
    assert result.exit_code == 0, result.stderr
    names = {p.relative_to(kit).as_posix() for p in kit.rglob("*") if p.is_file()}
    assert {"course.toml", "answers.json", "checks/lesson1_line.py", "checks/lesson2_descent.py",
            "exercises/lesson1_line.py", "notebooks/lesson2_descent.ipynb"} <= names
    assert not [n for n in names if n.startswith(("solutions/", "checks/hidden/"))]
    texts = {n: _normalised((kit / n).read_text(encoding="utf-8", errors="replace")) for n in names}
    bodies = solution_bodies()
    assert len(bodies) == 4
    assert [(n, body) for body in bodies for n, text in texts.items() if body in text] == []

    done = run_engine(kit, "check", "exercises/")
    assert done.returncode == 1, done.stderr
    assert "Total: 0/9 points" in done.stdout
    assert done.stdout.count("note: 2 hidden checks will run when your work is graded") == 2

    shutil.copytree(COURSE / "solutions", tmp_path / "work", ignore=shutil.ignore_patterns("mistakes", "__*"))
    done = run_engine(kit, "check", str(tmp_path / "work"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Total: 9/9 points, 4 of 4 tasks passed" in done.stdout


def test_the_gradescope_bundle_holds_the_course_and_grades_its_hidden_cases(tmp_path):
    bundle = tmp_path / "autograder.zip"
    result = grade("gradescope", str(bundle), "--course", str(COURSE))
    assert result.exit_code == 0, result.stderr
    source = tmp_path / "source"
    with zipfile.ZipFile(bundle) as zf:
        names = set(zf.namelist())
        zf.extractall(source)
    assert {"course.toml", "answers.json", "checks/lesson1_line.py", "checks/lesson2_descent.py",
            "checks/hidden/lesson1_line.py", "checks/hidden/lesson2_descent.py"} <= names
    assert not [n for n in names if n.startswith("solutions/")]
    assert 'name = "intro"' in (source / "course.toml").read_text(encoding="utf-8")

    shutil.copytree(COURSE / "solutions", tmp_path / "work", ignore=shutil.ignore_patterns("mistakes", "__*"))
    done = run_engine(source, "check", str(tmp_path / "work"))  # the hidden cases run, from stored answers
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Total: 9/9 points" in done.stdout and "hidden checks will run" not in done.stdout
    done = run_engine(source, "check", str(STUDENTS / "loss_before_update"))
    assert "[loss before update]" in done.stdout



def test_the_course_self_test_holds(in_course):
    result = grade("course", "test")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.count("\nok    ") == 7 and result.stdout.rstrip().endswith("every check holds")

def test_a_course_built_from_scratch_grades_at_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert grade("init", "physics").exit_code == 0
    monkeypatch.chdir(tmp_path / "physics")
    manifest = (tmp_path / "physics" / "course.toml").read_text(encoding="utf-8")
    assert 'name = "physics"' in manifest
    for args in (["lesson1_motion"], ["warmup", "--number", "0", "--title", "Before we start"]):
        result = grade("new", "lesson", *args)
        assert result.exit_code == 0, result.stderr
    assert (tmp_path / "physics" / "course.toml").read_text(encoding="utf-8").startswith(manifest)  # kept

    result = grade("check", "solutions/")
    assert result.exit_code == 0, result.stdout
    assert "lesson1_motion" in result.stdout and "warmup" in result.stdout
    assert "Total: 6/6 points, 4 of 4 tasks passed" in result.stdout
    result = grade("check", "exercises/")
    assert result.exit_code == 1
    assert "Total: 0/6 points" in result.stdout and result.stdout.count("is not implemented yet") == 4


def test_init_and_new_lesson_refuse_what_would_clash(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    grade("init", "course")
    again = grade("init", "course")
    assert again.exit_code == 1 and "is a course already" in again.stderr
    monkeypatch.chdir(tmp_path / "course")
    assert grade("new", "lesson", "lesson1_first").exit_code == 0
    for args, said in ((["lesson1_other"], "lesson number 1 is lesson1_first's already"),
                       (["intro"], "does not start with lesson<N>"),
                       (["lesson1_first"], "has a lesson lesson1_first already"),
                       (["lesson2_x", "--number", "3"], "is lesson 2 by its name, not 3"),
                       (["lesson3-x"], "is not a Python name")):
        result = grade("new", "lesson", *args)
        assert result.exit_code == 1 and said in result.stderr, result.stderr
    monkeypatch.chdir(tmp_path)
    outside = grade("new", "lesson", "lesson2_x")
    assert outside.exit_code == 1 and "grade init DIR" in outside.stderr


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("breakage, said", [
    (lambda course: (course / "checks" / "lesson2_descent.py").unlink(),
     "{manifest}, lesson lesson2_descent: checks = 'checks/lesson2_descent.py' is not a file of the course"),
    (lambda course: _edit(course / "course.toml", "number = 2", "number = 1"),
     "{manifest}, lesson lesson2_descent: number 1 is also lesson1_line's; file names would clash"),
    (lambda course: _edit(course / "checks" / "hidden" / "lesson1_line.py", "case(0.75, -2.0, 3.5)",
                          "case(0.75, -2.0)"),
     "lesson lesson1_line (checks/lesson1_line.py), task predict: the case predict(0.75, -2.0) in "
     "checks/hidden/lesson1_line.py does not fit predict(x, w, b) of solutions/lesson1_line.py: "
     "missing a required argument: 'b'"),
], ids=["checks file missing", "two lessons with one number", "a case that does not fit the reference"])
def test_a_course_error_is_one_clear_message(tmp_path, breakage, said):
    course = tmp_path / "intro"
    shutil.copytree(COURSE, course)
    breakage(course)
    result = grade("check", str(COURSE / "exercises"), "--course", str(course))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {said.format(manifest=course / 'course.toml')}\n"
