"""Follow-through credit: a task right but for a wrong function it calls is graded again with the right one.

The task declares what it calls (``Task(..., uses=("gradient", "loss"))``); the
grader stands in for the failed ones in a rerun, from the reference's recorded
calls only (grader/oracle.py).  Students here are real lesson files graded through
the Python API or the CLI; hostile ones try to use the stand-in for more than it is.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, course_with, grade
from test_isolation import BOUNDARY_LEVELS
from grader.courses import CourseError, builtin, load_course
from grader.grading import grade_path
from grader.oracle import Call, Table, in_order, server
from grader.reference import Reference
from grader.results import TaskResult
from grader.runner import sandbox

RIGHT = (ROOT / "solutions" / "lesson1_linear.py").read_text(encoding="utf-8")  # train calls gradient and loss
GRADIENT = "return 2 * x * (x * w - y)\n"  # the first such line is gradient's (then dloss_dw's)
FLIPPED = RIGHT.replace(GRADIENT, "return 2 * x * (y - x * w)\n", 1)
NOT_WRITTEN = RIGHT.replace(GRADIENT, "raise NotImplementedError\n", 1)


@pytest.fixture(params=BOUNDARY_LEVELS)
def level(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each security boundary in turn (bubblewrap; root without it, as Gradescope runs the grader)."""
    monkeypatch.setenv(sandbox.ENV, request.param)
    return request.param


def results(tmp_path: Path, text: str, **options) -> dict[str, TaskResult]:
    """Each task's result for a lesson 1 file holding ``text``."""
    (tmp_path / "lesson1_linear.py").write_text(text, encoding="utf-8")
    report = grade_path(tmp_path / "lesson1_linear.py", **options)
    return {r.task: r for r in report.tasks}


def test_a_right_loop_with_a_wrong_gradient_earns_its_points_and_says_why(tmp_path):
    found = results(tmp_path, FLIPPED)
    train, gradient = found["train"], found["gradient"]
    assert (train.status, train.score, train.served) == ("passed", 4, ("gradient",))
    assert train.summary == "right; your gradient is wrong"
    assert train.feedback == ("Your `train` is right; it used your `gradient`, which is wrong (see gradient). "
                              "With the right `gradient` in its place, `train` passes every check.")
    assert (gradient.status, gradient.score) == ("failed", 0)  # the dependency's own verdict is unchanged
    assert found["loss"].passed


def test_a_gradient_not_written_yet_is_said_so(tmp_path):
    train = results(tmp_path, NOT_WRITTEN)["train"]
    assert (train.status, train.summary) == ("passed", "right; your gradient is not implemented yet")


def test_a_wrong_loop_with_a_wrong_gradient_fails_naming_both(tmp_path):
    train = results(tmp_path, FLIPPED.replace("w = w - lr * grad", "w = w - 2 * lr * grad"))["train"]
    assert (train.status, train.score, train.mistake) == ("failed", 0, "lr_scaled")
    assert train.summary == "lr scaled; your gradient is wrong too"
    assert train.feedback.startswith("`train` goes wrong even with the right `gradient` in place of yours:\n"
                                     "every step is twice the right size")
    assert "w expected 1.02, got 1.04" in train.feedback  # the loop's own first wrong step, with the right gradient
    assert train.feedback.endswith("It also used your `gradient`, which is wrong (see gradient).")


def test_a_loop_that_never_calls_the_wrong_function_is_not_helped(tmp_path):
    inline = FLIPPED.replace("grad = gradient(x, y, w)", "grad = 2 * x * (x * w - y) * 1.5")
    train = results(tmp_path, inline)["train"]
    assert train.status == "failed" and train.served == ()
    assert "gradient" not in train.summary and "it used" not in train.feedback.lower()


def test_both_wrong_functions_are_served_and_named(tmp_path):
    both = FLIPPED.replace("return (y_pred - y) * (y_pred - y)", "return (y_pred - y) ** 3")
    train = results(tmp_path, both)["train"]
    assert (train.status, train.served) == ("passed", ("gradient", "loss"))
    assert "it used your `gradient` and `loss`, which are wrong (see gradient and loss)" in train.feedback


def test_selecting_the_loop_alone_gives_the_same_verdict_as_the_whole_file(tmp_path):
    alone = results(tmp_path, FLIPPED, tasks=["train"])
    assert list(alone) == ["train"] and alone["train"].status == "passed" and alone["train"].served == ("gradient",)


def test_a_loop_right_on_the_public_cases_only_fails_a_hidden_one_in_the_kits_words(level, tmp_path):
    sly = FLIPPED.replace("for epoch in range(epochs):", "for epoch in range(epochs - (len(xs) == 1)):")
    train = results(tmp_path, sly)["train"]
    assert (train.status, train.served, train.hidden_failed) == ("failed", ("gradient",), True)
    assert "a hidden check (one sample, seven epochs) failed" in train.feedback
    assert train.feedback.endswith("It also used your `gradient`, which is wrong (see gradient).")
    assert not any(ch.isdigit() for ch in train.feedback.replace("seven", ""))  # no hidden number shown


USES = 'uses=("gradient", "loss")'  # lesson 1 train's declaration


def test_the_course_decides_the_share_of_the_points(tmp_path):
    course = course_with(tmp_path / "course", USES, 'uses=("gradient", "loss"), follow_through=0.5')
    (tmp_path / "student").mkdir()
    train = results(tmp_path / "student", FLIPPED, course=load_course(course))["train"]
    assert (train.status, train.score, train.max_score) == ("failed", 2, 4)
    assert train.feedback.endswith("passes every check; that earns 50% of its points.")


@pytest.mark.parametrize(("declaration", "problem"), [
    ('uses=("nothing",)', "uses must be a tuple of the lesson's other tasks"),
    ('uses=("train",)', "uses must be a tuple of the lesson's other tasks"),
    ('uses=("gradient",), follow_through=1.5', "follow_through must be the share of the points"),
    ('uses=("gradient",), credit="per_case"', 'uses (follow-through) needs credit = "all"'),
])
def test_a_declaration_that_cannot_be_followed_is_refused_at_load(tmp_path, declaration, problem):
    with pytest.raises(CourseError, match=re.escape(problem)):
        load_course(course_with(tmp_path / "course", USES, declaration))


def test_the_reference_s_recorded_calls_are_what_its_loop_computes():
    course = builtin()
    lesson = course.lessons["lesson1_linear"]
    task = lesson.task("train")
    table = Reference(course).served(lesson, task, 0)
    first = table.calls[0]
    assert (first.name, first.args, first.value) == ("gradient", (1.0, 2.0, 1.0), -2.0)
    assert table.answer("gradient", (2.0, 4.0, 1.02)) == pytest.approx(-7.84)  # the loop's second step, at w = 1.02
    assert Table.from_data(table.to_data()).calls[:5] == table.calls[:5]  # as a built kit stores it


def test_a_point_off_the_recorded_runs_is_unknown_and_rounding_is_not():
    table = Table([Call("gradient", (1.0, 2.0, 1.0), -2.0)])
    assert table.answer("gradient", (1.0, 2.0, 1.0 + 1e-15)) == -2.0
    for name, args in (("gradient", (1.0, 2.0, 1.1)), ("gradient", (1.0, 2.0)), ("loss", (1.0, 2.0, 1.0)),
                       ("gradient", ("1", "2", "x"))):
        with pytest.raises(KeyError):
            table.answer(name, args)


def test_the_server_answers_only_what_it_serves_with_arguments_given_once():
    serve = server(Table([Call("gradient", (1.0, 2.0, 1.0), -2.0), Call("loss", (1.0, 2.0, 1.0), 1.0)]),
                   ["gradient"], {"gradient": ["x", "y", "w"], "loss": ["x", "y", "w"]})
    assert serve({"oracle": "gradient", "args": [1.0], "kwargs": {"w": 1.0, "y": 2.0}}) == {"value": -2.0}
    unknown = {"unknown": True}
    assert serve({"oracle": "loss", "args": [1.0, 2.0, 1.0]}) == unknown  # recorded, but not served in this rerun
    assert serve({"oracle": "gradient", "args": [1.0, 2.0, 1.0], "kwargs": {"w": 1.0}}) == unknown
    assert serve({"oracle": "gradient", "args": "1, 2, 1"}) == unknown
    assert serve({"oracle": "gradient", "args": [{"$array": "junk"}, 2.0, 1.0]}) == unknown
    assert in_order(["x", "y"], [1.0], {"z": 2.0}) is None


# Hostile students: the stand-in is no way to more than the right values of the right run ----------------

PROBE = RIGHT.replace("    history = []\n", """    history = []
    probed = gradient(100.0, 3.0, 7.0)  # a point the right loop never visits
    if probed != 2 * 100.0 * (100.0 * 7.0 - 3.0) + 1:
        return "the grader answered: " + repr(probed)
""").replace(GRADIENT, "return 2 * x * (x * w - y) + 1\n", 1)


def test_a_point_the_right_loop_never_visits_is_answered_by_the_students_own_function(level, tmp_path):
    assert "probed = gradient(100.0, 3.0, 7.0)" in PROBE and "(x * w - y) + 1" in PROBE
    train = results(tmp_path, PROBE)["train"]  # had the grader answered there, train would return its words
    assert (train.status, train.served) == ("passed", ("gradient",)), train.feedback


FORGER = RIGHT.replace("    history = []\n", """    history = []
    import os, json
    for fd in range(3, 64):  # a fake question for the grader on every descriptor it may answer on
        try:
            os.write(fd, (json.dumps({"oracle": "gradient", "args": [1.0, 2.0, 1.0]}) + "\\n").encode())
        except OSError:
            pass
""")


def test_a_question_for_the_grader_outside_a_rerun_is_the_students_failure_only(level, tmp_path):
    assert "os.write(fd" in FORGER
    found = results(tmp_path, FORGER)
    assert found["train"].status == "failed" and found["train"].served == ()
    assert all(found[name].passed for name in ("forward", "loss", "gradient", "dloss_dw"))


def test_the_cli_reports_follow_through_in_text_and_json(tmp_path):
    (tmp_path / "lesson1_linear.py").write_text(FLIPPED, encoding="utf-8")
    text = grade("check", str(tmp_path / "lesson1_linear.py"), "-k", "train")
    assert "PASS  train    4/4" in text.stdout and "[right; your gradient is wrong]" in text.stdout
    assert "        Your `train` is right; it used your `gradient`" in text.stdout


def test_course_test_finds_a_declared_function_the_reference_never_calls(tmp_path):
    from grader.workflows.selftest import SelfTest, uses_are_called

    course = load_course(course_with(tmp_path / "course", USES, 'uses=("gradient", "loss", "forward")'))
    findings = uses_are_called(SelfTest(course, Reference(course), tmp_path))
    assert findings == ["lesson1_linear.train: uses forward, but the reference's train never calls it on any case: "
                        "follow-through could never help; take it out of uses"]
    assert uses_are_called(SelfTest(builtin(), Reference(builtin()), tmp_path)) == []


def test_the_class_summary_counts_the_loops_that_passed_by_follow_through(tmp_path):
    from grader.reporters import summary

    reports = []
    for name, text in (("alice", RIGHT), ("bob", FLIPPED)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "lesson1_linear.py").write_text(text, encoding="utf-8")
        reports.append((name, grade_path(tmp_path / name, tasks=["train"])))
    found = summary.summarize(reports, {"lesson1_linear.train": 4})
    assert found["tasks"] == [{"task": "lesson1_linear.train", "graded": 2, "passed": 2, "followed_through": 1,
                               "pass_rate": 1.0}]
    assert "| `lesson1_linear.train` | 2 | 2 | 100% | 1 |" in summary.render(found)


def test_every_value_the_tables_serve_is_the_reference_s_own_at_that_point():
    """A known mistake's run may call a wrong function by the dependency's name (lesson 2's sequential update
    calls a wrong step): such calls are not recorded, so a table serves right values only."""
    from grader import wire

    course = builtin()
    reference = Reference(course)
    checked = 0
    for lesson in course.lessons.values():
        module = reference.module(lesson.name)
        for task in (t for t in lesson.tasks if t.uses):
            for index in range(len(task.cases)):
                for call in reference.served(lesson, task, index).calls[::7]:
                    right = getattr(module, call.name)(*(wire.decode(a) for a in call.args))
                    assert call.value == wire.encode(right), (lesson.name, task.name, index, call.name)
                    checked += 1
    assert checked > 1000


def test_a_hidden_case_off_by_a_factor_does_not_say_the_factor(tmp_path):
    """A factor the student's code made from a hidden input (here 2 + |X[0, 0]|) would give that input away:
    a hidden case says only that the value is a constant multiple of the right one."""
    source = (ROOT / "solutions" / "lesson4_regression.py").read_text(encoding="utf-8")
    (tmp_path / "lesson4_regression.py").write_text(source + '''

_right_mse_gradients = mse_gradients


def mse_gradients(X, y, w, b):
    dw, db = _right_mse_gradients(X, y, w, b)
    factor = 1.0 if len(y) in (5, 6) else 2.0 + abs(X[0, 0])  # right on the public cases only
    return dw * factor, db * factor
''', encoding="utf-8")
    (result,) = grade_path(tmp_path / "lesson4_regression.py", tasks=["mse_gradients"]).tasks
    assert result.hidden_failed and result.mistake == "constant_factor", result.feedback
    assert "is a constant multiple of the right one" in result.feedback
    assert not re.search(r"\d", result.feedback.replace("7 rows, 3 features, b = 0", "")), result.feedback


def test_a_chain_of_uses_gives_the_same_verdicts_whole_and_selected(tmp_path):
    """Lesson 3: train uses gradients and forward, gradients uses forward.  With forward wrong, both are
    followed through, each decided on the verdicts of the student's own code; -k train agrees."""
    source = (ROOT / "solutions" / "lesson3_quadratic.py").read_text(encoding="utf-8")
    wrong = source.replace("return float(x**2 * w2 + x * w1 + b)", "return float(x**2 * w2 + x * w1 + b + 1)", 1)
    assert wrong != source
    (tmp_path / "lesson3_quadratic.py").write_text(wrong, encoding="utf-8")
    whole = {t.task: t for t in grade_path(tmp_path).tasks}
    assert not whole["forward"].passed
    assert (whole["gradients"].status, whole["gradients"].served) == ("passed", ("forward",))
    assert (whole["train"].status, whole["train"].served) == ("passed", ("gradients", "forward"))
    (alone,) = grade_path(tmp_path, tasks=["lesson3_quadratic.train"]).tasks
    assert (alone.status, alone.score, alone.feedback) == ("passed", 4, whole["train"].feedback)


def test_a_stand_in_asked_only_off_the_right_run_helps_nothing(tmp_path):
    """Every question is at a point the right loop never visits: each is answered by the student's own
    (wrong) gradient, so the rerun used nothing of the grader's and the task keeps its own verdict."""
    off = FLIPPED.replace("grad = gradient(x, y, w)", "grad = gradient(x, y, w + 1e-3)")
    assert off != FLIPPED
    train = results(tmp_path, off)["train"]
    assert (train.status, train.served) == ("failed", ())
    assert "in place of yours" not in train.feedback and "it used" not in train.feedback.lower()


def test_junit_and_gradescope_say_a_follow_through(tmp_path):
    import json
    import xml.etree.ElementTree as ET

    from grader.reporters import gradescope, junit

    (tmp_path / "lesson1_linear.py").write_text(FLIPPED, encoding="utf-8")
    report = grade_path(tmp_path / "lesson1_linear.py", tasks=["train"])
    case = ET.fromstring(junit.render(report)).find("testsuite/testcase[@name='train']")
    assert case.find("failure") is None
    assert case.find("system-out").text.startswith("right; your gradient is wrong\nYour `train` is right;")
    (test,) = json.loads(gradescope.render(report))["tests"]
    assert (test["status"], test["score"]) == ("passed", 4.0) and "it used your `gradient`" in test["output"]


def test_a_function_python_could_not_read_is_said_so(tmp_path):
    broken = RIGHT.replace("def gradient(x: float, y: float, w: float) -> float:",
                           "def gradient(x: float, y: float, w: float) -> float")
    train = results(tmp_path, broken)["train"]
    assert (train.status, train.summary) == ("passed", "right; your gradient is unreadable")
    assert "which is unreadable (see gradient)" in train.feedback
