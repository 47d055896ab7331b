"""Where a child runs: in a bubblewrap sandbox when bubblewrap works here, else as a plain process.

``GRADEKIT_SANDBOX`` picks the level: ``auto`` (the default: the sandbox if
bubblewrap can start here, else a process), ``bwrap`` (the sandbox, or an
error) or ``none`` (a process).  Both levels get the same resource limits and a
supervisor that kills every process the student starts.  The sandbox adds its
own PID, network, IPC and UTS namespaces (so no network), a private ``/tmp``
of limited size as the working folder, and a file system that shows only the
system's ``/usr``, the Python install and its packages and the grader package,
all read-only: no reference solutions, no submission (the fork server passes
``None`` as the folder: cells travel as text).  When the grader runs as root, the student's code runs as
``nobody`` in the sandbox, so that the limit on processes applies to it.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

ENV = "GRADEKIT_SANDBOX"
BWRAP, PROCESS = "bwrap", "process"
NOBODY = 65534
TMP = "/tmp"
GRADER_DIR = Path(__file__).resolve().parents[1]
HIDDEN_PACKAGES = ("solutions",)
CHILD_PARTS = {"__init__.py", "wire.py", "runner"}  # all of the grader that the sandboxed child imports
_SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc/ld.so.cache")
_ROOT_CAPS = ("CAP_SETUID", "CAP_SETGID", "CAP_KILL")  # for the supervisor; the student's code drops them all


class SandboxUnavailable(RuntimeError):
    """``GRADEKIT_SANDBOX`` asks for something this machine cannot do."""


def level() -> str:
    """``"bwrap"`` or ``"process"``: the isolation children get, from ``GRADEKIT_SANDBOX`` and what works here."""
    wanted = _wanted()
    if wanted not in ("auto", "bwrap", "none"):
        raise SandboxUnavailable(f"{ENV}={wanted}: expected auto, bwrap or none")
    if wanted == "none":
        return PROCESS
    problem = _bwrap_problem()
    if problem is None:
        return BWRAP
    if wanted == "bwrap":
        raise SandboxUnavailable(f"{ENV}=bwrap, but bubblewrap cannot run here: {problem}")
    return PROCESS


def likely_level() -> str:
    """What :func:`level` will most likely say, without trying bubblewrap: a fork server for it can
    start booting while the trial runs (a wrong guess costs an idle server, never a wrong level)."""
    return BWRAP if _wanted() != "none" and shutil.which("bwrap") else PROCESS


def _wanted() -> str:
    return os.environ.get(ENV, "auto").strip().lower() or "auto"


def student_uid(isolation: str) -> int | None:
    """The user the student's code switches to: ``nobody`` for a root grader in the sandbox, else None."""
    return NOBODY if isolation == BWRAP and os.geteuid() == 0 else None


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
            if parent not in made:  # bubblewrap would make it 0700: unreadable for ``nobody``
                options += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
        options += ["--ro-bind", str(bind), str(bind)]
    for hidden in _hidden_dirs(hidden_packages):
        if any(_within(hidden, b) and hidden != b for b in binds):
            options += ["--tmpfs", str(hidden)]
    return tuple(options + _mask_grader(grader_dir))


def _mask_grader(grader_dir: Path) -> list[str]:
    """Hide every part of the grader package that the child does not import.

    The course modules hold the hidden checks' inputs, and a release or
    Gradescope bundle keeps every expected answer in ``grader/expected.json``:
    student code must see neither.  Folders become empty, files empty.
    """
    options = []
    for entry in sorted(grader_dir.iterdir()):
        if entry.name not in CHILD_PARTS:
            options += ["--tmpfs", str(entry)] if entry.is_dir() else ["--ro-bind", "/dev/null", str(entry)]
    return options


def _python_dirs() -> list[Path]:
    """The Python install, its packages and the virtual environment."""
    dirs = {sys.base_prefix, sys.prefix, sys.base_exec_prefix, sys.exec_prefix,
            os.path.dirname(os.path.realpath(sys.executable))}
    return [Path(d).resolve() for d in dirs]


def _hidden_dirs(packages: tuple[str, ...]) -> list[Path]:
    """Where the reference solutions are installed: masked if they lie inside a bound folder."""
    found = []
    for name in packages:
        spec = importlib.util.find_spec(name)
        found += [Path(p).resolve() for p in (spec.submodule_search_locations or ())] if spec else []
    return found


def _outermost(paths: list[Path]) -> list[Path]:
    """The paths that are not inside another one, sorted."""
    unique = sorted({p.resolve() for p in paths})
    return [p for p in unique if not any(_within(p, q) and p != q for q in unique)]


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


@functools.cache
def _bwrap_problem() -> str | None:
    """Why bubblewrap cannot start a Python child here (None: it can); tried once per process."""
    switch = f"from grader.runner.child import become; become({NOBODY}); " if student_uid(BWRAP) else ""
    probe = (f"import sys; sys.path.insert(0, {str(GRADER_DIR.parent)!r}); {switch}"
             "import fractions, importlib.util; assert importlib.util.find_spec('numpy'), 'numpy not readable'")
    try:
        done = subprocess.run(["bwrap", *bwrap_options(1), "--", sys.executable, "-I", "-c", probe],
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    if done.returncode:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else f"exit code {done.returncode}"
    return None


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
