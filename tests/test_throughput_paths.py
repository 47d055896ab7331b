"""What makes a class fast to grade must not change a verdict: one fork server per submission, a lesson's
public cases in one request with each case's answer streamed, and verdicts reused for a recurring answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader import wire
from grader.checks import History, Value
from grader.courses import builtin
from grader.grading import grade_path
from grader.loader import Cell, LessonSource
from grader.reference import Reference
from grader.runner.process import Limits
from grader.runner.runner import LessonRun, Outcome, TaskPlan, Worker

LESSONS = builtin().lessons

FAST = Limits(task_seconds=1.0, load_seconds=5.0, memory_mb=512)
SOLUTIONS = Path(__file__).resolve().parents[1] / "solutions"


def source(lesson: str, text: str) -> LessonSource:
    return LessonSource(lesson, Path(f"/nonexistent/{lesson}.py"), (Cell("", text),))


def call(name: str, *args: object) -> list[dict]:
    return [{"call": name, "args": [wire.encode(a) for a in args]}]


def test_each_file_of_a_submission_gets_a_child_of_its_own_and_keeps_its_own_output() -> None:
    first = source("lesson1_linear", "import numpy as np\nprint('printed by lesson 1')\nnp.mean = None\n"
                                     "import os\ndef f():\n    return os.getpid()\n")
    second = source("lesson2_two_weights", "import numpy as np\nprint('printed by lesson 2')\n"
                                           "import os\ndef g():\n    return [os.getpid(), np.mean is None]\n")
    with Worker(FAST) as worker:
        with LessonRun(first, FAST, worker) as run:
            (pid,) = run.run(call("f"), 1.0).values
            first_output = run.output()
        with LessonRun(second, FAST, worker) as run:
            ((other, patched),) = run.run(call("g"), 1.0).values
            second_output = run.output()
    assert other != pid and not patched  # lesson 1's patch of NumPy never reaches lesson 2
    assert first_output == "printed by lesson 1\n" and second_output == "printed by lesson 2\n"


def test_a_thread_of_one_lesson_that_exits_later_never_fails_the_next_lesson(tmp_path: Path) -> None:
    (tmp_path / "lesson1_linear.py").write_text(
        (SOLUTIONS / "lesson1_linear.py").read_text() + "\nimport os, threading, time\n"
        "threading.Thread(target=lambda: (time.sleep(0.3), os._exit(3)), daemon=True).start()\n")
    (tmp_path / "lesson2_two_weights.py").write_text(
        (SOLUTIONS / "lesson2_two_weights.py").read_text() + "\nimport time\ntime.sleep(0.5)\n")
    report = grade_path(tmp_path, tasks=("lesson1_linear.forward", "lesson2_two_weights"), limits=FAST)
    assert [t.status for t in report.tasks] == ["passed"] * 5 and report.lessons[1].notes == ()


def test_each_case_is_answered_as_it_finishes_so_a_later_hang_keeps_the_earlier_answers() -> None:
    text = ("def f(x):\n"
            "    while x > 1:\n"
            "        pass\n"
            "    return x * 10\n"
            "def g():\n"
            "    return 'after'\n")
    with LessonRun(source("lesson1_linear", text), FAST) as run:
        (first, second) = run.run_tasks([TaskPlan.of([call("f", 1), call("f", 2), call("f", 0)]),
                                         TaskPlan.of([call("g")])], 0.5)
    assert [o.kind for o in first] == ["ok", "timeout"] and first[0].decoded().values == [10]
    assert [o.kind for o in second] == ["ok"] and second[0].decoded().values == ["after"]  # in a new child


def test_a_case_that_raises_ends_its_task_and_the_next_task_still_runs() -> None:
    text = ("def f(x):\n"
            "    print('ran', x)\n"
            "    if x == 1:\n"
            "        raise ValueError('no')\n"
            "    return x\n")
    with LessonRun(source("lesson1_linear", text), FAST) as run:
        (first, second) = run.run_tasks([TaskPlan.of([call("f", 0), call("f", 1), call("f", 2)]),
                                         TaskPlan.of([call("f", 3)])], 1.0)
        output = run.output()
    assert [o.kind for o in first] == ["ok", "raised"] and first[1].error_type == "ValueError"
    assert [o.decoded().values for o in second] == [[3]]
    assert output == "ran 0\nran 1\nran 3\n"  # case 2 of the first task never ran


@pytest.fixture
def judged(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the tasks whose values were judged (not taken from a kept verdict)."""
    calls: list[str] = []
    for kind in (Value, History):
        original = kind.judge

        def counting(self, expected, values, name, c, _original=original):  # type: ignore[no-untyped-def]
            calls.append(name)
            return _original(self, expected, values, name, c)

        monkeypatch.setattr(kind, "judge", counting)
    return calls


def test_a_recurring_answer_reuses_its_verdict_and_a_new_answer_is_judged(tmp_path: Path,
                                                                          judged: list[str]) -> None:
    right = tmp_path / "right"
    right.mkdir()
    (right / "lesson1_linear.py").write_text((SOLUTIONS / "lesson1_linear.py").read_text())
    wrong = tmp_path / "wrong"
    wrong.mkdir()
    (wrong / "lesson1_linear.py").write_text((SOLUTIONS / "lesson1_linear.py").read_text().replace(
        "    return x * w\n", "    return x * w + 1\n"))
    reference = Reference(builtin())
    first = grade_path(right, reference=reference, limits=FAST)
    count = len(judged)
    again = grade_path(right, reference=reference, limits=FAST)
    assert len(judged) == count and count > 0  # every answer was the same: nothing judged twice
    assert again.lessons[0].tasks == first.lessons[0].tasks
    other = grade_path(wrong, reference=reference, limits=FAST)
    assert "forward" in judged[count:]
    forward = next(t for t in other.lessons[0].tasks if t.task == "forward")
    assert forward.status == "failed" and "expected 6.0, got 7.0" in forward.feedback


def test_a_recurring_answer_is_not_even_rebuilt_from_its_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lesson1_linear.py").write_text((SOLUTIONS / "lesson1_linear.py").read_text())
    rebuilt: list[str] = []
    real = Outcome.decoded

    def counting(self: Outcome) -> Outcome:
        if self.encoded is not None:
            rebuilt.append(self.kind)
        return real(self)

    monkeypatch.setattr(Outcome, "decoded", counting)
    reference = Reference(builtin())
    first = grade_path(tmp_path, reference=reference, limits=FAST)
    assert first.passed_count == len(LESSONS["lesson1_linear"].tasks) and len(rebuilt) > 10
    rebuilt.clear()
    grade_path(tmp_path, reference=reference, limits=FAST)
    symbolic = sum(len(t.cases) for t in LESSONS["lesson1_linear"].tasks if not t.kind.repeatable)
    assert len(rebuilt) == symbolic  # only the answers whose verdict is never kept


def test_an_answer_the_grader_cannot_rebuild_is_the_student_s_failure_not_a_grader_error(tmp_path: Path) -> None:
    forged = (SOLUTIONS / "lesson1_linear.py").read_text() + (
        "\nimport json as _json, sys as _sys\n"
        "def forward(x, w):\n"
        "    frame = _sys._getframe()\n"
        "    while not {'request', 'writer'} <= set(frame.f_locals):\n"
        "        frame = frame.f_back\n"
        "    bad = {'$array': 'float64', 'shape': [3], 'bytes': 'AAAA'}\n"
        "    answer = {'id': frame.f_locals['request']['id'], 'task': 0, 'case': 0, 'ok': True, 'values': [bad]}\n"
        "    frame.f_locals['writer'].write(_json.dumps(answer) + '\\n')\n"
        "    frame.f_locals['writer'].flush()\n"
        "    return x * w\n")
    (tmp_path / "lesson1_linear.py").write_text(forged)
    report = grade_path(tmp_path, tasks=("lesson1_linear.forward",), limits=FAST)
    (task,) = report.lessons[0].tasks
    assert (task.status, task.summary) == ("failed", "result cannot be checked")
    assert "array bytes that do not match its shape" in task.feedback


@pytest.mark.parametrize("forged", [{"$scalar": "int8", "value": 300}, {"$scalar": "int64", "value": 2**70},
                                    {"$bigint": "12x"}, {"$floats": "AAA"}])
def test_data_no_number_can_be_built_from_is_an_unsendable_answer(forged: dict) -> None:
    outcome = Outcome("ok", encoded=[forged]).decoded()
    assert outcome.kind == "unsendable" and "could not read" in outcome.message


def test_symbolic_verdicts_are_not_kept_by_answer_fingerprint() -> None:
    # A symbolic check can be cut short by its clock on a loaded machine: its verdict is never reused as is.
    lesson = LESSONS["lesson1_linear"]
    assert not lesson.task("dloss_dw").kind.repeatable
    assert lesson.task("train").kind.repeatable and lesson.task("forward").kind.repeatable


def test_the_fingerprint_is_of_the_answer_not_of_its_place_in_the_request(tmp_path: Path,
                                                                         judged: list[str]) -> None:
    # The same train answer, once after the other tasks of the file and once alone (-k): judged once.
    (tmp_path / "lesson1_linear.py").write_text((SOLUTIONS / "lesson1_linear.py").read_text())
    reference = Reference(builtin())
    grade_path(tmp_path, reference=reference, limits=FAST)
    count = judged.count("train")
    alone = grade_path(tmp_path, tasks=("train",), reference=reference, limits=FAST)
    assert judged.count("train") == count > 0 and alone.lessons[0].tasks[0].status == "passed"
