"""A batch rerun regrades what changed (issue 13, finding 14): the resume is keyed by the submission's content."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

from conftest import ROOT, grade
from grader.results import Report
from grader.workflows.batch import fingerprint

SOLUTION = (ROOT / "solutions" / "lesson1_linear.py").read_text(encoding="utf-8")
WRONG = SOLUTION.replace("return x * w", "return x * w + 1")
FORWARD = ("-k", "lesson1_linear.forward")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def batch(subs: Path, out: Path, *args: str):
    return grade("batch", str(subs), "--out", str(out), "--quiet", *FORWARD, *args)


def totals(out: Path) -> dict[str, str]:
    rows = (out / "gradebook.csv").read_text(encoding="utf-8").splitlines()[1:]
    return {row.split(",")[0]: row.split(",")[1] for row in rows}


def stamp(out: Path, ident: str) -> int:
    return (out / ident / "report.json").stat().st_mtime_ns


def test_a_changed_file_is_graded_again_and_unchanged_ones_are_skipped(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    write(subs / "alice" / "lesson1_linear.py", WRONG)
    write(subs / "bob" / "lesson1_linear.py", SOLUTION)
    assert batch(subs, out).exit_code == 0
    assert totals(out) == {"alice": "0", "bob": "1"}
    bob = stamp(out, "bob")

    write(subs / "alice" / "lesson1_linear.py", SOLUTION)  # alice hands in a fixed file under the same name
    again = batch(subs, out)
    assert again.exit_code == 0
    assert "1 submission(s) already graded" in again.stderr
    assert totals(out) == {"alice": "1", "bob": "1"}
    assert "Total: 1/1 points" in (out / "alice" / "feedback.txt").read_text(encoding="utf-8")
    assert stamp(out, "bob") == bob


def test_the_same_files_downloaded_again_are_not_graded_again(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    write(subs / "alice" / "lesson1_linear.py", SOLUTION)
    shutil.copy(subs / "alice" / "lesson1_linear.py", subs / "bob.py")
    assert batch(subs, out).exit_code == 0
    before = {ident: stamp(out, ident) for ident in ("alice", "bob")}
    for file in (subs / "alice" / "lesson1_linear.py", subs / "bob.py"):
        os.utime(file, (2_000_000_000, 2_000_000_000))  # a new download: new times, same bytes
    again = batch(subs, out)
    assert "2 submission(s) already graded" in again.stderr
    assert {ident: stamp(out, ident) for ident in ("alice", "bob")} == before


def test_a_zip_whose_bytes_changed_is_graded_again(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    subs.mkdir()
    with zipfile.ZipFile(subs / "carol.zip", "w") as zf:
        zf.writestr("lesson1_linear.py", WRONG)
    assert batch(subs, out).exit_code == 0
    with zipfile.ZipFile(subs / "carol.zip", "w") as zf:
        zf.writestr("lesson1_linear.py", SOLUTION)
    assert batch(subs, out).exit_code == 0
    assert totals(out) == {"carol": "1"}


def test_a_file_added_to_a_folder_changes_its_fingerprint_and_a_link_counts_by_its_name_only(tmp_path):
    folder = write(tmp_path / "alice" / "lesson1_linear.py", SOLUTION).parent
    target = write(tmp_path / "elsewhere.txt", "one")
    (folder / "data.txt").symlink_to(target)
    first = fingerprint(folder)
    target.write_text("two", encoding="utf-8")  # what the link points to is never read
    assert fingerprint(folder) == first
    write(folder / "notes" / "more.py", "x = 1\n")
    assert fingerprint(folder) != first


def test_a_report_of_an_earlier_version_loads_and_its_submission_is_graded_again(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    write(subs / "alice" / "lesson1_linear.py", SOLUTION)
    assert batch(subs, out).exit_code == 0
    kept = out / "alice" / "report.json"
    old = json.loads(kept.read_text(encoding="utf-8"))
    digest = old.pop("digest")  # as versions before the content key wrote it
    assert len(digest) == 64
    kept.write_text(json.dumps(old), encoding="utf-8")
    assert Report.from_dict(old).score == 1.0
    again = batch(subs, out)
    assert again.exit_code == 0 and "already graded" not in again.stderr  # its content is unknown: graded again
    assert json.loads(kept.read_text(encoding="utf-8"))["digest"] == digest


def test_a_rerun_that_grades_other_tasks_grades_every_submission_again(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    write(subs / "alice" / "lesson1_linear.py", SOLUTION)
    assert batch(subs, out).exit_code == 0
    assert totals(out) == {"alice": "1"}
    wider = grade("batch", str(subs), "--out", str(out), "--quiet", "-k", "lesson1_linear")
    assert wider.exit_code == 0 and "already graded" not in wider.stderr
    assert totals(out) == {"alice": "10"}  # not the report of the run that graded forward alone
