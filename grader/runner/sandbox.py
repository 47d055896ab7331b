"""Where a child runs, and what keeps it from the grader: the isolation levels.

``GRADEKIT_SANDBOX`` picks the level: ``auto`` (the default: the strongest that
works here), ``bwrap``, ``user`` (each that level, or an error) or ``none``.

* ``bwrap``: a bubblewrap sandbox.  Its own PID, network, IPC and UTS
  namespaces (so no network), a private ``/tmp`` of limited size as the working
  folder, and a file system that shows only the system, the Python install and
  its packages read-only, with every copy of the grader reduced to the parts
  the child imports (an allow-list, wherever the kit is installed: ``/usr``, a
  venv, a bundle) and the reference solutions hidden.
* ``user``: for a root grader where bubblewrap cannot start (a Gradescope
  container: no user namespaces).  The worker locks itself into an empty folder
  of its own (``chroot``), so it reads no file of the grader's (answers, course,
  reference, venv) and can import only what the fork server preloaded.
* ``process``: a plain process of the grader's own user (a student's laptop
  without bubblewrap).  The same limits apply, but it is not a security
  boundary: graders of hidden checks refuse it unless told ``--unsandboxed``.

At ``bwrap`` and ``user`` a root grader runs each student's code as a user of
its own, new for every worker (:func:`fresh_uid`), so no file, keyring, process
or process count of one student is another's, and a seccomp filter
(:mod:`grader.runner.seccomp`) refuses sockets, IPC and keyrings.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ENV = "GRADEKIT_SANDBOX"
BWRAP, USER, PROCESS = "bwrap", "user", "process"
BOUNDARIES = (BWRAP, USER)
TMP = "/tmp"
SHARED = (TMP, "/dev/shm")  # what the workers of one sandbox could write to: emptied between them
GRADER_DIR = Path(__file__).resolve().parents[1]
HIDDEN_PACKAGES = ("solutions",)
CHILD_PARTS = ("__init__.py", "wire.py", "runner")  # all of the grader that the sandboxed child imports
UID_RANGE = (0x40000000, 0x7FFF0000)  # far above any real account's uid
_SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc/ld.so.cache")
_ROOT_CAPS = ("CAP_SETUID", "CAP_SETGID", "CAP_KILL")  # for the fork server; the student's code drops them all
DESCRIPTIONS = {BWRAP: "bubblewrap sandbox", USER: "separate user, locked in an empty folder (no bubblewrap)",
                PROCESS: "plain process (not a security boundary)"}


class SandboxUnavailable(RuntimeError):
    """``GRADEKIT_SANDBOX`` asks for something this machine cannot do."""


def level() -> str:
    """``"bwrap"``, ``"user"`` or ``"process"``: the isolation children get, from ``GRADEKIT_SANDBOX`` and what works here."""
    wanted = _wanted()
    if wanted not in ("auto", BWRAP, USER, "none"):
        raise SandboxUnavailable(f"{ENV}={wanted}: expected auto, bwrap, user or none")
    if wanted == "none":
        return PROCESS
    if wanted in ("auto", BWRAP):
        problem = _bwrap_problem()
        if problem is None:
            return BWRAP
        if wanted == BWRAP:
            raise SandboxUnavailable(f"{ENV}=bwrap, but bubblewrap cannot run here: {problem}")
    problem = _user_problem()
    if problem is None:
        return USER
    if wanted == USER:
        raise SandboxUnavailable(f"{ENV}=user, but it cannot be used here: {problem}")
    return PROCESS


def describe(isolation: str) -> str:
    """The level in words, as reports print it."""
    return DESCRIPTIONS.get(isolation, isolation)


def require_boundary(isolation: str, unsandboxed: bool) -> None:
    """Refuse to grade hidden checks at a level that is no security boundary, unless ``unsandboxed``."""
    if isolation in BOUNDARIES or unsandboxed:
        return
    why = ("bubblewrap cannot start here" + (f" ({_bwrap_problem()})" if shutil.which("bwrap") else
                                             " (it is not installed: apt-get install bubblewrap)")
           + ", and switching to another user needs root")
    raise SandboxUnavailable(
        f"the students' code would run as you, with your rights, able to read the hidden checks and the stored "
        f"answers and to forge its grade: {why}. Install bubblewrap, or run as root (then each student's code runs "
        f"as a user of its own), or pass --unsandboxed to grade without a security boundary (trusted code only)")


def likely_level() -> str:
    """What :func:`level` will most likely say, without trying bubblewrap: a fork server for it can
    start booting while the trial runs (a wrong guess costs an idle server, never a wrong level)."""
    wanted = _wanted()
    if wanted in ("auto", BWRAP) and shutil.which("bwrap"):
        return BWRAP
    return USER if wanted != "none" and os.geteuid() == 0 else PROCESS


def _wanted() -> str:
    return os.environ.get(ENV, "auto").strip().lower() or "auto"


def fresh_uid(isolation: str) -> int | None:
    """A user for one worker's student code: new each time for a root grader at a boundary, else None (stay)."""
    if isolation not in BOUNDARIES or os.geteuid() != 0:
        return None
    return UID_RANGE[0] + secrets.randbelow(UID_RANGE[1] - UID_RANGE[0])


def bwrap_options(disk_mb: int) -> list[str]:
    """bubblewrap's options for the sandbox: the system, Python and the child's part of the grader, read-only.

    No submission folder is bound: cells travel as text over the pipe.
    """
    return list(_options(disk_mb, GRADER_DIR, HIDDEN_PACKAGES))


@functools.lru_cache(maxsize=8)
def _options(disk_mb: int, grader_dir: Path, hidden_packages: tuple[str, ...]) -> tuple[str, ...]:
    """:func:`bwrap_options`, worked out once per process for each grader folder and hidden packages."""
    options = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
               "--die-with-parent", "--new-session", "--proc", "/proc", "--dev", "/dev",
               "--perms", "1777", "--size", str(disk_mb * 1024 * 1024), "--tmpfs", TMP, "--chdir", TMP]
    if os.geteuid() == 0:
        options += ["--cap-drop", "ALL"] + [arg for cap in _ROOT_CAPS for arg in ("--cap-add", cap)]
    for path in _SYSTEM:
        if os.path.islink(path):
            options += ["--symlink", os.readlink(path), path]
        elif os.path.exists(path):
            options += ["--ro-bind", path, path]
    visible = [Path(p) for p in _SYSTEM if os.path.isdir(p) and not os.path.islink(p)]
    binds = [b for b in _outermost(_python_dirs() + [grader_dir]) if not any(_within(b, v) for v in visible)]
    made: set[Path] = {Path("/"), Path(TMP)}
    for bind in binds:
        for parent in reversed(bind.parents):
            if parent not in made:  # bubblewrap would make it 0700: unreadable for the student's user
                options += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
        options += ["--ro-bind", str(bind), str(bind)]
    shown = visible + binds
    for hidden in _hidden_dirs(hidden_packages, grader_dir):
        if any(_within(hidden, v) for v in shown):
            options += ["--tmpfs", str(hidden), "--remount-ro", str(hidden)]
    return tuple(options + _allow_grader(grader_dir))


def _allow_grader(grader_dir: Path) -> list[str]:
    """Show of the grader package only the parts the child imports (an allow-list), read-only.

    The course modules hold the hidden checks' inputs, and a release or
    Gradescope bundle keeps every expected answer in ``grader/expected.json``:
    student code must see neither.
    """
    options = ["--tmpfs", str(grader_dir)]
    for part in CHILD_PARTS:
        options += ["--ro-bind", str(grader_dir / part), str(grader_dir / part)]
    return options + ["--remount-ro", str(grader_dir)]


def _python_dirs() -> list[Path]:
    """The Python install, its packages and the virtual environment."""
    dirs = {sys.base_prefix, sys.prefix, sys.base_exec_prefix, sys.exec_prefix,
            os.path.dirname(os.path.realpath(sys.executable))}
    return [Path(d).resolve() for d in dirs]


def _hidden_dirs(packages: tuple[str, ...], grader_dir: Path) -> list[Path]:
    """What the child must not see, wherever it is installed: the reference solutions, and every copy of the
    grader package but the one that runs (a second install would carry the course and stored answers)."""
    found = []
    for name in packages:
        spec = importlib.util.find_spec(name)
        found += [Path(p).resolve() for p in (spec.submodule_search_locations or ())] if spec else []
    for entry in map(Path, sys.path):
        for name in ("grader", *packages):
            candidate = (entry / name).resolve() if entry.is_dir() else None
            if candidate and candidate.is_dir() and candidate != grader_dir and (candidate / "__init__.py").exists():
                found.append(candidate)
    return sorted(set(found))


def _outermost(paths: list[Path]) -> list[Path]:
    """The paths that are not inside another one, sorted."""
    unique = sorted({p.resolve() for p in paths})
    return [p for p in unique if not any(_within(p, q) and p != q for q in unique)]


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


PROBE = ("import sys; sys.path.insert(0, {path!r}); from grader.runner.jail import probe; probe({config!r})")


def _probe(prefix: list[str], config: dict[str, object]) -> str | None:
    """Why a confined Python child cannot start behind ``prefix`` (None: it can)."""
    code = PROBE.format(path=str(GRADER_DIR.parent), config=json.dumps(config))
    try:
        done = subprocess.run([*prefix, sys.executable, "-I", "-c", code], stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=60, cwd="/")
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    if done.returncode:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else f"exit code {done.returncode}"
    return None


@functools.cache
def _bwrap_problem() -> str | None:
    """Why bubblewrap cannot start a confined Python child here (None: it can); tried once per process."""
    if not shutil.which("bwrap"):
        return "bwrap is not installed"
    return _probe(["bwrap", *bwrap_options(1), "--"], {"user": fresh_uid(BWRAP), "jail": None})


@functools.cache
def _user_problem() -> str | None:
    """Why the ``user`` level cannot confine a child here (None: it can); tried once per process."""
    if os.geteuid() != 0:
        return "it needs root, to switch the student's code to a user of its own"
    with tempfile.TemporaryDirectory(prefix="grade-probe-") as jail:
        return _probe([], {"user": fresh_uid(USER), "jail": jail})


def running_tasks(uid: int) -> int | None:
    """How many processes and threads ``uid`` runs now, what RLIMIT_NPROC counts (None: unknown here)."""
    if not os.path.isdir("/proc"):
        return None
    count = 0
    for entry in os.scandir("/proc"):
        try:
            if not entry.name.isdigit() or entry.stat().st_uid != uid:  # the owner: cheaper than reading status
                continue
            with open(f"/proc/{entry.name}/status", encoding="ascii", errors="replace") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        if int(fields.get("Uid", "-1").split()[0]) == uid:
            count += int(fields.get("Threads", "1"))
    return count
