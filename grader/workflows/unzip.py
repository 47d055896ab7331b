"""Open a submission zip from an LMS without trusting it.

Every entry is checked before anything is written: no absolute path or drive,
no ``..``, no symbolic link, at most :data:`MAX_ENTRIES` entries and
:data:`MAX_BYTES` uncompressed in all, by the sizes the zip declares.  A zip
bomb cannot lie its way past that cap: :mod:`zipfile` never unpacks more of an
entry than its declared size, and an entry cut short fails its CRC check.
"""

from __future__ import annotations

import re
import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

from grader.loader import open_regular

MAX_ENTRIES = 500
MAX_BYTES = 50 * 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


class UnsafeZip(ValueError):
    """The zip cannot be opened safely; the message says why, for the instructor and the student."""


def extract(archive: Path, dest: Path) -> None:
    """Extract ``archive`` into the folder ``dest``, or raise :class:`UnsafeZip` having written nothing unsafe.

    An ``archive`` that is a link or a special file is not opened:
    :class:`grader.loader.Refused` says what it is.
    """
    try:
        with open_regular(archive) as raw, zipfile.ZipFile(raw) as zf:
            entries = zf.infolist()
            if len(entries) > MAX_ENTRIES:
                raise UnsafeZip(f"{archive.name} has {len(entries)} entries, more than the {MAX_ENTRIES} allowed")
            declared = sum(e.file_size for e in entries)
            if declared > MAX_BYTES:
                raise UnsafeZip(f"{archive.name} would unpack to {declared // 2**20} MiB, more than the "
                                f"{MAX_BYTES // 2**20} MiB allowed")
            for entry in entries:
                _check(archive, entry)
            for entry in entries:
                if not entry.is_dir():
                    _write(zf, entry, dest / PurePosixPath(entry.filename), archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError) as exc:
        raise UnsafeZip(f"{archive.name} is not a zip file that can be opened ({exc})") from None


def _check(archive: Path, entry: zipfile.ZipInfo) -> None:
    name = entry.filename
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        raise UnsafeZip(f"{archive.name} has an entry with an absolute path: {name!r}")
    if ".." in parts:
        raise UnsafeZip(f"{archive.name} has an entry that leaves its folder: {name!r}")
    if "\x00" in name:
        raise UnsafeZip(f"{archive.name} has an entry with a NUL in its name")
    if stat.S_ISLNK(entry.external_attr >> 16):
        raise UnsafeZip(f"{archive.name} has a symbolic link: {name!r}")


def _write(zf: zipfile.ZipFile, entry: zipfile.ZipInfo, target: Path, archive: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(entry) as src, open(target, "xb") as out:
            shutil.copyfileobj(src, out)
    except FileExistsError:
        raise UnsafeZip(f"{archive.name} has the entry {entry.filename!r} twice") from None
    except OSError as exc:
        raise UnsafeZip(f"{archive.name}: cannot unpack {entry.filename!r} ({exc.strerror or exc})") from None
