"""The trace judge: record k against record k, one tolerance policy, feedback with numbers and place."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings, strategies as st

from grader.judges.trace import TraceShape, judge_trace

SHAPE = TraceShape(("epoch", "w", "loss"), lambda k: f"epoch {k // 2}, sample {k % 2 + 1}",
                   "one per update, 2 epochs × 2 samples")


def history(ws, losses=None):
    losses = losses or [0.5 / (k + 1) for k in range(len(ws))]
    return [{"epoch": k // 2, "w": w, "loss": l} for k, (w, l) in enumerate(zip(ws, losses))]


EXPECTED = history([1.1, 1.2, 1.25, 1.3])


def test_identical_and_reordered_arithmetic_pass_and_extra_keys_are_ignored():
    got = [dict(r, note="mine", w=r["w"] * (1 + 1e-13)) for r in EXPECTED]
    assert judge_trace(EXPECTED, got, SHAPE, "train").passed


def test_first_differing_step_with_expected_got_relative_error_and_a_table():
    got = history([1.1, 1.2, 1.27, 1.3])
    verdict = judge_trace(EXPECTED, got, SHAPE, "train")
    assert not verdict.passed and verdict.summary == "first differs at epoch 1, sample 1"
    first = verdict.details.splitlines()[0]
    assert first == "epoch 1, sample 1: w expected 1.25, got 1.27 (relative error 1.6e-02)"
    assert "> epoch 1, sample 1" in verdict.details and "  epoch 0, sample 2" in verdict.details


def test_diverges_is_said_only_of_training_that_blew_up():
    blown = judge_trace(EXPECTED, history([1.1, 1.2, math.inf, math.nan]), SHAPE, "train")
    assert blown.summary == "diverges at epoch 1, sample 1" and "the values blew up" in blown.details
    assert judge_trace(EXPECTED, history([1.1, 1.2, 1.25, 9.0]), SHAPE, "train").summary == \
        "first differs at epoch 1, sample 2"


def test_length_mismatch_is_said_as_such():
    verdict = judge_trace(EXPECTED, EXPECTED + EXPECTED[:2], SHAPE, "train")
    assert verdict.details == ("6 records, expected 4: one per update, 2 epochs × 2 samples; "
                               "the first 4 records are right")


def test_missing_key_and_non_dict_records():
    missing = [{"epoch": 0, "w": 1.1}] + EXPECTED[1:]
    assert "has no key 'loss'" in judge_trace(EXPECTED, missing, SHAPE, "train").details
    assert "is a float" in judge_trace(EXPECTED, [1.0] * 4, SHAPE, "train").details


def test_nan_inf_none_and_types_in_records():
    for bad, words in ((math.nan, "got nan"), (math.inf, "got inf"), (None, "None"), ("1.25", "a str")):
        got = [dict(r) for r in EXPECTED]
        got[2]["w"] = bad
        details = judge_trace(EXPECTED, got, SHAPE, "train").details
        assert details.startswith("epoch 1, sample 1: w"), details
        assert words in details, (bad, details)


def test_arrays_compared_by_shape_then_values():
    shape = TraceShape(("w",), lambda k: f"epoch {k}", "one per epoch")
    expected = [{"w": np.array([1.0, 2.0])}, {"w": np.array([1.5, 2.5])}]
    wrong_shape = [{"w": np.array([[1.0, 2.0]])}, {"w": np.array([[1.5, 2.5]])}]
    assert "shape (1, 2)" in judge_trace(expected, wrong_shape, shape, "batch_gd").details
    wrong_value = [{"w": np.array([1.0, 2.0])}, {"w": np.array([1.5, 2.6])}]
    assert "w[1] expected 2.5, got 2.6" in judge_trace(expected, wrong_value, shape, "batch_gd").details


def test_not_a_list():
    verdict = judge_trace(EXPECTED, {"w": 1.0}, SHAPE, "train")
    assert verdict.summary == "not a list" and "got a dict" in verdict.details


def _record_by_record(expected, got, keys):
    """The judge's decision without its one-pass shortcut: compare() on each record."""
    from grader.judges.numeric import compare, magnitude

    scales = {k: magnitude([r[k] for r in expected]) for k in keys}
    return all(compare(e[k], g[k], scales[k]) is None for e, g in zip(expected, got) for k in keys)



_NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=64), st.integers(-10**6, 10**6),
                     st.booleans(), st.none())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=8), st.data())
def test_the_one_pass_shortcut_decides_as_record_by_record_comparison(base, data):
    expected = [{"w": w, "v": np.array([w, 2 * w])} for w in base]
    noise = st.sampled_from([0.0, 1e-12, 1e-7, 1e-5, 1.0])
    got = []
    for w in base:
        kind = data.draw(st.sampled_from(["close", "other", "array"]))
        if kind == "close":
            value = w * (1 + data.draw(noise)) + data.draw(noise)
        elif kind == "other":
            value = data.draw(_NUMBERS)
        else:
            value = np.array([w])
        got.append({"w": value, "v": np.array([w, 2 * w]) * (1 + data.draw(noise))})
    shape = TraceShape(("w", "v"), str, "")
    assert judge_trace(expected, got, shape, "train").passed == _record_by_record(expected, got, ("w", "v"))


def test_a_step_label_with_nested_brackets_keeps_its_step_in_the_table():
    shape = TraceShape(None, lambda k: f"Adam #2 (lr=0.01, betas=(0.8, 0.99)), step {k + 1}", "one per step")
    verdict = judge_trace([np.array([1.0]), np.array([2.0])], [np.array([1.0]), np.array([2.5])], shape, "Adam.step")
    table = verdict.details.splitlines()[1:]  # the first line names the step in full, its details included
    assert [row[:17] for row in table] == ["  step           ", "  Adam #2, step 1", "> Adam #2, step 2"]
