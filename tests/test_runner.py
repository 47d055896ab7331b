"""The child process: values come back as data, over a channel prints cannot forge; hangs and crashes are contained."""

from __future__ import annotations

from pathlib import Path

from grader import wire
from grader.loader import Cell, LessonSource
from grader.runner.process import Limits
from grader.runner.runner import LessonRun

FAST = Limits(task_seconds=1.0, load_seconds=5.0, memory_mb=512)


def run_source(text: str, *calls: tuple[str, list], limits: Limits = FAST) -> tuple[list, str]:
    source = LessonSource("lesson1_linear", Path("/nonexistent/lesson1_linear.py"), (Cell("", text),))
    with LessonRun(source, limits) as run:
        outcomes = [run.run([{"call": name, "args": [wire.encode(a) for a in args]}], limits.task_seconds)
                    for name, args in calls]
        return outcomes, run.output()


def test_values_cross_as_data():
    text = "import numpy as np\ndef f():\n    return {'w': np.array([1.0, 2.0]), 't': (1, 2.5), 'n': float('nan')}\n"
    (outcome,), _ = run_source(text, ("f", []))
    value = outcome.values[0]
    assert outcome.kind == "ok"
    assert value["w"].tolist() == [1.0, 2.0] and value["t"] == (1, 2.5) and value["n"] != value["n"]


def test_forged_results_on_stdout_change_nothing():
    text = ('import sys\n'
            'def f(x):\n'
            '    print(\'{"ok": true, "values": [42]}\')\n'
            '    sys.stdout.write("PASSED\\n")\n'
            '    return x + 1\n')
    (outcome,), output = run_source(text, ("f", [1]))
    assert outcome.values == [2]
    assert "PASSED" in output  # shown to the student as their output, never read as an answer


def test_hang_with_try_except_is_killed_and_next_call_runs_in_a_new_child():
    text = ("import time\n"
            "def hang():\n"
            "    while True:\n"
            "        try:\n"
            "            time.sleep(10)\n"
            "        except BaseException:\n"
            "            pass\n"
            "def ok():\n"
            "    return 7\n")
    (hung, after), _ = run_source(text, ("hang", []), ("ok", []))
    assert hung.kind == "timeout" and after.values == [7]


def test_os_exit_and_segfault_are_reported_and_contained():
    text = ("import os, ctypes\n"
            "def leave():\n    os._exit(3)\n"
            "def crash():\n    ctypes.string_at(0)\n"
            "def ok():\n    return 1\n")
    (left, crashed, after), _ = run_source(text, ("leave", []), ("crash", []), ("ok", []))
    assert left.kind == "crashed" and "exit code 3" in left.message
    assert crashed.kind == "crashed" and "segmentation fault" in crashed.message
    assert after.values == [1]


def test_sys_exit_is_an_answer_not_a_crash():
    (outcome,), _ = run_source("import sys\ndef f():\n    sys.exit(0)\n", ("f", []))
    assert outcome.kind == "exit" and "sys.exit(0)" in outcome.message


def test_memory_limit():
    text = "def grow():\n    return len(bytearray(2 * 1024 ** 3))\n"
    (outcome,), _ = run_source(text, ("grow", []))
    assert outcome.kind == "memory"


def test_a_hang_at_the_top_level_is_stopped_and_skipped_and_the_rest_of_the_file_runs():
    limits = Limits(task_seconds=1.0, load_seconds=1.0)
    text = "def f():\n    return 1\nwhile True:\n    pass\ndef g():\n    return 2\n"
    source = LessonSource("lesson1_linear", Path("/nonexistent/lesson1_linear.py"), (Cell("", text),))
    with LessonRun(source, limits) as run:
        assert [run.run([{"call": name}], 1.0).values for name in ("f", "g")] == [[1], [2]]
        (problem,) = run.load.problems
        assert (problem["kind"], problem["line"], problem["text"]) == ("stopped", 3, "while True:")
        assert problem["message"] == "was still running after 1 s, the time limit for your file's top level"


def test_missing_function_and_stub():
    (missing, stub), _ = run_source("def g():\n    raise NotImplementedError\n", ("f", []), ("g", []))
    assert missing.kind == "missing" and "f is not defined" in missing.message
    assert stub.kind == "not_implemented"
