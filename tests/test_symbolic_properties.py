"""Property tests: every equal rewrite of a course derivative passes, every perturbation fails."""

from __future__ import annotations

import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from grader.judges.safe_parse import MAX_EXPONENTIAL_NESTING, AnswerError, parse_answer
from grader.judges.symbolic import judge_derivative

x, y, w, b, w1, w2, lam, theta = sp.symbols("x y w b w1 w2 lam theta")

# (loss, with respect to, the task's symbols) for every symbolic task of the course
COURSE = [
    ((x * w - y) ** 2, w, (x, y, w)),  # lesson 1
    ((w1 * x + w2 - y) ** 2, w1, (x, y, w1, w2)),  # lesson 2
    ((w1 * x + w2 - y) ** 2, w2, (x, y, w1, w2)),
    ((x**2 * w2 + x * w1 + b - y) ** 2, w1, (x, y, w1, w2, b)),  # lesson 3
    ((x**2 * w2 + x * w1 + b - y) ** 2, w2, (x, y, w1, w2, b)),
    ((x**2 * w2 + x * w1 + b - y) ** 2, b, (x, y, w1, w2, b)),
    ((x * w + b - y) ** 2 + lam * w**2, w, (x, y, w, b, lam)),  # lesson 4
    ((theta - 3) ** 2, theta, (theta,)),  # lesson 5
]
SETTINGS = settings(max_examples=30, deadline=None)

tasks = st.sampled_from(COURSE)
small = st.integers(-5, 5)
nonzero = small.filter(bool)


@st.composite
def rewrites(draw: st.DrawFn, expr: sp.Expr, symbols: tuple[sp.Symbol, ...]) -> sp.Expr:
    """``expr`` rewritten by a few random steps that keep its value."""
    for _ in range(draw(st.integers(1, 3))):
        s, k = draw(st.sampled_from(symbols)), draw(small)
        step = draw(st.sampled_from(["expand", "factor", "collect", "add zero", "times one", "halve"]))
        if step == "expand":
            expr = sp.expand(expr)
        elif step == "factor":
            expr = sp.factor(expr)
        elif step == "collect":
            expr = sp.collect(sp.expand(expr), s)
        elif step == "add zero":
            expr = expr + (s + k) ** 2 - sp.expand((s + k) ** 2)
        elif step == "times one":
            expr = expr * sp.expand((s - k) ** 2) / (s - k) ** 2
        else:
            expr = sp.Mul(sp.Rational(1, 2), sp.Mul(2, expr, evaluate=False), evaluate=False)
    return expr


def as_text(expr: sp.Expr, caret: bool) -> str:
    """How a student might send it: sympy's text, perhaps with ^ for powers."""
    text = str(expr)
    return text.replace("**", "^") if caret else text


@SETTINGS
@given(st.data())
def test_equal_rewrites_of_course_derivatives_pass(data: st.DataObject) -> None:
    loss, wrt, symbols = data.draw(tasks)
    answer = data.draw(rewrites(sp.diff(loss, wrt), symbols))
    text = as_text(answer, data.draw(st.booleans()))
    assert judge_derivative(text, loss=loss, wrt=wrt, symbols=symbols).passed, text


@SETTINGS
@given(st.data())
def test_perturbed_course_derivatives_fail(data: st.DataObject) -> None:
    loss, wrt, symbols = data.draw(tasks)
    expected = sp.diff(loss, wrt)
    s, t = data.draw(st.sampled_from(symbols)), data.draw(st.sampled_from(symbols))
    change = data.draw(st.sampled_from(["add term", "scale", "swap symbols", "change power"]))
    if change == "add term":
        answer = expected + sp.Rational(data.draw(nonzero), data.draw(st.integers(1, 4))) * s ** data.draw(
            st.integers(0, 2))
    elif change == "scale":
        answer = expected * sp.Rational(data.draw(nonzero), data.draw(st.integers(1, 4)))
    elif change == "swap symbols":
        answer = expected.xreplace({s: t, t: s})
    else:
        answer = expected.xreplace({s: s ** data.draw(st.integers(2, 3))})
    assume(sp.expand(answer - expected) != 0)
    text = as_text(answer, data.draw(st.booleans()))
    verdict = judge_derivative(text, loss=loss, wrt=wrt, symbols=symbols)
    assert not verdict.passed, text
    assert verdict.details


TOKENS = st.sampled_from(["x", "y", "w", "2", "0", "-1", "0.5", "1e5", "+", "-", "*", "/", "**", "^", "(", ")", ",",
                          " ", "E", "pi", "sp.", "exp(", "log(", "sqrt(", "root(", "Max(", "Heaviside(", "acos(",
                          "atanh(", "diff(", "[", "'", "=", "lambda", "W", "x(", "2x"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(TOKENS, max_size=20).map("".join), st.text(max_size=30)))
def test_any_text_is_read_or_refused_with_a_message(text: str) -> None:
    try:
        expr = parse_answer(text, (x, y, w))
    except AnswerError as error:
        assert str(error)
    else:
        assert isinstance(expr, sp.Expr)


@SETTINGS
@given(st.data())
def test_sympy_text_reads_back_as_the_same_expression(data: st.DataObject) -> None:
    _, _, symbols = data.draw(tasks)
    atoms = st.one_of(st.sampled_from(symbols), small.map(sp.Integer),
                      st.tuples(nonzero, st.integers(1, 9)).map(lambda pq: sp.Rational(*pq)))
    expr = data.draw(st.recursive(atoms, lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda ab: ab[0] + ab[1]),
        st.tuples(inner, inner).map(lambda ab: ab[0] * ab[1]),
        st.tuples(inner, st.integers(-3, 3)).map(lambda ab: ab[0] ** ab[1] if ab[0] != 0 else ab[0]),
        inner.map(sp.exp), inner.map(sp.sin)), max_leaves=8))
    assume(str(expr).count("exp") <= MAX_EXPONENTIAL_NESTING)
    assert parse_answer(str(expr), symbols) == expr
