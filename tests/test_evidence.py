"""A failed task keeps its evidence as data: the case, where it diverged, expected and got, the named mistake.

Graded through the Python API on student files, kept in report.json and read back (an older report.json,
written before the evidence was kept, still loads), and rendered from its fields by the reporters.
Of a hidden case the evidence holds its label and a named mistake, never a value, a call or a place.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from functools import cache

import pytest
import sympy

from conftest import ROOT, SUBMISSIONS
from grader.courses import builtin
from grader.grading import grade_path, hidden_failure
from grader.judges.symbolic import judge_derivative
from grader.judges.values import judge_value
from grader.model import Evidence, Mismatch, NamedMistake, Verdict
from grader.reporters import gradescope, junit, markdown, summary
from grader.results import LessonResult, Report

LESSON = builtin().lessons["lesson1_linear"]
TRAIN = LESSON.task("train")
PUBLIC = [(list(c.args[0]), list(c.args[1]), *c.args[2:]) for c in TRAIN.cases if not c.hidden]
FIRST_HIDDEN = next(c for c in TRAIN.cases if c.hidden)
LOSS_BEFORE_UPDATE = "the loss is recorded before the update: compute it with the new w, after the step"

# right on the public cases, the loss recorded before the update on any other data
HIDDEN_MISTAKE = f'''
PUBLIC = {PUBLIC!r}
_right = train


def train(xs, ys, w, lr, epochs):
    if (list(xs), list(ys), w, lr, epochs) in PUBLIC:
        return _right(xs, ys, w, lr, epochs)
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            before = loss(x, y, w)
            grad = gradient(x, y, w)
            w = w - lr * grad
            history.append({{"epoch": epoch, "x": x, "y": y, "grad": grad, "w": w, "loss": before}})
    return history
'''


@cache
def public_failure() -> Report:
    """Lesson 1's train with the loss recorded before the update, on every case."""
    return grade_path(SUBMISSIONS / "loss_before_update", tasks=("train",))


@pytest.fixture(scope="module")
def hidden_failure_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """Lesson 1's train right on the public cases, with the loss recorded before the update on the hidden ones."""
    folder = tmp_path_factory.mktemp("hidden_mistake")
    reference = (ROOT / "solutions" / "lesson1_linear.py").read_text(encoding="utf-8")
    (folder / "lesson1_linear.py").write_text(reference + HIDDEN_MISTAKE, encoding="utf-8")
    return grade_path(folder, tasks=("train",))


def test_a_failing_trace_keeps_the_record_its_label_expected_got_the_call_and_the_mistake() -> None:
    (task,) = public_failure().tasks
    evidence = task.evidence
    assert (task.status, evidence.case, evidence.hidden) == ("failed", "seed data", False)
    assert evidence.call == "train([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0], 1.0, 0.01, 5)"
    assert (evidence.record, evidence.where) == (0, "epoch 0, sample 1 (x=1.0, y=2.0)")
    (differs,) = evidence.mismatches
    assert (differs.key, differs.path, differs.got, differs.reason) == ("loss", "", 1.0, "value")
    assert differs.expected == pytest.approx(0.9604)
    assert evidence.keys == ("loss",)
    assert evidence.mistake == NamedMistake("loss_before_update", "loss before update", LOSS_BEFORE_UPDATE)
    assert task.mistake == "loss_before_update" and not task.hidden_failed


def test_a_hidden_failure_keeps_the_case_s_label_and_the_mistake_but_no_value_call_or_place(
        hidden_failure_report: Report) -> None:
    (task,) = hidden_failure_report.tasks
    mistake = NamedMistake("loss_before_update", "loss before update", LOSS_BEFORE_UPDATE)
    assert task.evidence == Evidence(FIRST_HIDDEN.label, hidden=True, mistake=mistake)
    assert task.hidden_failed and task.mistake == "loss_before_update"


def test_a_judge_s_evidence_of_a_hidden_case_is_dropped() -> None:
    """Where a student's values diverge on a hidden case is chosen by the student's code: it could spell the
    hidden data, so the result keeps none of it, whatever the judge saw."""
    seen = Evidence(call="train([0.5, ...])", record=3, where="epoch 0, sample 4",
                    mismatches=(Mismatch("loss", "", 0.25, 0.5),))
    verdict = Verdict(False, "loss before update", "epoch 0, sample 4: loss expected 0.25, got 0.5",
                      "loss_before_update", LOSS_BEFORE_UPDATE, seen)
    task = hidden_failure(LESSON, TRAIN, replace(FIRST_HIDDEN, label="small data"), verdict)
    mistake = NamedMistake("loss_before_update", "loss before update", LOSS_BEFORE_UPDATE)
    assert task.evidence == Evidence("small data", hidden=True, mistake=mistake)
    shown = gradescope.render(Report((LessonResult(LESSON.name, "lesson1_linear.py", (task,)),)))
    assert "small data" in shown and not any(data in shown for data in ("0.25", "0.5", "sample 4", "train([0.5"))


def test_values_and_derivatives_keep_what_differs() -> None:
    verdict = judge_value((1.0, 2.0), (1.0, 2.5), "f(1)")
    assert verdict.evidence.mismatches == (Mismatch("", "[1]", 2.0, 2.5, "value"),)
    x, y, w = sympy.symbols("x y w")
    verdict = judge_derivative("2*x*(y - x*w)", loss=(x * w - y) ** 2, wrt=w, symbols=(x, y, w))
    (differs,) = verdict.evidence.mismatches
    assert verdict.details == (f"At {verdict.evidence.where} your answer gives {differs.got}, "
                               f"the derivative is {differs.expected}.")
    assert [part.split("=")[0] for part in verdict.evidence.where.split(", ")] == ["x", "y", "w"]
    assert verdict.named == NamedMistake("sign_flipped", "sign flipped", verdict.hint)


def test_report_json_keeps_the_evidence(hidden_failure_report: Report) -> None:
    for report in (public_failure(), hidden_failure_report):
        assert Report.from_dict(json.loads(json.dumps(report.to_dict()))) == report


def test_a_report_json_written_before_the_evidence_still_loads() -> None:
    old = {"lesson": "lesson1_linear", "task": "train", "title": "train", "score": 0.0, "max_score": 4.0,
           "status": "failed", "summary": "loss before update", "feedback": "the loss is recorded before ...",
           "mistake": "loss_before_update", "hidden_failed": True}
    passed = {**old, "score": 4.0, "status": "passed", "summary": "passed", "feedback": "", "mistake": None,
              "hidden_failed": False}
    data = {"lessons": [{"lesson": "lesson1_linear", "path": "lesson1_linear.py", "tasks": [old, passed],
                         "notes": [], "output": "", "seconds": 1.0}], "notes": [], "isolation": "", "seconds": 1.0}
    failed, right = Report.from_dict(data).tasks
    assert (failed.mistake, failed.hidden_failed, right.evidence) == ("loss_before_update", True, None)
    assert failed.evidence == Evidence(hidden=True, mistake=NamedMistake("loss_before_update", "loss before update"))
    rows = [("alice", Report.from_dict(data))]
    assert summary.summarize(rows, {"lesson1_linear.train": 4.0})["mistakes"] == [
        {"task": "lesson1_linear.train", "mistake": "loss_before_update", "summary": "loss before update", "count": 1}]


def test_reporters_render_the_evidence_s_fields(hidden_failure_report: Report) -> None:
    report = public_failure()
    (test,) = json.loads(gradescope.render(report))["tests"]
    kept = test["extra_data"]["evidence"]
    assert (kept["record"], kept["mismatches"][0]["key"], kept["mistake"]["id"]) == (0, "loss", "loss_before_update")
    (hidden,) = json.loads(gradescope.render(hidden_failure_report))["tests"]
    assert hidden["extra_data"]["evidence"] == {"case": FIRST_HIDDEN.label, "hidden": True, "call": "", "record": None,
                                                "where": "", "mismatches": [],
                                                "mistake": {"id": "loss_before_update", "label": "loss before update",
                                                            "hint": LOSS_BEFORE_UPDATE}, "slope": None}
    case = ET.fromstring(junit.render(report)).find("testsuite/testcase[@name='train']")
    properties = {p.get("name"): p.get("value") for p in case.iterfind("properties/property")}
    assert properties["where"] == "epoch 0, sample 1 (x=1.0, y=2.0)"
    assert properties["mismatch"] == "loss: expected 0.9604, got 1.0"
    assert properties["mistake"] == "loss before update (loss_before_update)"
    assert "where `epoch 0, sample 1 (x=1.0, y=2.0)` · mismatch `loss: expected 0.9604, got 1.0`" in \
        markdown.render(report)
