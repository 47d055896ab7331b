"""Submission zips from an LMS are opened without trusting them."""

from __future__ import annotations

import stat
import zipfile

import pytest

from grader.workflows import unzip
from grader.workflows.unzip import UnsafeZip, extract


def make_zip(path, entries):
    """A zip with ``entries``: name → text, or a ZipInfo → text."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in entries.items():
            zf.writestr(name, text)
    return path


def symlink_info(name):
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def test_a_plain_zip_unpacks_with_its_folders(tmp_path):
    archive = make_zip(tmp_path / "a.zip", {"work/lesson1_linear.py": "x = 1\n", "work/": ""})
    extract(archive, tmp_path / "out")
    assert (tmp_path / "out" / "work" / "lesson1_linear.py").read_text() == "x = 1\n"


@pytest.mark.parametrize("entries, why", [
    ({"/etc/lesson1_linear.py": "x"}, "absolute path"),
    ({"C:/lesson1_linear.py": "x"}, "absolute path"),
    ({"../lesson1_linear.py": "x"}, "leaves its folder"),
    ({"a\\..\\..\\lesson1_linear.py": "x"}, "leaves its folder"),
    ({symlink_info("lesson1_linear.py"): "/etc/passwd"}, "symbolic link"),
])
def test_unsafe_entries_are_refused_before_anything_is_written(tmp_path, entries, why):
    archive = make_zip(tmp_path / "evil.zip", {"ok.py": "x", **entries})
    with pytest.raises(UnsafeZip, match=why):
        extract(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_zip_bombs_stop_at_the_caps(tmp_path, monkeypatch):
    monkeypatch.setattr(unzip, "MAX_BYTES", 10_000)
    bomb = make_zip(tmp_path / "bomb.zip", {"big.py": "0" * 50_000})
    with pytest.raises(UnsafeZip, match="MiB allowed"):
        extract(bomb, tmp_path / "out")
    monkeypatch.setattr(unzip, "MAX_ENTRIES", 3)
    many = make_zip(tmp_path / "many.zip", {f"f{i}.py": "" for i in range(5)})
    with pytest.raises(UnsafeZip, match="5 entries"):
        extract(many, tmp_path / "out2")


def test_a_zip_that_understates_its_sizes_unpacks_no_more_than_it_declares(tmp_path, monkeypatch):
    archive = make_zip(tmp_path / "liar.zip", {"big.py": "0" * 50_000})
    real = zipfile.ZipFile.infolist

    def understated(self):
        infos = real(self)
        for info in infos:
            info.file_size = 10
        return infos

    monkeypatch.setattr(zipfile.ZipFile, "infolist", understated)
    with pytest.raises(UnsafeZip, match="Bad CRC"):
        extract(archive, tmp_path / "out")
    assert (tmp_path / "out" / "big.py").stat().st_size <= 10


def test_not_a_zip_is_a_clear_message(tmp_path):
    (tmp_path / "fake.zip").write_text("hello")
    with pytest.raises(UnsafeZip, match="not a zip file"):
        extract(tmp_path / "fake.zip", tmp_path / "out")
