"""Student code is untrusted: each hostile or broken submission fails on its own, and nothing escapes.

Every folder of tests/corpus/ is graded through the real CLI, in the bubblewrap
sandbox (when it can run here) and as a plain process; its expected.json gives
the status and a piece of the feedback of each task.  The other tests drive the
runner directly, with small limits so that the machine stays safe.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from conftest import ROOT, by_task, grade, grade_json
from grader import wire
from grader.grading import grade_path
from grader.loader import Cell, LessonSource
from grader.reporters.text import render
from grader.runner import sandbox
from grader.runner.process import Limits
from grader.runner.runner import LessonRun, Outcome

CORPUS = Path(__file__).resolve().parent / "corpus"
SMALL = Limits(task_seconds=1.0, load_seconds=5.0, memory_mb=512)


def _bwrap_usable() -> bool:
    try:
        return sandbox.level() == sandbox.BWRAP
    except sandbox.SandboxUnavailable:  # forced with GRADEKIT_SANDBOX=bwrap: run the tests, let them fail loudly
        return True


BWRAP = pytest.mark.skipif(not _bwrap_usable(), reason="bubblewrap cannot run here (apt-get install bubblewrap)")
ROOT_USER = os.geteuid() == 0
AS_ROOT = pytest.mark.skipif(not ROOT_USER, reason="the user level needs root (as Gradescope runs the grader)")
LEVELS = [pytest.param("none", id="process"), pytest.param("bwrap", id="bwrap", marks=BWRAP),
          pytest.param("user", id="user", marks=AS_ROOT)]
BOUNDARY_LEVELS = LEVELS[1:]


def processes_with(marker: str) -> list[int]:
    """The pids of the processes whose command line holds ``marker``."""
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                    if marker.encode() in cmdline.read():
                        found.append(int(entry.name))
            except OSError:
                continue
    return found


def settle(marker: str, count: int) -> int:
    """How many processes carry ``marker`` once ``count`` of them do, or after a second."""
    deadline = time.monotonic() + 1.0
    while len(processes_with(marker)) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    return len(processes_with(marker))


def run_lesson(text: str, *calls: tuple[str, list], limits: Limits = SMALL,
               folder: Path = Path("/nonexistent")) -> tuple[list[Outcome], str]:
    """Load ``text`` as a lesson file in ``folder`` and call each ``(function, args)`` in turn."""
    source = LessonSource("lesson1_linear", folder / "lesson1_linear.py", (Cell("", text),))
    with LessonRun(source, limits) as run:
        outcomes = [run.run([{"call": name, "args": [wire.encode(a) for a in args]}], limits.task_seconds)
                    for name, args in calls]
        return outcomes, run.output()


@pytest.fixture(params=LEVELS)
def level(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each isolation level in turn, forced through GRADEKIT_SANDBOX."""
    monkeypatch.setenv(sandbox.ENV, request.param)
    return request.param


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.iterdir() if p.is_dir()))
def test_corpus_submission(name: str, level: str, tmp_path: Path) -> None:
    submission = shutil.copytree(CORPUS / name, tmp_path / name)  # its own path: leftovers name it
    document = json.loads((submission / "expected.json").read_text(encoding="utf-8"))
    expected = {**document["tasks"], **document.get("levels", {}).get(level, {})}
    code, doc = grade_json(submission, "--timeout", "1", "--memory", "384")  # stdout must be only the JSON
    tests = by_task(doc)
    assert sorted(tests) == sorted(f"lesson1_linear.{task}" for task in expected)
    for task, (status, needle) in expected.items():
        test = tests[f"lesson1_linear.{task}"]
        assert (test["status"], needle in test["output"]) == (status, True), (task, test["output"])
    assert doc["score"] == sum(t["score"] for t in doc["tests"])
    if "note" in document:  # a problem with the whole file is said once, in the lesson's notes
        assert doc["output"].count(document["note"]) == 1, doc["output"]
    assert code == (0 if all(status == "passed" for status, _ in expected.values()) else 1)
    assert processes_with(str(submission)) == [] and student_processes() == []


def student_processes() -> list[int]:
    """The processes that run as one of the users a root grader gives students' code."""
    found = []
    for entry in os.scandir("/proc"):
        try:
            if entry.name.isdigit() and sandbox.UID_RANGE[0] <= entry.stat().st_uid < sandbox.UID_RANGE[1]:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


EXEC_LEVELS = [p for p in LEVELS if p.values[0] != "user"]  # the user level's empty root holds no program to start


@pytest.mark.parametrize("level", EXEC_LEVELS, indirect=True)
def test_processes_started_by_the_student_are_gone_after_grading(level: str) -> None:
    marker = f"gradekit-escapee-{uuid.uuid4().hex}"
    student = ("import os, subprocess, sys\n"
             f"SLEEPER = [sys.executable, '-c', 'import time; time.sleep(1000)', {marker!r}]\n"
             "def spawn():\n"
             "    subprocess.Popen(SLEEPER, start_new_session=True)\n"
             "    middle = os.fork()\n"
             "    if middle == 0:\n"
             "        os.setsid()\n"
             "        if os.fork() == 0:\n"
             "            os.execv(sys.executable, SLEEPER)\n"
             "        os._exit(0)\n"
             "    os.waitpid(middle, 0)\n"
             "    return 1\n"
             "def leave():\n"
             "    os._exit(0)\n")
    source = LessonSource("lesson1_linear", Path("/nonexistent/lesson1_linear.py"), (Cell("", student),))
    with LessonRun(source, SMALL) as run:
        assert run.run([{"call": "spawn"}], 1.0).values == [1]
        assert settle(marker, 2) == 2  # one in a new session, one double-forked (its exec may lag)
        assert run.run([{"call": "leave"}], 1.0).kind == "crashed"
        assert processes_with(marker) == []  # the child died on its own: its leftovers died with it
        assert run.run([{"call": "spawn"}], 1.0).values == [1]
        assert settle(marker, 2) == 2
    assert processes_with(marker) == []


def test_a_forked_copy_of_the_worker_never_answers(level: str) -> None:
    student = "import os\ndef twice():\n    os.fork()\n    return 1\ndef once():\n    return 2\n"
    (first, second), _ = run_lesson(student, ("twice", []), ("once", []))
    assert first.values == [1] and second.values == [2]


def test_answers_forged_into_the_answer_channel_are_never_taken(level: str) -> None:
    student = ("import os\n"
             "for fd in range(3, 64):\n"
             "    try:\n"
             "        os.write(fd, b'{\"ok\": true, \"problems\": [], \"defined\": [\"f\"]}\\n')\n"
             "    except OSError:\n"
             "        pass\n")
    source = LessonSource("lesson1_linear", Path("/nonexistent/lesson1_linear.py"), (Cell("", student),))
    with LessonRun(source, SMALL) as run:  # the forging statement is stopped, and the file loaded without it
        assert run.load.failure is None and run.load.defined == ()
        (problem,) = run.load.problems
        assert (problem["kind"], problem["line"]) == ("stopped", 2)
        assert problem["message"] == "wrote something the grader could not read into its answer channel"
        assert run.run([{"call": "f"}], 1.0).kind == "missing"


def test_even_an_answer_forged_with_the_right_id_is_only_data(level: str) -> None:
    # The student digs the request id and the answer channel out of the worker's frames.
    student = ("import json, sys\n"
             "def forge():\n"
             "    frame = sys._getframe()\n"
             "    while not {'request', 'writer'} <= set(frame.f_locals):\n"
             "        frame = frame.f_back\n"
             "    bomb = {'$array': 'U50000000', 'shape': [20], 'data': ['a'] * 20}  # 4 GB if it were built\n"
             "    answer = {'ok': True, 'id': frame.f_locals['request']['id'], 'task': 0, 'case': 0,\n"
             "              'values': [bomb]}\n"
             "    frame.f_locals['writer'].write(json.dumps(answer) + '\\n')\n"
             "    frame.f_locals['writer'].flush()\n"
             "    return 1\n")
    (outcome,), _ = run_lesson(student, ("forge", []))
    assert outcome.kind == "unsendable" and "unexpected dtype <U50000000" in outcome.message


def test_a_kill_for_memory_is_reported_as_memory_with_the_limit(level: str) -> None:
    # What the grader sees when the kernel's OOM killer strikes: SIGKILL with the memory nearly all used.
    student = ("import os, signal\n"
               "def grab():\n    block = b'x' * (380 << 20)\n    os.kill(os.getpid(), signal.SIGKILL)\n")
    (outcome,), _ = run_lesson(student, ("grab", []), limits=Limits(task_seconds=3.0, memory_mb=512))
    assert (outcome.kind, outcome.message) == ("memory", "ran out of memory (the limit is 512 MiB)")


def test_cpu_time_limit() -> None:
    (outcome,), _ = run_lesson("def spin():\n    while True:\n        pass\n", ("spin", []),
                               limits=Limits(task_seconds=5.0, cpu_seconds=1))
    assert (outcome.kind, outcome.message) == ("crashed", "used more than 1 s of CPU time")


def test_file_size_limit() -> None:
    student = "def write():\n    open('big.bin', 'wb').write(b'x' * (20 << 20))\n"
    (outcome,), _ = run_lesson(student, ("write", []))
    assert outcome.kind == "raised" and "File too large" in outcome.message


@pytest.mark.parametrize("level", BOUNDARY_LEVELS if ROOT_USER else LEVELS[:2], indirect=True)
def test_process_limit(level: str) -> None:
    student = ("import os, time\n"
             "def forks():\n"
             "    made = 0\n"
             "    try:\n"
             "        while made < 200:\n"
             "            if os.fork() == 0:\n"
             "                time.sleep(100)\n"
             "                os._exit(0)\n"
             "            made += 1\n"
             "    except OSError as exc:\n"
             "        return [made, exc.errno]\n"
             "    return [made, 0]\n")
    (outcome,), _ = run_lesson(student, ("forks", []), limits=Limits(task_seconds=2.0, processes=16))
    made, errno = outcome.values[0]
    assert made < 100 and errno == 11  # EAGAIN: no more processes for this user (16 more than it had)


@BWRAP
def test_the_sandbox_shows_no_solutions_no_other_submission_and_no_host_tmp(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sandbox.ENV, "bwrap")
    mine, other = tmp_path / "alice", tmp_path / "bob"
    mine.mkdir()
    other.mkdir()
    (other / "lesson1_linear.py").write_text("SECRET = 1\n")
    with tempfile.NamedTemporaryFile(prefix="gradekit-host-") as host_file:
        student = ("import os, importlib.util\n"
                 "def look():\n"
                 "    try:\n"
                 f"        open({str(mine / 'x.txt')!r}, 'w')\n"
                 "        writable = True\n"
                 "    except OSError:\n"
                 "        writable = False\n"
                 f"    return {{'solutions': os.path.exists({str(ROOT / 'solutions')!r}),\n"
                 f"            'tests': os.path.exists({str(ROOT / 'tests')!r}),\n"
                 "            'importable': importlib.util.find_spec('solutions') is not None,\n"
                 f"            'other': os.path.exists({str(other)!r}),\n"
                 f"            'host_tmp': os.path.exists({host_file.name!r}),\n"
                 f"            'own_folder': os.path.isdir({str(mine)!r}),\n"
                 "            'own_folder_writable': writable,\n"
                 "            'tmp_writable': open('/tmp/scratch', 'w').write('ok') == 2}\n")
        (outcome,), _ = run_lesson(student, ("look", []), folder=mine)
    # The fork server's sandbox shows no submission folder at all, not even the student's own:
    # the cells travel as text, and one sandbox serves a whole class in turn.
    assert outcome.values == [{"solutions": False, "tests": False, "importable": False, "other": False,
                               "host_tmp": False, "own_folder": False, "own_folder_writable": False,
                               "tmp_writable": True}]


@BWRAP
def test_the_sandbox_hides_the_hidden_checks_and_stored_answers(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    # A private copy of the grader with stored answers, as a release or a Gradescope bundle has it.
    grader_dir = shutil.copytree(sandbox.GRADER_DIR, tmp_path / "grader",
                                 ignore=shutil.ignore_patterns("__pycache__"))
    (grader_dir / "expected.json").write_text('{"answer": 42}')
    monkeypatch.setattr(sandbox, "GRADER_DIR", grader_dir)
    monkeypatch.setenv(sandbox.ENV, "bwrap")
    student = ("import os\n"
               "def look():\n"
               f"    shown = sorted(os.listdir({str(grader_dir)!r}))\n"
               "    try:\n"
               f"        answers = open({str(grader_dir / 'expected.json')!r}).read()\n"
               "    except OSError:\n"
               "        answers = ''  # unreadable: as good as empty\n"
               f"    runner = sorted(os.listdir({str(grader_dir / 'runner')!r}))\n"
               "    return [shown, answers, 'child.py' in runner]\n")
    (outcome,), _ = run_lesson(student, ("look", []))
    assert outcome.values == [[sorted(sandbox.CHILD_PARTS), "", True]], outcome  # no course, no answers, no judges


@BWRAP
def test_a_reference_package_inside_a_bound_folder_is_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    import click  # stands in for a ``solutions`` package installed in site-packages

    monkeypatch.setenv(sandbox.ENV, "bwrap")
    monkeypatch.setattr(sandbox, "HIDDEN_PACKAGES", ("click",))
    folder = str(Path(click.__file__).parent)
    (outcome,), _ = run_lesson(f"import os\ndef look():\n    return os.listdir({folder!r})\n", ("look", []))
    assert outcome.values == [[]]


@pytest.mark.parametrize("level", BOUNDARY_LEVELS, indirect=True)
def test_the_sandbox_has_no_network_and_drops_root(level: str) -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        student = ("import os, socket\n"
                 "def reach():\n"
                 "    try:\n"
                 f"        socket.create_connection(('127.0.0.1', {port}), timeout=0.5).close()\n"
                 "        return 'connected'\n"
                 "    except OSError as exc:\n"
                 "        return type(exc).__name__\n"
                 "def who():\n"
                 "    try:\n"
                 "        os.setuid(0)\n"
                 "        regained = True\n"
                 "    except PermissionError:\n"
                 "        regained = False\n"
                 "    try:  # the user level's empty root has no /proc\n"
                 "        caps = [l.split()[1] for l in open('/proc/self/status') if l.startswith('CapEff')][0]\n"
                 "    except OSError:\n"
                 "        caps = '0'\n"
                 "    return [os.getuid(), regained, caps]\n")
        (reach, who), _ = run_lesson(student, ("reach", []), ("who", []))
    assert reach.values == ["PermissionError"]  # no socket at all (seccomp), let alone a connection
    uid, regained, caps = who.values[0]
    assert not regained and int(caps, 16) == 0 and (sandbox.UID_RANGE[0] <= uid < sandbox.UID_RANGE[1] or not ROOT_USER)


@BWRAP
def test_the_sandbox_tmp_is_small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sandbox.ENV, "bwrap")
    student = ("def fill():\n"
             "    try:\n"
             "        for n in range(8):\n"
             "            open(f'/tmp/f{n}', 'wb').write(b'x' * (6 << 20))\n"
             "    except OSError as exc:\n"
             "        return [n, exc.strerror]\n")
    (outcome,), _ = run_lesson(student, ("fill", []), limits=Limits(task_seconds=2.0, disk_mb=16))
    assert outcome.values == [[2, "No space left on device"]]


@pytest.mark.parametrize("level", [p for p in LEVELS if p.values[0] != "bwrap"], indirect=True)
def test_without_a_size_capped_tmp_a_worker_that_fills_its_folder_is_stopped(level: str) -> None:
    student = ("import os, tempfile, time\n"
               "def fill():\n"
               "    for n in range(200):\n"
               "        with open(os.path.join(tempfile.gettempdir(), f'f{n}'), 'wb') as out:\n"
               "            out.write(b'x' * (4 << 20))\n"
               "    time.sleep(5)\n"
               "    return 'filled'\n"
               "def many():\n"
               "    for n in range(50_000):\n"
               "        open(f'{tempfile.gettempdir()}/m{n}', 'w').close()\n"
               "    time.sleep(30)\n"
               "    return 'made'\n")
    (filled,), _ = run_lesson(student, ("fill", []), limits=Limits(task_seconds=4.0, disk_mb=16))
    (made,), _ = run_lesson(student, ("many", []),  # 10,000 files take seconds on a slow disk
                            limits=Limits(task_seconds=20.0, disk_mb=16))
    assert (filled.kind, filled.message) == ("crashed", "wrote more than 16 MiB of files (or too many of them)")
    assert (made.kind, made.message) == ("crashed", "wrote more than 16 MiB of files (or too many of them)")


def test_the_file_time_budget_bounds_many_slow_tasks() -> None:
    slow = "import time\ndef slow(seconds):\n    time.sleep(seconds)\n    return 1\n"
    (first, second, third), _ = run_lesson(slow, ("slow", [0.5]), ("slow", [5]), ("slow", [0]),
                                           limits=Limits(task_seconds=3.0, file_seconds=2.0))
    assert first.values == [1]
    assert second.kind == third.kind == "budget"  # stopped when the file's 2 s ran out; then not started
    assert third.message == "the 2 s allowed for the whole file ran out"


def test_a_flood_of_output_keeps_the_report_small_and_the_disk_clean() -> None:
    free = shutil.disk_usage(tempfile.gettempdir()).free
    result = grade("check", str(CORPUS / "output_flood"), "--timeout", "1")
    assert shutil.disk_usage(tempfile.gettempdir()).free > free - (50 << 20)  # 100 MB were printed
    assert result.exit_code == 0 and len(result.stdout.encode()) < 20_000
    assert "... (output cut at 8 KiB: 100.0 MB more not shown)" in result.stdout


def test_a_hang_at_import_costs_that_lesson_only(tmp_path: Path) -> None:
    (tmp_path / "lesson1_linear.py").write_text("while True:\n    pass\n")
    shutil.copy(ROOT / "solutions" / "lesson2_two_weights.py", tmp_path)
    report = grade_path(tmp_path, tasks=("forward", "step"), limits=Limits(task_seconds=1.0, load_seconds=1.0))
    results = {t.name: t for t in report.tasks}
    assert set(results) == {"lesson1_linear.forward", "lesson2_two_weights.step"}
    assert "forward is not defined in your file" in results["lesson1_linear.forward"].feedback
    assert "`while True:` was still running after 1 s" in report.lessons[0].notes[0]
    assert results["lesson2_two_weights.step"].passed


def test_a_file_over_the_size_cap(tmp_path: Path) -> None:
    (tmp_path / "lesson1_linear.py").write_text("# padding\n" * 300_000)
    _, doc = grade_json(tmp_path, "-k", "forward")
    assert "more than the 2 MiB a lesson file may have" in doc["output"]


def test_the_report_names_the_isolation_level(level: str) -> None:
    report = grade_path(ROOT / "tests" / "submissions" / "wrong_sign_gradient", tasks=("forward",))
    assert report.isolation == {"none": "process", "bwrap": "bwrap", "user": "user"}[level]
    assert render(report).splitlines()[-2] == f"isolation: {sandbox.describe(report.isolation)}"


def test_the_level_can_be_forced_and_auto_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sandbox.ENV, "docker")
    with pytest.raises(sandbox.SandboxUnavailable, match="expected auto, bwrap, user or none"):
        sandbox.level()
    monkeypatch.setattr(sandbox, "_bwrap_problem", lambda: "bwrap: No permissions to create a new namespace")
    monkeypatch.setenv(sandbox.ENV, "bwrap")
    with pytest.raises(sandbox.SandboxUnavailable, match="No permissions"):
        sandbox.level()
    monkeypatch.setenv(sandbox.ENV, "auto")
    assert sandbox.level() == (sandbox.USER if ROOT_USER else sandbox.PROCESS)
    monkeypatch.setattr(sandbox, "_user_problem", lambda: "it needs root")
    assert sandbox.level() == sandbox.PROCESS
    monkeypatch.setenv(sandbox.ENV, "user")
    with pytest.raises(sandbox.SandboxUnavailable, match="user, but it cannot be used here: it needs root"):
        sandbox.level()
    monkeypatch.setenv(sandbox.ENV, "auto")
    (outcome,), _ = run_lesson("def f():\n    return 5\n", ("f", []))
    assert outcome.values == [5]


def test_what_students_usually_call_works_at_every_level(level: str) -> None:
    """The user level's empty root imports nothing that is not preloaded: the usual calls must all be."""
    student = ("import sympy as sp, numpy as np, math, random, copy, statistics\n"
               "from numpy import *\n"
               "def f():\n"
               "    x = sp.symbols('x')\n"
               "    g = sp.lambdify(x, sp.sin(x) ** 2, 'numpy')\n"
               "    e = sp.simplify(sp.diff((x - 2) ** 2, x))\n"
               "    np.save('a.npy', np.arange(3))\n"
               "    s = np.linalg.solve(np.eye(2), np.ones(2))\n"
               "    r = np.random.default_rng(0).normal(size=2)\n"
               "    return [round(float(g(1.0)), 6), str(e), np.load('a.npy').tolist(), s.tolist(), r.shape[0],\n"
               "            str(sp.solve(x - 3, x)), round(statistics.mean([1, 2]), 1)]\n")
    (outcome,), _ = run_lesson(student, ("f", []))
    assert outcome.values == [[0.708073, "2*x - 4", [0, 1, 2], [1.0, 1.0], 2, "[3]", 1.5]], outcome
