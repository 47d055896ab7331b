"""`grade check` through the real CLI: verdicts, points, messages, JSON schema, exit codes."""

from __future__ import annotations

import json

from conftest import ROOT, SUBMISSIONS, grade, grade_json

LESSON1_TASKS = ["forward", "loss", "gradient", "dloss_dw", "train"]


def test_reference_lesson1_scores_full_marks():
    code, doc = grade_json(ROOT / "solutions" / "lesson1_linear.py")
    assert code == 0
    assert doc["score"] == doc["max_score"] == 10
    assert [t["name"] for t in doc["tests"]] == [f"lesson1_linear.{t}" for t in LESSON1_TASKS]
    assert all(t["status"] == "passed" for t in doc["tests"])


def test_stubs_score_zero_with_not_implemented():
    code, doc = grade_json(ROOT / "exercises" / "lesson1_linear.py")
    assert code == 1
    assert doc["score"] == 0 and doc["max_score"] == 10
    for test in doc["tests"]:
        assert test["status"] == "failed"
        assert "not implemented yet" in test["output"]


def test_json_follows_gradescope_schema_and_stdout_has_nothing_else():
    result = grade("check", str(SUBMISSIONS / "wrong_sign_gradient"), "--format", "json")
    doc = json.loads(result.stdout)  # the whole of stdout is one JSON document
    assert set(doc) >= {"score", "max_score", "tests"}
    for test in doc["tests"]:
        assert set(test) >= {"name", "score", "max_score", "status", "output"}
        assert test["status"] in ("passed", "failed")
        assert test["name"].startswith("lesson1_linear.")
        assert isinstance(test["score"], float) and isinstance(test["max_score"], (int, float))
    assert doc["score"] == sum(t["score"] for t in doc["tests"])


def test_text_report_lines_points_and_total():
    result = grade("check", str(SUBMISSIONS / "wrong_sign_gradient"))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(line.split()[:3] == ["PASS", "forward", "1/1"] for line in lines)
    assert any(line.split()[:3] == ["FAIL", "gradient", "0/2"] for line in lines)
    assert "gradient(3.0, 6.0, 1.0984): expected -16.2288, got 16.2288" in result.stdout
    assert any(line.split()[:3] == ["PASS", "train", "4/4"] for line in lines)  # right, but for its gradient
    assert lines[-1] == "Total: 6/10 points, 3 of 5 tasks passed"


def test_task_selection_with_k():
    code, doc = grade_json(ROOT / "solutions", "-k", "lesson1_linear.train", "-k", "forward")
    names = [t["name"] for t in doc["tests"]]
    assert "lesson1_linear.train" in names and "lesson1_linear.forward" in names
    assert "lesson1_linear.loss" not in names
    assert code == 0


def test_exit_code_two_for_missing_path_and_unknown_task(tmp_path):
    assert grade("check", str(tmp_path / "nope")).exit_code == 2
    assert grade("check", str(ROOT / "solutions"), "-k", "no_such_task").exit_code == 2


def test_exit_code_two_for_folder_without_lessons(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    result = grade("check", str(tmp_path))
    assert result.exit_code == 2
    assert "no lesson files" in result.stderr


def test_lesson_recognised_by_name_as_lms_downloads_give_it(tmp_path):
    source = (ROOT / "solutions" / "lesson1_linear.py").read_text()
    (tmp_path / "Lesson1_Linear (2).py").write_text(source)
    code, doc = grade_json(tmp_path, "-k", "forward")
    assert code == 0 and doc["tests"][0]["name"] == "lesson1_linear.forward"


def test_whole_course_references_score_full_marks_on_all_43_tasks():
    code, doc = grade_json(ROOT / "solutions")
    assert code == 0
    assert len(doc["tests"]) == 43
    assert doc["score"] == doc["max_score"] == 98
    assert {t["name"].split(".")[0] for t in doc["tests"]} == {
        "lesson1_linear", "lesson2_two_weights", "lesson3_quadratic", "lesson4_regression",
        "lesson5_optimizers", "lesson6_linear_layer", "lesson7_logistic"}


def test_whole_course_stubs_score_zero_each_not_implemented():
    code, doc = grade_json(ROOT / "exercises")
    assert code == 1 and len(doc["tests"]) == 43 and doc["score"] == 0
    for test in doc["tests"]:
        task = test["name"].split(".")[1]
        assert f"{task} is not implemented yet" in test["output"], test


def test_the_installed_command_keeps_its_exit_codes_and_output(tmp_path):
    # `grade` leaves without the interpreter's teardown: the exit code and every line must survive that.
    import subprocess
    import sys

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True, text=True, timeout=120)

    passed = run("check", str(ROOT / "solutions" / "lesson1_linear.py"), "--format", "json")
    assert passed.returncode == 0 and json.loads(passed.stdout)["score"] == 10
    failed = run("check", str(ROOT / "exercises" / "lesson1_linear.py"))
    assert failed.returncode == 1 and failed.stdout.rstrip().endswith("Total: 0/10 points, 0 of 5 tasks passed")
    missing = run("check", str(tmp_path / "nothing.py"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr
