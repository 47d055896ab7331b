"""The fork server: one sandbox serves many students in turn, and none of them sees or outlives another."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import sympy

from grader import wire
from grader.judges import symbolic
from grader.loader import Cell, LessonSource
from grader.runner import servers
from grader.runner.process import Limits
from grader.runner.sandbox import GRADER_DIR
from grader.runner.runner import LessonRun, Outcome
from test_isolation import EXEC_LEVELS, LEVELS, processes_with

SMALL = Limits(task_seconds=1.0, load_seconds=5.0, memory_mb=512)


@pytest.fixture(params=LEVELS)
def level(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each isolation level in turn, forced through GRADEKIT_SANDBOX."""
    monkeypatch.setenv("GRADEKIT_SANDBOX", request.param)
    return request.param


def student(text: str, *calls: tuple[str, list]) -> list[Outcome]:
    """Load ``text`` as one student's lesson file and call each ``(function, args)``."""
    source = LessonSource("lesson1_linear", Path("/nonexistent/lesson1_linear.py"), (Cell("", text),))
    with LessonRun(source, SMALL) as run:
        return [run.run([{"call": name, "args": [wire.encode(a) for a in args]}], SMALL.task_seconds)
                for name, args in calls]


def idle_servers() -> list[servers.ForkServer]:
    return [server for group in servers._idle.values() for server in group]


LEAVE_TRACES = ("import os, tempfile\n"
                "def leave():\n"
                "    open(os.path.join(tempfile.gettempdir(), 'secret'), 'w').write('alice')\n"
                "    os.makedirs('locked/inner')\n"
                "    os.chmod('locked', 0)\n"
                "    return sorted(os.listdir('.'))\n")
LOOK = ("import os, tempfile\n"
        "def look():\n"
        "    return [os.path.exists(os.path.join(tempfile.gettempdir(), 'secret')), os.listdir('.'), os.getcwd()]\n")


def test_a_file_one_student_wrote_is_gone_for_the_next(level: str) -> None:  # in bubblewrap: the shared /tmp
    (left,) = student(LEAVE_TRACES, ("leave", []))
    assert left.kind == "ok" and "locked" in left.values[0]
    (look,) = student(LOOK, ("look", []))
    assert look.kind == "ok"
    seen, listing, cwd = look.values[0]
    assert not seen and sorted(listing) == ([] if level == "user" else mount_points(Path(cwd)))  # user: its own root


def mount_points(cwd: Path) -> list[str]:
    """What the sandbox itself must make in its /tmp when the grader or Python lie below /tmp (a CI clone)."""
    bound = [GRADER_DIR, Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()]
    return sorted({p.relative_to(cwd).parts[0] for p in bound if p.is_relative_to(cwd) and p != cwd})


def test_students_are_served_by_one_server_in_turn(level: str) -> None:
    student("def f():\n    return 1\n", ("f", []))
    before = idle_servers()
    (outcome,) = student("import os\ndef f():\n    return os.getpid()\n", ("f", []))
    assert outcome.kind == "ok" and idle_servers() == before  # the same server, lent again


def test_a_child_killed_on_timeout_does_not_take_the_server_down(level: str) -> None:
    hang = "import os\ndef hang():\n    os.fork()\n    while True:\n        pass\ndef ok():\n    return 3\n"
    hung, after = student(hang, ("hang", []), ("ok", []))
    assert hung.kind == "timeout" and after.values == [3]
    assert all(server.alive() for server in idle_servers())
    (again,) = student("def f():\n    return 4\n", ("f", []))
    assert again.values == [4]


@pytest.mark.parametrize("level", EXEC_LEVELS, indirect=True)
def test_a_student_that_kills_its_worker_leaves_nothing_behind(level: str) -> None:
    marker = "gradekit-forkserver-orphan"
    text = ("import os, signal, subprocess, sys\n"
            "def go():\n"
            f"    subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(100)', {marker!r}],"
            " start_new_session=True)\n"
            "    os.kill(os.getpid(), signal.SIGKILL)\n"
            "def ok():\n    return 5\n")
    died, after = student(text, ("go", []), ("ok", []))
    assert died.kind == "crashed" and after.values == [5]
    assert processes_with(marker) == []


def test_the_preloaded_modules_are_fresh_for_every_student(level: str) -> None:
    patch = "import sympy\ndef patch():\n    sympy.diff = None\n    return 1\n"
    check = "import sympy\ndef check():\n    return sympy.diff is None\n"
    assert student(patch, ("patch", []))[0].values == [1]
    assert student(check, ("check", []))[0].values == [False]


def test_the_symbolic_cache_gives_the_same_verdict_without_forking_again(monkeypatch: pytest.MonkeyPatch) -> None:
    x, y, w = sympy.symbols("x y w")
    loss = (x * w - y) ** 2
    answer, judged = "2*x*(y - x*w)  ", {}
    first = symbolic.judge_derivative(answer, loss=loss, wrt=w, symbols=(x, y, w), judged=judged)
    monkeypatch.setattr(symbolic, "_run_bounded", lambda task: pytest.fail("forked again for a known answer"))
    again = symbolic.judge_derivative(answer.strip(), loss=loss, wrt=w, symbols=(x, y, w), judged=judged)
    assert again == first and first.mistake == "sign_flipped"


def test_a_check_cut_short_by_the_clock_is_not_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    x, y, w = sympy.symbols("x y w")
    monkeypatch.setattr(symbolic, "TIME_LIMIT", 0.2)
    answer, judged = "exp(exp(exp(x**50)))", {}
    verdict = symbolic.judge_derivative(answer, loss=(x * w - y) ** 2, wrt=w, symbols=(x, y, w), judged=judged)
    assert verdict.summary == "answer too complex to check"
    assert judged == {}
