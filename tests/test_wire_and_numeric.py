"""Values from the child are rebuilt as data; the tolerance policy accepts rounding and rejects mistakes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from grader import wire
from grader.judges.numeric import compare
from grader.judges.values import judge_value


def roundtrip(value):
    return wire.decode(wire.encode(value))


def test_roundtrip_of_course_values():
    value = {"w": np.arange(6.0).reshape(2, 3), "epoch": 2, "t": (1.5, -2), "big": 10 ** 30,
             "x": np.float64(0.1), "inf": -math.inf}
    back = roundtrip(value)
    assert back["w"].shape == (2, 3) and back["w"].dtype == np.float64
    assert back["t"] == (1.5, -2) and back["big"] == 10 ** 30 and back["inf"] == -math.inf
    assert isinstance(back["x"], np.float64)


def test_special_floats_in_lists_records_and_arrays_cross_as_tags():
    value = [1.0, math.nan, {"w": math.inf, 3: -math.inf}, np.array([0.5, math.nan, -math.inf]), 2**70, -2**63]
    back = roundtrip(value)
    assert back[0] == 1.0 and math.isnan(back[1]) and back[2] == {"w": math.inf, 3: -math.inf}
    assert back[3][0] == 0.5 and math.isnan(back[3][1]) and back[3][2] == -math.inf
    assert back[4] == 2**70 and back[5] == -2**63
    assert "NaN" not in __import__("json").dumps(wire.encode(value))  # strict JSON: no NaN or Infinity literals


@pytest.mark.parametrize("value", [
    [0.0] * (wire.MAX_ITEMS + 1),
    [[0.0] * 1000] * (wire.MAX_ITEMS // 1000 + 1),  # nested: every item counts
    [{"w": 0.0, "b": 1.0}] * (wire.MAX_ITEMS // 3 + 1),
    [np.zeros(1000)] * (wire.MAX_ITEMS // 1000),
])
def test_values_of_more_than_two_million_items_are_refused(value):
    with pytest.raises(wire.WireError, match="more than 2 million items"):
        wire.encode(value)


def test_unknown_objects_become_opaque_text():
    class Weird:
        def __repr__(self):
            raise RuntimeError("no")
    back = roundtrip([Weird(), print])
    assert isinstance(back[0], wire.Opaque) and "Weird" in back[0].type_name
    assert isinstance(back[1], wire.Opaque)


def test_too_deep_values_are_refused():
    deep: list = []
    for _ in range(100):
        deep = [deep]
    with pytest.raises(wire.WireError):
        wire.encode(deep)


def test_reordered_arithmetic_passes_and_real_mistakes_fail():
    xs = np.linspace(-3, 3, 101)
    looped = sum(2 * x * (x * 0.7 - 1.3) for x in xs) / len(xs)
    vectorised = float(np.mean(2 * xs * (xs * 0.7 - 1.3)))
    assert compare(looped, vectorised) is None
    assert compare(looped, looped * (1 + 1e-5)) is not None  # a scaled learning rate or a sum for a mean is far larger


def test_values_near_zero_use_the_scale_of_the_quantity():
    assert compare(np.array([4.0, 1e-30]), np.array([4.0, 3e-30])) is None
    assert compare(np.array([1e-10, 2e-10]), np.array([1e-10, 3e-10])) is not None


@pytest.mark.parametrize("got, summary", [
    (None, "returned None"), ("6", "wrong type"), (np.zeros(2), "wrong type"), (math.nan, "got nan"),
    (5.0, "wrong value"),
])
def test_value_feedback(got, summary):
    assert judge_value(6.0, got, "forward(2.0, 3.0)").summary == summary


def test_array_shape_feedback():
    verdict = judge_value(np.zeros(3), np.zeros((3, 1)), "predict(X, w, b)")
    assert verdict.summary == "wrong shape" and "shape (3,)" in verdict.details and "(3, 1)" in verdict.details
