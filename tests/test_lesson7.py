"""Lesson 7 as students meet it: overflowing numerics and wrong stopping rules are named, right code in other styles passes.

Each student file below is the right lesson (written in another style than the
reference: loops, the contract's formulas, a while loop) with one function
replaced by a typical mistake, graded through the Python API with every case,
hidden ones included.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from grader.courses import builtin
from grader.grading import grade_path
from grader.judges.numeric import compare
from grader.judges.values import value_matches
from grader.reference import Reference
from grader.results import TaskResult

LESSON = "lesson7_logistic"
REFERENCE = Reference(builtin())

RIGHT = '''
import math
import numpy as np


def sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))[()]


def cross_entropy(X, y, w, b):
    z = X @ w + b
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def dloss_dw():
    return "x*(1/(1 + exp(-(x*w + b))) - y)"


def dloss_db():
    return "exp(x*w + b)/(1 + exp(x*w + b)) - y"


def gradients(X, y, w, b):
    dw, db = np.zeros(len(w)), 0.0
    for row, label in zip(X, y):
        error = 1 / (1 + math.exp(-(row @ w + b))) - label if row @ w + b > -700 else -label
        dw += error * row / len(y)
        db += error / len(y)
    return dw, db


def train(X, y, w, b, lr, max_epochs, tol):
    history, previous, epoch = [], cross_entropy(X, y, w, b), 0
    while epoch < max_epochs:
        dw, db = gradients(X, y, w, b)
        w, b = w - lr * dw, b - lr * db
        loss = cross_entropy(X, y, w, b)
        history.append({"epoch": epoch, "w": w.copy(), "b": b, "loss": loss})
        if loss > previous - tol:
            break
        previous, epoch = loss, epoch + 1
    return history


def predict(X, w, b):
    return np.where(X @ w + b >= 0, 1, 0)
'''

SPLIT_SIGMOID = '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    p = np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))  # both sides computed: NumPy warns
    return float(p) if p.ndim == 0 else p


def cross_entropy(X, y, w, b):
    total = 0.0
    for row, label in zip(X, y):
        z = float(row @ w + b)
        total += label * math.log1p(math.exp(-abs(z))) + label * max(-z, 0.0) \\
            + (1 - label) * (math.log1p(math.exp(-abs(z))) + max(z, 0.0))
    return total / len(y)
'''

MISTAKES = {  # file → (what replaces the right code, the task, the mistake it must be named, words its feedback says)
    "textbook_sigmoid": ('''
def sigmoid(z):
    return 1 / (1 + np.exp(-z))
''', "sigmoid", "sigmoid_overflow", ("overflows", "np.where")),
    "ratio_sigmoid": ('''
def sigmoid(z):
    return np.exp(z) / (1 + np.exp(z))


def gradients(X, y, w, b):
    errors = sigmoid(X @ w + b) - y
    return X.T @ errors / len(y), float(np.mean(errors))
''', "sigmoid gradients", "sigmoid_overflow", ("overflows", "inf/inf is nan", "np.where")),
    "literal_log1p_exp": ('''
def cross_entropy(X, y, w, b):
    z = X @ w + b
    return float(np.mean(np.log(1 + np.exp(z)) - y * z))
''', "cross_entropy", "log1p_exp_overflow", ("overflows", "inf", "np.logaddexp(0, z)")),
    "log_of_p": ('''
def cross_entropy(X, y, w, b):
    p = 1 / (1 + np.exp(-(X @ w + b)))
    return -float(np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
''', "cross_entropy", "log_of_zero", ("log(0)", "nan", "np.logaddexp(0, z)")),
    "loss_below_tol": ('''
def train(X, y, w, b, lr, max_epochs, tol):
    history = []
    for epoch in range(max_epochs):
        dw, db = gradients(X, y, w, b)
        w, b = w - lr * dw, b - lr * db
        history.append({"epoch": epoch, "w": w, "b": b, "loss": cross_entropy(X, y, w, b)})
        if history[-1]["loss"] < tol:
            break
    return history
''', "train", "loss_compared_with_tol", ("previous − loss < tol",)),
    "abs_of_the_change": ('''
def train(X, y, w, b, lr, max_epochs, tol):
    history, previous = [], cross_entropy(X, y, w, b)
    for epoch in range(max_epochs):
        dw, db = gradients(X, y, w, b)
        w, b = w - lr * dw, b - lr * db
        loss = cross_entropy(X, y, w, b)
        history.append({"epoch": epoch, "w": w, "b": b, "loss": loss})
        if abs(previous - loss) < tol:
            break
        previous = loss
    return history
''', "train", "abs_decrease", ("loss goes up", "without abs")),
    "break_before_recording": ('''
def train(X, y, w, b, lr, max_epochs, tol):
    history, previous = [], cross_entropy(X, y, w, b)
    for epoch in range(max_epochs):
        dw, db = gradients(X, y, w, b)
        w, b = w - lr * dw, b - lr * db
        loss = cross_entropy(X, y, w, b)
        if previous - loss < tol:
            break
        history.append({"epoch": epoch, "w": w, "b": b, "loss": loss})
        previous = loss
    return history
''', "train", "stops_one_epoch_early", ("one epoch too few at the stop",)),
    "flag_acted_on_one_epoch_late": ('''
def train(X, y, w, b, lr, max_epochs, tol):
    history, previous, converged = [], cross_entropy(X, y, w, b), False
    for epoch in range(max_epochs):
        dw, db = gradients(X, y, w, b)
        w, b = w - lr * dw, b - lr * db
        loss = cross_entropy(X, y, w, b)
        history.append({"epoch": epoch, "w": w, "b": b, "loss": loss})
        if converged:
            break
        converged, previous = previous - loss < tol, loss
    return history
''', "train", "stops_one_epoch_late", ("one epoch too many at the stop",)),
    "b_from_the_new_w": ('''
def train(X, y, w, b, lr, max_epochs, tol):
    history, previous = [], cross_entropy(X, y, w, b)
    for epoch in range(max_epochs):
        w = w - lr * gradients(X, y, w, b)[0]
        b = b - lr * gradients(X, y, w, b)[1]
        loss = cross_entropy(X, y, w, b)
        history.append({"epoch": epoch, "w": w, "b": b, "loss": loss})
        if previous - loss < tol:
            break
        previous = loss
    return history
''', "train", "b_with_new_w", ("current (w, b)",)),
    "one_epoch_past_max": ('''
def train(X, y, w, b, lr, max_epochs, tol):
    history, previous = [], cross_entropy(X, y, w, b)
    for epoch in range(max_epochs + 1):
        dw, db = gradients(X, y, w, b)
        w, b = w - lr * dw, b - lr * db
        loss = cross_entropy(X, y, w, b)
        history.append({"epoch": epoch, "w": w, "b": b, "loss": loss})
        if previous - loss < tol:
            break
        previous = loss
    return history
''', "train", "one_epoch_too_many", ("one epoch too many",)),
    "probabilities_not_labels": ('''
def predict(X, w, b):
    return sigmoid(X @ w + b)
''', "predict", "probabilities", ("labels, not probabilities",)),
    "booleans_not_integers": ('''
def predict(X, w, b):
    return X @ w + b >= 0
''', "predict", "boolean_labels", ("True/False", ".astype(int)")),
}


@cache
def graded(folder: Path, text: str) -> dict[str, TaskResult]:
    """The results of the student file ``text`` (graded in ``folder``), every case run, by task."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{LESSON}.py").write_text(text, encoding="utf-8")
    report = grade_path(folder, reference=REFERENCE)
    return {result.task: result for lesson in report.lessons for result in lesson.tasks}


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("lesson7")


@pytest.mark.parametrize("style", ["contract_formulas_and_loops", "split_sigmoid_and_per_label_loss"])
def test_right_code_in_other_styles_gets_full_marks_hidden_cases_included(scratch: Path, style: str) -> None:
    text = RIGHT if style == "contract_formulas_and_loops" else RIGHT + SPLIT_SIGMOID
    results = graded(scratch / style, text)
    assert {task: result.feedback for task, result in results.items() if not result.passed} == {}
    assert len(results) == 7


@pytest.mark.parametrize("folder", MISTAKES)
def test_a_typical_mistake_is_named_with_what_to_do(scratch: Path, folder: str) -> None:
    code, tasks, mistake, words = MISTAKES[folder]
    results = graded(scratch / folder, RIGHT + code)
    for task in tasks.split():
        result = results[task]
        assert (result.passed, result.mistake) == (False, mistake), result.feedback
        assert all(word in result.feedback for word in words), result.feedback
    assert [t for t, r in results.items() if not r.passed] == tasks.split()


def test_overflow_feedback_shows_where_and_what_came_out(scratch: Path) -> None:
    sigmoid = graded(scratch / "textbook_sigmoid", RIGHT + MISTAKES["textbook_sigmoid"][0])["sigmoid"]
    assert "sigmoid(-712.0): expected 6.05799464" in sigmoid.feedback and "got 0.0" in sigmoid.feedback
    loss = graded(scratch / "literal_log1p_exp", RIGHT + MISTAKES["literal_log1p_exp"][0])["cross_entropy"]
    assert "got inf where 244.64609" in loss.feedback


# ---------------------------------------------------------------- the engine: a mistake that overflows is matched


@pytest.mark.parametrize(("special", "other"), [(math.inf, -math.inf), (-math.inf, math.inf), (math.nan, math.inf)])
def test_a_non_finite_expected_value_is_matched_only_by_the_same_one(special: float, other: float) -> None:
    assert value_matches(special, special)
    assert not value_matches(special, other) and not value_matches(special, 3.0)
    assert value_matches(np.array([1.0, special]), np.array([1.0, special]))
    assert not value_matches(np.array([1.0, special]), np.array([1.0, 1e308]))
    assert compare((2.0, special), (2.0, special)) is None


def test_a_finite_expected_value_is_never_matched_by_a_non_finite_one() -> None:
    for bad in (math.inf, -math.inf, math.nan):
        assert compare(244.6, bad).reason == "nan"
        assert compare(np.array([0.5, 1.0]), np.array([0.5, bad])).reason == "nan"
