"""`grade gradescope`: the bundle, and run_autograder on a fake /autograder root, crashes included."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SUBMISSIONS, grade
from grader.workflows import autograder
from grader.workflows.autograder import CRASHED, ROOT_ENV, autograde


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gradescope") / "autograder.zip"
    result = grade("gradescope", str(out))
    assert result.exit_code == 0, result.stderr
    return out


def fake_root(tmp_path: Path, bundle: Path, submission: Path | None) -> Path:
    """/autograder as Gradescope lays it out: source/ from the bundle, submission/, results/."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(root / "source")
    (root / "submission").mkdir()
    if submission is not None:
        (root / "submission" / submission.name).write_bytes(submission.read_bytes())
    return root


def run_autograder(root: Path, path: str) -> dict:
    script = root / "source" / "run_autograder"
    done = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, ROOT_ENV: str(root), "PATH": path})
    assert done.returncode == 0, done.stderr
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def test_bundle_has_the_scripts_the_engine_and_answers_but_no_reference_code(bundle):
    with zipfile.ZipFile(bundle) as zf:
        infos = {info.filename: info for info in zf.infolist()}
    assert {"setup.sh", "run_autograder", "pyproject.toml", "grader/expected.json", "grader/cli.py"} <= set(infos)
    assert not any(name.startswith(("solutions/", "tests/")) for name in infos)
    for script in ("setup.sh", "run_autograder"):
        assert stat.S_IMODE(infos[script].external_attr >> 16) == 0o755


def test_run_autograder_grades_with_hidden_checks_and_marks_their_visibility(bundle, tmp_path):
    student = tmp_path / "lesson1_linear.py"
    student.write_text((ROOT / "solutions" / "lesson1_linear.py").read_text(encoding="utf-8") + '''
_right = forward


def forward(x, w):
    return 0.0 if x == 3.25 else _right(x, w)  # wrong on one hidden case of forward only
''', encoding="utf-8")
    root = fake_root(tmp_path, bundle, student)
    document = run_autograder(root, f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    tests = {t["name"]: t for t in document["tests"]}
    assert tests["lesson1_linear.forward"]["status"] == "failed"  # only a hidden case can fail it
    assert "3.25" not in tests["lesson1_linear.forward"]["output"]
    assert tests["lesson1_linear.forward"]["visibility"] == "after_published"
    assert all(t["status"] == "passed" and t["visibility"] == "visible"
               for name, t in tests.items() if name != "lesson1_linear.forward")
    assert document["score"] == document["max_score"] - 1


def test_run_autograder_writes_results_even_when_python_cannot_start(bundle, tmp_path):
    root = fake_root(tmp_path, bundle, SUBMISSIONS / "wrong_sign_gradient" / "lesson1_linear.py")
    broken = tmp_path / "bin"
    broken.mkdir()
    (broken / "python3").write_text("#!/bin/sh\necho 'python3: broken' >&2\nexit 1\n")
    (broken / "python3").chmod(0o755)
    document = run_autograder(root, f"{broken}:/usr/bin:/bin")
    assert document["score"] == 0 and document["output"] == CRASHED


def test_autograde_writes_results_when_grading_crashes(tmp_path, monkeypatch, capsys):
    (tmp_path / "submission").mkdir()

    def crash(*args, **kwargs):
        raise RuntimeError("a grader bug")

    monkeypatch.setattr(autograder, "grade_submission", crash)
    assert autograde(root=tmp_path) == 1
    document = json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8"))
    assert document == {"score": 0, "output": CRASHED, "output_format": "text", "visibility": "visible",
                        "tests": []}
    assert "a grader bug" in capsys.readouterr().err  # for the instructor, not in the student's results


def test_autograde_with_no_lesson_file_tells_the_student(tmp_path):
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "notes.txt").write_text("hi")
    assert autograde(root=tmp_path) == 0
    document = json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8"))
    assert document["score"] == 0 and "no lesson files" in document["output"]
