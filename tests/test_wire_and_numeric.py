"""Values from the child are rebuilt as data; the tolerance policy accepts rounding and rejects mistakes."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import sympy
from hypothesis import given, settings, strategies as st

from grader import wire
from grader.judges.numeric import compare
from grader.judges.safe_parse import AnswerError, parse_answer
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


def same(a, b) -> bool:
    """Equal in value and in type (NaN equals NaN; arrays: dtype, shape and items)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return a == b


def over_the_wire(value):
    """What the grader rebuilds from ``value`` after it crossed as JSON text."""
    return wire.decode(json.loads(json.dumps(wire.encode(value), allow_nan=False)))


arrays = st.builds(
    lambda dtype, shape, seed: np.random.default_rng(seed).normal(size=shape).astype(dtype) * 3,
    st.sampled_from(["float64", "float32", "int64", "int32", "uint8", "bool"]),
    st.lists(st.integers(0, 4), max_size=3).map(tuple), st.integers(0, 2**32 - 1))
scalars = st.one_of(st.floats(), st.integers(-2**70, 2**70), st.booleans(), st.none(), st.text(max_size=5))


def traces(cells):
    """Lists of records that all have the same keys: what a training function returns."""
    return st.lists(st.sampled_from(["epoch", "w", "b", "loss", "grad"]), min_size=1, max_size=4, unique=True).flatmap(
        lambda keys: st.lists(st.fixed_dictionaries({k: cells for k in keys}), min_size=0, max_size=12))


values = st.recursive(
    st.one_of(scalars, arrays, st.lists(st.floats(), min_size=8, max_size=30)),
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.tuples(inner, inner), traces(inner),
                            st.dictionaries(st.text(max_size=3), inner, max_size=4),
                            st.dictionaries(st.integers(), inner, max_size=3)),
    max_leaves=30)


@settings(max_examples=400, deadline=None)
@given(values)
def test_every_value_crosses_unchanged_in_value_and_type(value):
    assert same(over_the_wire(value), value)


def test_traces_and_arrays_cross_as_columns_of_raw_bytes():
    trace = [{"epoch": e, "w": np.array([0.1 * e, math.nan]), "loss": 1.0 / (e + 1)} for e in range(50)]
    data = wire.encode(trace)
    assert data["$table"] == ["epoch", "w", "loss"]
    assert set(data["columns"][1]) == {"$stack", "shape", "bytes"} and data["columns"][1]["shape"] == [50, 2]
    assert set(data["columns"][2]) == {"$floats"}
    back = over_the_wire(trace)
    assert same(back, trace) and all(r["w"].flags.writeable for r in back)


@pytest.mark.parametrize("forged, problem", [
    ({"$floats": "not base64!"}, "not base64"),
    ({"$floats": "AAAA"}, "whole floats"),
    ({"$floats": 12}, "not text"),
    ({"$array": "float64", "shape": [10**9, 10**9], "bytes": "AAAAAAAAAAA="}, "not a list of sizes"),
    ({"$array": "float64", "shape": [2], "bytes": "AAAAAAAAAAA="}, "do not match its shape"),
    ({"$stack": "float64", "shape": [2_000_000, 0], "bytes": ""}, "without their shape"),  # 2M empty rows
    ({"$table": ["w"], "columns": [[0] * (wire.MAX_ITEMS + 1)]}, "more than 2 million"),
    ({"$scalar": "int8", "value": [1, 2]}, "not a number"),
    ({"$array": "float64", "shape": [-1], "bytes": ""}, "list of sizes"),
    ({"$array": "float64", "shape": "3", "bytes": ""}, "list of sizes"),
    ({"$array": "U50000000", "shape": [1], "bytes": ""}, "unexpected dtype"),
    ({"$stack": "float64", "shape": [1], "bytes": "AAAAAAAAAAA="}, "without their shape"),
    ({"$table": ["w", "b"], "columns": [[1.0, 2.0], [1.0]]}, "differ in length"),
    ({"$table": ["w"], "columns": [[1.0], [2.0]]}, "do not match its keys"),
    ({"$table": [3], "columns": [[1.0]]}, "do not match its keys"),
    ({"$table": ["w"], "columns": [{"$float": "nan"}]}, "not a list"),
])
def test_forged_compact_forms_are_refused_without_building_them(forged, problem):
    with pytest.raises(wire.WireError, match=problem):
        wire.decode(forged)


x, y, w = sympy.symbols("x y w")


def comparable(extreme, args):
    """``extreme(*args)`` (Max, Min, Heaviside...), or None where sympy refuses the arguments (zoo, I)."""
    try:
        return extreme(*args)
    except ValueError:
        return None


formulas = st.recursive(
    st.one_of(st.sampled_from([x, y, w, sympy.E, sympy.pi]), st.integers(-5, 5).map(sympy.Integer),
              st.fractions(max_denominator=7).map(sympy.Rational)),
    lambda inner: st.one_of(
        st.lists(inner, min_size=2, max_size=3).map(lambda a: sympy.Add(*a)),
        st.lists(inner, min_size=2, max_size=3).map(lambda a: sympy.Mul(*a)),
        st.tuples(inner, st.sampled_from([-2, -1, 2, 3, sympy.Rational(1, 2), sympy.Rational(-3, 2), x, y]))
          .map(lambda p: sympy.Pow(*p)),
        st.tuples(st.sampled_from([sympy.exp, sympy.log, sympy.sin, sympy.tanh, sympy.Abs, sympy.sign,
                                   sympy.Heaviside]), inner).map(lambda f: comparable(f[0], [f[1]]))
          .filter(lambda e: e is not None),
        st.tuples(st.sampled_from([sympy.Max, sympy.Min]), st.lists(inner, min_size=2, max_size=3))
          .map(lambda f: comparable(f[0], f[1])).filter(lambda e: e is not None)),
    max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(formulas)
def test_a_formula_crosses_as_text_the_safe_parser_reads_back_as_the_same_formula(formula):
    text = over_the_wire(formula)
    assert isinstance(text, wire.SympyText)
    try:
        parse_answer(str(formula), None)
    except AnswerError:
        return  # beyond the parser's limits however it is written (a 60-digit number, zoo...)
    read = parse_answer(text.text, None)
    assert read == formula or sympy.expand(read - formula) == 0 or sympy.simplify(read - formula) == 0


def test_e_and_pi_are_written_from_the_tree_too():
    formula = sympy.E * (x - y) + sympy.pi
    text = over_the_wire(formula).text
    assert "(-1)*y" in text  # written from the tree (str would write "x - y"), not handed back to str
    assert parse_answer(text, None) == formula


def test_formulas_outside_the_parser_s_reach_cross_as_sympy_writes_them():
    f = sympy.Function("f")
    for formula in (f(x) * 2, sympy.Derivative(x**2, x), sympy.Float(0.5) * x, sympy.Dummy("x") + y):
        assert over_the_wire(formula).text == str(formula)


def test_a_forged_bool_array_holds_only_true_and_false():
    back = wire.decode({"$array": "bool", "shape": [3], "bytes": "AAIB"})  # bytes 0, 2, 1
    assert back.tolist() == [False, True, True] and back.view(np.uint8).tolist() == [0, 1, 1]


def test_objects_read_the_same_in_every_run():
    class Adam:
        pass

    def step():
        pass

    back = over_the_wire([Adam(), step])
    assert back[0].text.endswith("Adam object>") and back[1].text.endswith("step>")
    assert "0x" not in back[0].text + back[1].text


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
