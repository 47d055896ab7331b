"""Only regular files of a submission are read (issue 13, finding 8): no link is followed, no FIFO or device opened.

A root grader that follows a student's symbolic link shows what it points to (``/etc/shadow``) in the
feedback, grades the reference as the student's work, or hangs on a named pipe.  Each test hands in such
a file, through ``grade check``, ``grade batch`` or ``grade submit``, and checks what the student and
the instructor read.
"""

from __future__ import annotations

import csv
import json
import os
import stat
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, grade, grade_json
from grader import loader
from grader.courses import builtin
from grader.loader import discover, read_lesson
from grader.workflows.pack import manifest_notes, pack_submission

BY_NUMBER = builtin().by_number

REFERENCE = ROOT / "solutions" / "lesson1_linear.py"
SOLUTION = REFERENCE.read_text(encoding="utf-8")
LESSON2 = (ROOT / "solutions" / "lesson2_two_weights.py").read_text(encoding="utf-8")
SECRET = "root:SECRET-7f3a9c:19000:0:99999:7:::"
LINKED = "lesson1_linear.py is a symbolic link: not graded; hand in the file itself"
FORWARD = ("-k", "lesson1_linear.forward")
BOTH = (*FORWARD, "-k", "lesson2_two_weights.dC_dw1")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def secret(tmp_path: Path) -> Path:
    """A file outside every submission, as /etc/shadow is."""
    return write(tmp_path / "outside" / "shadow", SECRET + "\n")


def batch(subs: Path, out: Path, *args: str):
    return grade("batch", str(subs), "--out", str(out), "--quiet", *args)


def gradebook(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def everything_written(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file())


def test_a_link_to_a_file_outside_shows_none_of_it(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    (subs / "alice").mkdir(parents=True)
    (subs / "alice" / "lesson1_linear.py").symlink_to(secret(tmp_path))
    write(subs / "bob" / "lesson1_linear.py", SOLUTION)
    assert batch(subs, out, *FORWARD).exit_code == 0
    assert SECRET not in everything_written(out)
    assert "SECRET" not in everything_written(out)
    assert LINKED in (out / "alice" / "feedback.txt").read_text(encoding="utf-8")
    book = gradebook(out)
    assert (book["alice"]["total"], book["bob"]["total"]) == ("0", "1")


def test_a_link_to_the_reference_scores_nothing(tmp_path):
    (tmp_path / "lesson1_linear.py").symlink_to(REFERENCE)
    code, document = grade_json(tmp_path, *FORWARD)
    assert code == 1 and document["score"] == 0
    assert document["output"] == f"lesson1_linear: {LINKED}"  # said once, on the file


def test_a_linked_folder_is_not_searched(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    (subs / "alice").mkdir(parents=True)
    (subs / "alice" / "work").symlink_to(ROOT / "solutions", target_is_directory=True)
    assert batch(subs, out, *FORWARD).exit_code == 0
    assert gradebook(out)["alice"]["total"] == "0"
    assert "not graded: no lesson files in " in (out / "alice" / "feedback.txt").read_text(encoding="utf-8")


def test_beside_a_real_file_a_link_for_the_same_lesson_is_noted_and_the_file_graded(tmp_path):
    write(tmp_path / "lesson1_linear.py", SOLUTION.replace("return x * w", "return x * w + 1"))
    (tmp_path / "lesson1_linear (2).py").symlink_to(REFERENCE)  # the newer one, by its own time
    files, notes = discover(tmp_path, BY_NUMBER)
    assert files == {"lesson1_linear": tmp_path / "lesson1_linear.py"}
    assert notes == ["lesson1_linear (2).py is a symbolic link: not graded; hand in the file itself"]
    code, document = grade_json(tmp_path, *FORWARD)
    assert document["score"] == 0 and "lesson1_linear (2).py is a symbolic link" in document["output"]


def test_a_fifo_named_as_a_lesson_does_not_hang_grade_check_and_the_rest_is_graded(tmp_path):
    os.mkfifo(tmp_path / "lesson1_linear.py")
    write(tmp_path / "lesson2_two_weights.py", LESSON2)
    done = subprocess.run([sys.executable, "-m", "grader", "check", str(tmp_path), "--format", "json", *BOTH],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    document = json.loads(done.stdout)
    tests = {t["name"]: t for t in document["tests"]}
    assert tests["lesson2_two_weights.dC_dw1"]["status"] == "passed"
    assert tests["lesson1_linear.forward"]["score"] == 0
    assert "lesson1_linear: lesson1_linear.py is a named pipe: not graded; hand in the file itself" in \
        document["output"]


def test_a_fifo_does_not_hang_the_batch(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    (subs / "alice").mkdir(parents=True)
    os.mkfifo(subs / "alice" / "lesson1_linear.py")
    os.mkfifo(subs / "bob.py")  # an entry of the batch folder itself
    os.mkfifo(subs / "carol.zip")
    write(subs / "dave" / "lesson1_linear.py", SOLUTION)
    done = subprocess.run([sys.executable, "-m", "grader", "batch", str(subs), "--out", str(out), "--quiet",
                           *FORWARD], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    book = gradebook(out)
    assert {ident: row["total"] for ident, row in book.items()} == {"alice": "0", "bob": "0", "carol": "0",
                                                                    "dave": "1"}
    assert "lesson1_linear.py is a named pipe: not graded" in (out / "alice" / "feedback.txt").read_text()
    assert "not graded: bob.py is a named pipe; hand in the file itself" in (out / "bob" / "feedback.txt").read_text()
    assert "not graded: carol.zip is a named pipe; hand in the file itself" in \
        (out / "carol" / "feedback.txt").read_text()


def test_a_submission_that_is_itself_a_link_is_refused_for_it_alone(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    subs.mkdir()
    (subs / "alice").symlink_to(ROOT / "solutions", target_is_directory=True)
    (subs / "bob.py").symlink_to(REFERENCE)
    write(subs / "carol" / "lesson1_linear.py", SOLUTION)
    assert batch(subs, out, *FORWARD).exit_code == 0
    assert {ident: row["total"] for ident, row in gradebook(out).items()} == {"alice": "0", "bob": "0", "carol": "1"}
    assert "not graded: alice is a symbolic link; hand in the folder itself" in \
        (out / "alice" / "feedback.txt").read_text()
    assert "not graded: bob.py is a symbolic link; hand in the file itself" in (out / "bob" / "feedback.txt").read_text()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [row["id"] for row in summary["not_graded"]] == ["alice", "bob"]


def test_a_linked_zip_in_an_lms_folder_is_refused(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    with zipfile.ZipFile(tmp_path / "reference.zip", "w") as zf:
        zf.write(REFERENCE, "lesson1_linear.py")
    (subs / "erin_assignsubmission_file").mkdir(parents=True)
    (subs / "erin_assignsubmission_file" / "submission.zip").symlink_to(tmp_path / "reference.zip")
    assert batch(subs, out, *FORWARD).exit_code == 0
    assert gradebook(out)["erin_assignsubmission_file"]["total"] == "0"
    assert "submission.zip is a symbolic link: not graded; hand in the file itself" in \
        (out / "erin_assignsubmission_file" / "feedback.txt").read_text()


def in_time(function, *args, seconds: float = 10):
    """``function(*args)``, failing the test (not hanging it) if it takes longer than ``seconds``."""
    result: list = []
    thread = threading.Thread(target=lambda: result.append(function(*args)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert result, f"{function.__name__} still running after {seconds} s"
    return result[0]


def test_read_lesson_opens_no_fifo_and_follows_no_link(tmp_path):
    os.mkfifo(tmp_path / "lesson1_linear.py")
    (tmp_path / "lesson2_two_weights.py").symlink_to(secret(tmp_path))
    assert in_time(read_lesson, "lesson1_linear", tmp_path / "lesson1_linear.py").problem == \
        "lesson1_linear.py is a named pipe: not graded; hand in the file itself"
    linked = read_lesson("lesson2_two_weights", tmp_path / "lesson2_two_weights.py")
    assert linked.cells == () and linked.problem == \
        "lesson2_two_weights.py is a symbolic link: not graded; hand in the file itself"


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_read_lesson_opens_no_device(tmp_path):
    os.mknod(tmp_path / "lesson1_linear.py", 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # as /dev/zero
    assert in_time(read_lesson, "lesson1_linear", tmp_path / "lesson1_linear.py").problem == \
        "lesson1_linear.py is a device: not graded; hand in the file itself"


def test_a_folder_walk_stops_at_its_cap_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "MAX_ENTRIES", 5)
    for k in range(8):
        write(tmp_path / "deep" / f"notes{k}.txt", "")
    write(tmp_path / "zzz" / "lesson1_linear.py", SOLUTION)
    with pytest.raises(loader.NoLessonsFound, match="only the first 5 files and folders were searched"):
        discover(tmp_path, BY_NUMBER)


def test_manifest_notes_read_no_link(tmp_path):
    write(tmp_path / "manifest.json", json.dumps({"files": [{"name": "lesson1_linear.py", "sha256": "0" * 64}]}))
    (tmp_path / "lesson1_linear.py").symlink_to(secret(tmp_path))
    assert manifest_notes(tmp_path) == [LINKED]


def test_grade_submit_packs_no_link(tmp_path):
    folder = tmp_path / "work"
    write(folder / "lesson2_two_weights.py", LESSON2)
    (folder / "lesson1_linear.py").symlink_to(secret(tmp_path))
    pack_submission(path=folder, out=tmp_path / "submission.zip", tasks=("lesson2_two_weights.dC_dw1",))
    with zipfile.ZipFile(tmp_path / "submission.zip") as zf:
        assert sorted(zf.namelist()) == ["lesson2_two_weights.py", "manifest.json"]
        assert all(SECRET.encode() not in zf.read(name) for name in zf.namelist())
