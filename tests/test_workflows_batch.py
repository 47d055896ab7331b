"""`grade batch` on a real folder as an LMS gives it: every kind of entry, the class files, resuming, kill -9."""

from __future__ import annotations

import contextlib
import csv
import json
import re
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SUBMISSIONS, grade
from grader.workflows import batch as batch_module
from grader.workflows.pack import pack_submission

SOLUTION = (ROOT / "solutions" / "lesson1_linear.py").read_text(encoding="utf-8")
TASKS = ("-k", "lesson1_linear.forward", "-k", "lesson1_linear.gradient")
# Right on the public inputs only, and printing its inputs: hidden data must still never reach the student.
PUBLIC_ONLY = SOLUTION + '''
_right = forward


def forward(x, w):
    print("forward called with", x, w)
    return _right(x, w) if (x, w) in {(2.0, 3.0), (-1.5, 4.0), (0.0, 7.0)} else _right(x, w) + 1.0
'''
HIDDEN_DATA = ("3.25", "-2.5", "8.125", "7.125")  # lesson 1's hidden forward case, its answer, the wrong answer


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_class(folder: Path) -> Path:
    """A folder of submissions with one entry of every kind."""
    write(folder / "alice" / "lesson1_linear.py", SOLUTION)
    write(folder / "carol" / "lesson1_linear.py", PUBLIC_ONLY)
    shutil.copy(SUBMISSIONS / "wrong_sign_gradient" / "lesson1_linear.py", folder / "lesson1_linear (2).py")
    shutil.copy(SUBMISSIONS / "notebook" / "lesson1_linear.ipynb", folder / "Lesson1_Linear (3).ipynb")
    pack_submission(path=SUBMISSIONS / "wrong_sign_gradient", out=folder / "dave.zip", tasks=("forward",))
    (folder / "erin_12_assignsubmission_file").mkdir()  # an LMS's folder around an uploaded zip
    shutil.copy(folder / "dave.zip", folder / "erin_12_assignsubmission_file" / "submission.zip")
    with zipfile.ZipFile(folder / "evil.zip", "w") as zf:
        zf.writestr("../lesson1_linear.py", SOLUTION)
    write(folder / "notes.txt", "not a submission")
    return folder


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class graded once: (result, OUT)."""
    root = tmp_path_factory.mktemp("class")
    subs, out = make_class(root / "subs"), root / "out"
    result = grade("batch", str(subs), "--out", str(out), "--jobs", "2", *TASKS)
    return result, out


def results(out: Path, ident: str) -> dict:
    return json.loads((out / ident / "results.json").read_text(encoding="utf-8"))


def test_every_entry_is_one_submission_in_the_gradebook(graded):
    result, out = graded
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # progress and chatter go to stderr
    assert "ignored notes.txt: not a folder, .py, .ipynb or .zip" in result.stderr
    assert re.search(r"graded 7 submission\(s\) in \d+\.\d s, \d+\.\d per second; 7 in the gradebook: ",
                     result.stderr)
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["id", "total", "max", "lesson1_linear.forward", "lesson1_linear.gradient"]
    by_id = {row["id"]: row for row in rows}
    assert sorted(by_id) == ["Lesson1_Linear_3", "alice", "carol", "dave", "erin_12_assignsubmission_file", "evil",
                             "lesson1_linear_2"]
    assert by_id["erin_12_assignsubmission_file"]["total"] == by_id["dave"]["total"] == "1"
    assert by_id["alice"] == {"id": "alice", "total": "3", "max": "3", "lesson1_linear.forward": "1",
                                    "lesson1_linear.gradient": "2"}
    assert (by_id["lesson1_linear_2"]["total"], by_id["lesson1_linear_2"]["lesson1_linear.gradient"]) == ("1", "0")
    assert by_id["carol"]["lesson1_linear.forward"] == "0"  # failed a hidden case: hidden checks ran
    assert by_id["evil"]["total"] == "0" and by_id["evil"]["lesson1_linear.forward"] == ""
    for ident in by_id:
        assert (out / ident / "feedback.txt").read_text(encoding="utf-8").strip()
        assert set(results(out, ident)) >= {"score", "max_score", "tests"}


def test_feedback_is_the_text_report_from_the_submissions_own_names(graded):
    _, out = graded
    feedback = (out / "dave" / "feedback.txt").read_text(encoding="utf-8")
    assert "lesson1_linear  (dave.zip/lesson1_linear.py)" in feedback
    assert "FAIL  gradient" in feedback and "Total: 1/3 points, 1 of 2 tasks passed" in feedback
    assert "grade-zip-" not in feedback  # never the temporary folder it was unpacked in


def test_a_traceback_from_a_zip_names_the_zip_not_the_temporary_folder(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    subs.mkdir()
    with zipfile.ZipFile(subs / "frank.zip", "w") as zf:
        zf.write(SUBMISSIONS / "raises_in_gradient" / "lesson1_linear.py", "lesson1_linear.py")
    assert grade("batch", str(subs), "--out", str(out), "--quiet", "-k", "lesson1_linear.gradient").exit_code == 0
    feedback = (out / "frank" / "feedback.txt").read_text(encoding="utf-8")
    assert 'File "frank.zip/lesson1_linear.py", line' in feedback
    assert "grade-zip-" not in feedback


def test_a_zip_with_no_lesson_file_is_named_as_the_student_named_it(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    subs.mkdir()
    with zipfile.ZipFile(subs / "gina.zip", "w") as zf:
        zf.writestr("notes.txt", "my answers are in my head")
    assert grade("batch", str(subs), "--out", str(out), "--quiet").exit_code == 0
    feedback = (out / "gina" / "feedback.txt").read_text(encoding="utf-8")
    assert "not graded: no lesson files in gina.zip: expected files like lesson1_linear.py" in feedback
    assert "grade-zip-" not in feedback and str(tmp_path) not in feedback


def test_hidden_failure_shows_no_hidden_data_and_is_shown_after_publishing(graded):
    _, out = graded
    feedback = (out / "carol" / "feedback.txt").read_text(encoding="utf-8")
    document = results(out, "carol")
    forward = next(t for t in document["tests"] if t["name"] == "lesson1_linear.forward")
    assert "a hidden check (negative weight) failed" in feedback and "hidden check" in forward["output"]
    for text in (feedback, json.dumps(document)):
        assert not any(value in text for value in HIDDEN_DATA), text
    assert "forward called with" not in feedback  # what the code printed can show hidden inputs
    assert forward["visibility"] == "after_published"
    assert {t["visibility"] for t in results(out, "alice")["tests"]} == {"visible"}


def test_unsafe_zip_is_refused_for_that_submission_only(graded):
    _, out = graded
    feedback = (out / "evil" / "feedback.txt").read_text(encoding="utf-8")
    assert "not graded: evil.zip has an entry that leaves its folder: '../lesson1_linear.py'" in feedback
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [row["id"] for row in summary["not_graded"]] == ["evil"]


def test_class_summary_has_pass_rates_and_frequent_mistakes(graded):
    _, out = graded
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    rates = {row["task"]: (row["passed"], row["graded"]) for row in summary["tasks"]}
    assert rates == {"lesson1_linear.forward": (5, 6), "lesson1_linear.gradient": (3, 6)}
    gradient = [m for m in summary["mistakes"] if m["task"] == "lesson1_linear.gradient"]
    assert gradient and gradient[0]["count"] == 3  # the same wrong file: as a .py, in a zip, in a folder
    text = (out / "summary.md").read_text(encoding="utf-8")
    assert "| `lesson1_linear.forward` | 5 | 6 | 83% | 0 |" in text and "## Most frequent mistakes" in text


def test_packed_zip_whose_file_changed_after_packing_is_noted(tmp_path):
    subs = tmp_path / "subs"
    pack_submission(path=ROOT / "solutions" / "lesson1_linear.py", out=tmp_path / "packed.zip", tasks=("forward",))
    subs.mkdir()
    with zipfile.ZipFile(tmp_path / "packed.zip") as src, zipfile.ZipFile(subs / "eve.zip", "w") as dst:
        dst.writestr("manifest.json", src.read("manifest.json"))
        dst.writestr("lesson1_linear.py", SOLUTION + "\n# edited later\n")
    result = grade("batch", str(subs), "--out", str(tmp_path / "out"), "--quiet", "-k", "lesson1_linear.forward")
    assert result.exit_code == 0 and "grading" not in result.stderr  # --quiet: no progress bar
    assert "lesson1_linear.py changed after it was packed" in (tmp_path / "out" / "eve" / "feedback.txt").read_text()


def test_rerun_skips_finished_submissions_and_force_grades_them_again(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    write(subs / "alice" / "lesson1_linear.py", SOLUTION)
    args = ("batch", str(subs), "--out", str(out), "--quiet", "-k", "lesson1_linear.forward")
    assert grade(*args).exit_code == 0
    first = (out / "alice" / "report.json").stat().st_mtime_ns
    again = grade(*args)
    assert "1 submission(s) already graded" in again.stderr
    assert (out / "alice" / "report.json").stat().st_mtime_ns == first
    grade(*args, "--force")
    assert (out / "alice" / "report.json").stat().st_mtime_ns != first


def test_grader_failure_on_one_submission_exits_1_and_is_retried_next_run(tmp_path, monkeypatch):
    subs, out = tmp_path / "subs", tmp_path / "out"
    write(subs / "alice" / "lesson1_linear.py", SOLUTION)
    write(subs / "bob" / "lesson1_linear.py", SOLUTION)
    real = batch_module.grade_path

    def broken_for_bob(path, **kwargs):
        if Path(path).name == "bob":
            raise RuntimeError("grader bug")
        return real(path, **kwargs)

    monkeypatch.setattr(batch_module, "grade_path", broken_for_bob)
    result = grade("batch", str(subs), "--out", str(out), "--quiet", "-k", "lesson1_linear.forward")
    assert result.exit_code == 1 and "the grader failed on bob: RuntimeError: grader bug" in result.stderr
    assert "could not be graded: RuntimeError: grader bug" in (out / "bob" / "feedback.txt").read_text()
    assert (out / "gradebook.csv").read_text().splitlines()[1:] == ["alice,1,1,1", "bob,0,1,"]
    monkeypatch.setattr(batch_module, "grade_path", real)
    result = grade("batch", str(subs), "--out", str(out), "--quiet", "-k", "lesson1_linear.forward")
    assert result.exit_code == 0 and "1 submission(s) already graded" in result.stderr
    assert (out / "gradebook.csv").read_text().splitlines()[1:] == ["alice,1,1,1", "bob,1,1,1"]


def test_a_run_resumed_over_reports_of_an_earlier_version_keeps_them_in_the_gradebook(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    write(subs / "alice" / "lesson1_linear.py", SOLUTION)
    args = ("batch", str(subs), "--out", str(out), "--quiet", "-k", "lesson1_linear.forward")
    assert grade(*args).exit_code == 0
    kept = out / "alice" / "report.json"
    kept.write_text(json.dumps({**json.loads(kept.read_text()), "extra": {}}))  # a field earlier versions wrote
    write(subs / "bob" / "lesson1_linear.py", SOLUTION)
    assert grade(*args).exit_code == 0
    rows = (out / "gradebook.csv").read_text().splitlines()
    assert [r.split(",")[0] for r in rows[1:]] == ["alice", "bob"]


def test_one_grader_error_on_many_submissions_is_said_once(tmp_path, monkeypatch):
    subs, out = tmp_path / "subs", tmp_path / "out"
    for k in range(8):
        write(subs / f"s{k}" / "lesson1_linear.py", SOLUTION)

    def broken(path, **kwargs):
        raise RuntimeError("grader bug")

    monkeypatch.setattr(batch_module, "grade_path", broken)
    result = grade("batch", str(subs), "--out", str(out), "--quiet", "-k", "lesson1_linear.forward")
    assert result.exit_code == 1
    assert "the grader failed on s0, s1, s2, s3, s4 and 3 more: RuntimeError: grader bug (rerun" in result.stderr
    assert result.stderr.count("grader bug") == 1


def test_an_unknown_sandbox_setting_stops_the_batch_with_one_message(tmp_path, monkeypatch):
    for k in range(3):
        write(tmp_path / "subs" / f"s{k}" / "lesson1_linear.py", SOLUTION)
    monkeypatch.setenv("GRADEKIT_SANDBOX", "process")
    result = grade("batch", str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--quiet")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: GRADEKIT_SANDBOX=process: expected auto, bwrap, user or none"


def test_output_folder_inside_submissions_is_a_usage_error(tmp_path):
    write(tmp_path / "alice" / "lesson1_linear.py", SOLUTION)
    result = grade("batch", str(tmp_path), "--out", str(tmp_path / "grades"))
    assert result.exit_code == 2 and "must not be inside" in result.stderr


def test_kill_9_mid_run_loses_nothing_that_finished(tmp_path):
    slow = SOLUTION + "\nimport time\n_fast = forward\n\n\ndef forward(x, w):\n    time.sleep(0.05)\n" \
                      "    return _fast(x, w)\n"
    subs, out = tmp_path / "subs", tmp_path / "out"
    idents = [f"student{i}" for i in range(3)]
    for ident in idents:
        write(subs / ident / "lesson1_linear.py", slow)
    args = ["batch", str(subs), "--out", str(out), "--quiet", "-k", "lesson1_linear.forward"]
    proc = subprocess.Popen([sys.executable, "-m", "grader", *args, "--jobs", "1"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not list(out.glob("*/report.json")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = {p.parent.name for p in out.glob("*/report.json")}
    assert 1 <= len(finished) < len(idents)
    for ident in finished:  # whole files only, never half-written ones
        assert results(out, ident)["score"] == 1.0
        assert "Total: 1/1 points" in (out / ident / "feedback.txt").read_text(encoding="utf-8")
    stamps = {ident: (out / ident / "report.json").stat().st_mtime_ns for ident in finished}

    rerun = grade(*args)
    assert rerun.exit_code == 0
    assert f"{len(finished)} submission(s) already graded" in rerun.stderr
    assert {ident: (out / ident / "report.json").stat().st_mtime_ns for ident in finished} == stamps
    assert sorted(p.parent.name for p in out.glob("*/report.json")) == idents
    assert len((out / "gradebook.csv").read_text(encoding="utf-8").splitlines()) == 1 + len(idents)
    for pid in processes_mentioning(str(subs)):  # a sandbox the killed batch left behind (a runner issue)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def processes_mentioning(text: str) -> list[int]:
    """Ids of the processes whose command line holds ``text``."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and text.encode() in (proc / "cmdline").read_bytes():
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids
