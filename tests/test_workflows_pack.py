"""`grade submit`: one zip with the lesson files and a manifest, ready for an LMS."""

from __future__ import annotations

import hashlib
import json
import zipfile

from conftest import ROOT, grade


def test_submit_packs_the_graded_files_with_hashes_and_the_self_check(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    source = (ROOT / "solutions" / "lesson1_linear.py").read_bytes()
    (work / "lesson1_linear.py").write_bytes(source)
    (work / "scratch.txt").write_text("not a lesson")
    result = grade("submit", str(work), "--out", str(tmp_path / "submission.zip"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "packed lesson1_linear into" in result.stderr and "self-check: 10/10 points" in result.stderr
    with zipfile.ZipFile(tmp_path / "submission.zip") as zf:
        assert sorted(zf.namelist()) == ["lesson1_linear.py", "manifest.json"]
        manifest = json.loads(zf.read("manifest.json"))
        assert zf.read("lesson1_linear.py") == source
    assert manifest["files"] == [{"name": "lesson1_linear.py", "bytes": len(source),
                                  "sha256": hashlib.sha256(source).hexdigest()}]
    assert manifest["self_check"]["score"] == manifest["self_check"]["max_score"] == 10
    assert manifest["self_check"]["tasks"]["lesson1_linear.train"] == 4
    assert manifest["kit"].startswith("gradekit ") and manifest["created"].endswith("+00:00")


def test_submit_without_lesson_files_is_a_usage_error(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    result = grade("submit", str(tmp_path), "--out", str(tmp_path / "s.zip"))
    assert result.exit_code == 2 and "no lesson files" in result.stderr
    assert not (tmp_path / "s.zip").exists()
