"""Hostile students of issue 13, at every isolation level that is a security boundary (bubblewrap, and the
user level that a root grader without bubblewrap uses, as in Gradescope's container).

Each test is one attack that worked before, written as the student would write it, and the grade, the
feedback or the machine afterwards shows that it no longer does.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from grader.courses import builtin
from grader.grading import grade_path
from grader.reporters import gradescope, text
from grader.runner import sandbox
from grader.runner.process import Limits
from grader.runner.runner import fingerprint
from test_isolation import BOUNDARY_LEVELS, run_lesson, student_processes

LESSONS = builtin().lessons

FAST = Limits(task_seconds=2.0, load_seconds=5.0, memory_mb=512)
SOLUTIONS = ROOT / "solutions"
FORWARD = LESSONS["lesson1_linear"].task("forward")
PUBLIC = [c.args for c in FORWARD.cases if not c.hidden]
HIDDEN = [c.args for c in FORWARD.cases if c.hidden]


@pytest.fixture(params=BOUNDARY_LEVELS)
def level(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each security boundary in turn, forced through GRADEKIT_SANDBOX."""
    monkeypatch.setenv(sandbox.ENV, request.param)
    return request.param


def lesson1(tmp_path: Path, forward: str) -> Path:
    """A lesson-1 file: the reference, with ``forward`` replaced by the student's."""
    text_ = (SOLUTIONS / "lesson1_linear.py").read_text(encoding="utf-8") + "\n" + forward
    (tmp_path / "lesson1_linear.py").write_text(text_, encoding="utf-8")
    return tmp_path


def everything_shown(report) -> str:  # noqa: ANN001 - a Report
    """Every text a student could read of a report: the terminal text and Gradescope's JSON."""
    return text.render(report) + gradescope.render(report)


def hidden_tokens() -> list[str]:
    """The numbers of forward's hidden cases as Python writes them."""
    return [repr(v) for args in HIDDEN for v in args if repr(v) not in {repr(p) for a in PUBLIC for p in a}]


def test_the_grader_s_files_cannot_be_read_written_or_signalled(level: str, tmp_path: Path) -> None:
    """Finding 1 and 3: read the course, the reference and stored answers; append to a judge; kill the grader."""
    secret = tmp_path / "expected.json"
    secret.write_text('{"answers": 83}')
    targets = [ROOT / "checks" / "lesson1_linear.py", ROOT / "course.toml", SOLUTIONS / "lesson1_linear.py", secret,
               sandbox.GRADER_DIR / "judges" / "symbolic.py"]
    judge_before = (sandbox.GRADER_DIR / "judges" / "symbolic.py").read_bytes()
    student = ("import os, signal\n"
               "def attack(paths, grader):\n"
               "    read = []\n"
               "    for path in paths:\n"
               "        try:\n"
               "            read.append(open(path).read()[:20])\n"
               "        except OSError:\n"
               "            pass\n"
               "    try:\n"
               "        open(paths[-1], 'a').write('\\nPASS = True\\n')\n"
               "        wrote = True\n"
               "    except OSError:\n"
               "        wrote = False\n"
               "    try:\n"
               "        os.kill(grader, 0)\n"
               "        signalled = True\n"
               "    except OSError:\n"
               "        signalled = False\n"
               "    return [read, wrote, signalled]\n")
    (outcome,), _ = run_lesson(student, ("attack", [[str(t) for t in targets], os.getpid()]))
    assert outcome.values == [[[], False, False]]
    assert (sandbox.GRADER_DIR / "judges" / "symbolic.py").read_bytes() == judge_before


def test_a_hidden_case_s_message_exit_code_and_prints_never_reach_the_student(level: str, tmp_path: Path) -> None:
    """Finding 4: on a hidden input the student's code raises, prints and exits with what it saw."""
    for ending in ("raise ValueError(f'LEAK {x!r} {w!r}')", "os._exit(int(abs(x) * 100) % 256)"):
        lesson1(tmp_path, f"import os\nPUBLIC = {PUBLIC!r}\n"
                          "def forward(x, w):\n"
                          "    if (x, w) in PUBLIC:\n"
                          "        return x * w\n"
                          "    print('LEAK', x, w)\n"
                          f"    {ending}\n")
        report = grade_path(tmp_path, tasks=("forward",), limits=FAST)
        (task,) = report.tasks
        assert task.status == "failed" and task.hidden_failed
        shown = everything_shown(report).replace(str(tmp_path), "<tmp>")  # pytest's folder may be pytest-325
        assert "a hidden check (negative weight) failed: your code" in shown  # the label, not the data
        assert not any(token in shown for token in ["LEAK", "ValueError", "exit code", "325", *hidden_tokens()])


def test_hidden_inputs_are_not_in_the_child_at_the_first_public_call(level: str, tmp_path: Path) -> None:
    """Finding 4: walk the frames to the child's locals at the first public call and show what they hold."""
    lesson1(tmp_path, "import sys\n"
                      "def forward(x, w):\n"
                      "    seen, frame = [], sys._getframe(1)\n"
                      "    while frame is not None:\n"
                      "        seen.append(repr(frame.f_locals))\n"
                      "        frame = frame.f_back\n"
                      "    raise ValueError(' '.join(seen)[-1900:])\n")
    report = grade_path(tmp_path, tasks=("forward",), limits=FAST)
    (task,) = report.tasks
    assert task.status == "failed" and not task.hidden_failed and "raised ValueError" in task.feedback
    assert "2.0" in task.feedback  # the frames were shown: the public case's own inputs are there
    assert not any(token in task.feedback for token in hidden_tokens())


def test_a_stash_left_by_one_lesson_is_not_seen_by_the_next(level: str, tmp_path: Path) -> None:
    """Finding 4: lesson 1 stashes every input in builtins; lesson 2 raises the stash as a visible note."""
    lesson1(tmp_path, "import builtins\n"
                      "def forward(x, w):\n"
                      "    builtins.__dict__.setdefault('STASH', []).append((x, w))\n"
                      "    return x * w\n")
    (tmp_path / "lesson2_two_weights.py").write_text(
        (SOLUTIONS / "lesson2_two_weights.py").read_text() +
        "\nimport builtins\nraise RuntimeError('STASH=' + repr(getattr(builtins, 'STASH', None)))\n")
    report = grade_path(tmp_path, tasks=("forward", "lesson2_two_weights.step"), limits=FAST)
    notes = " ".join(report.lessons[1].notes)
    assert "STASH=None" in notes and report.tasks[0].status == "passed"


def test_the_kernel_s_shared_channels_are_closed(level: str) -> None:
    """Finding 10: the keyring of a uid, POSIX message queues, System V shared memory, sockets."""
    student = ("import ctypes, os, socket\n"
               "libc = ctypes.CDLL(None, use_errno=True)\n"
               "def channels():\n"
               "    out = {}\n"
               "    out['keyring'] = libc.syscall(248, b'user', b'note', b'alice', 5, -4)  # add_key to @u\n"
               "    out['mq'] = libc.syscall(240, b'/note', 0o102, 0o666, None)  # mq_open O_CREAT|O_RDWR\n"
               "    out['shm'] = libc.syscall(29, 4242, 4096, 0o1666)  # shmget IPC_CREAT\n"
               "    try:\n"
               "        socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).bind('\\0gradekit-note')\n"
               "        out['socket'] = 0\n"
               "    except OSError:\n"
               "        out['socket'] = -1\n"
               "    out['uid'] = os.getuid()\n"
               "    return out\n")
    if os.uname().machine != "x86_64":
        pytest.skip("the syscall numbers above are x86-64's")
    (first,), _ = run_lesson(student, ("channels", []))
    (second,), _ = run_lesson(student, ("channels", []))
    for outcome in (first, second):
        assert outcome.kind == "ok", outcome
        assert {k: v for k, v in outcome.values[0].items() if k != "uid"} == \
            {"keyring": -1, "mq": -1, "shm": -1, "socket": -1}
    if os.geteuid() == 0:
        assert first.values[0]["uid"] != second.values[0]["uid"]  # a user of its own for each worker


@pytest.mark.skipif(os.geteuid() != 0, reason="only a root grader switches students to users of their own")
def test_processes_a_student_leaves_are_gone_and_count_for_no_one_else(level: str) -> None:
    """Finding 10: one student holding processes failed another's task (a shared RLIMIT_NPROC)."""
    hoard = ("import os, time\n"
             "def hoard():\n"
             "    for _ in range(20):\n"
             "        if os.fork() == 0:\n"
             "            os.setsid()\n"
             "            time.sleep(1000)\n"
             "    return 1\n")
    forks = ("import os\n"
             "def forks():\n"
             "    made = []\n"
             "    for _ in range(20):\n"
             "        pid = os.fork()\n"
             "        if pid == 0:\n"
             "            os._exit(0)\n"
             "        made.append(pid)\n"
             "    return len(made)\n")
    limits = Limits(task_seconds=2.0, load_seconds=5.0, memory_mb=512, processes=24)
    (held,), _ = run_lesson(hoard, ("hoard", []), limits=limits)
    assert held.values == [1] and student_processes() == []
    (made,), _ = run_lesson(forks, ("forks", []), limits=limits)
    assert made.values == [20]


def test_a_forged_answer_cannot_alias_a_right_one_in_the_verdict_cache() -> None:
    """Finding 6: the old fingerprint hashed the bytes after the first ``"ok"`` of the line, so a colluder's
    forged line (values first) and a cheater's with garbage had the same key, and the garbage passed."""
    colluder = b'{"values": [6.0], "id": "n1", "task": 0, "case": 0, "ok": true}'
    cheater = b'{"values": ["garbage"], "id": "n2", "task": 0, "case": 0, "ok": true}'
    old_keys = [line[line.find(b'"ok"'):] for line in (colluder, cheater)]
    assert old_keys[0] == old_keys[1]  # the attack, as it was
    new_keys = [fingerprint(json.loads(line)["values"]) for line in (colluder, cheater)]
    assert new_keys[0] != new_keys[1] and new_keys[0] == fingerprint([6.0])


@pytest.mark.parametrize("level", BOUNDARY_LEVELS, indirect=True)
def test_the_reference_and_other_grader_copies_are_hidden_wherever_installed(level: str, tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding 5 and 1: a kit under /usr (a system folder, bound whole) and a second copy of the grader."""
    site = tmp_path / "site-packages"
    shutil.copytree(SOLUTIONS, site / "solutions", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "checks", site / "grader" / "course",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (site / "grader" / "__init__.py").write_text("")
    (site / "grader" / "expected.json").write_text('{"answers": 83}')
    monkeypatch.setattr(sys, "path", [*sys.path, str(site)])
    monkeypatch.setattr(sandbox, "_SYSTEM", (*sandbox._SYSTEM, str(tmp_path)))  # bound whole, as /usr is
    student = ("import os\n"
               "def look(site):\n"
               "    found = []\n"
               "    for folder, _, files in os.walk(site):\n"
               "        found += [os.path.join(folder, f) for f in files]\n"
               "    return found\n")
    (outcome,), _ = run_lesson(student, ("look", [str(site)]))
    assert outcome.values == [[]]


def test_an_answer_far_larger_than_the_right_one_is_not_read(level: str, tmp_path: Path) -> None:
    """Finding 7: a 60 MB answer cost the grader 1.45 GB; now no more than its case's cap is read."""
    lesson1(tmp_path, "def forward(x, w):\n    return [x * w] * 1_500_000\n")
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = grade_path(tmp_path, tasks=("forward",), limits=FAST)
    (task,) = report.tasks
    assert task.status == "failed" and task.summary == "result cannot be checked"
    assert "far larger than the right answer (more than 64 KiB as data)" in task.feedback
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KiB: not the answer's size
