"""The symbolic judge beyond polynomials: lesson 7's ∂ℓ/∂w and ∂ℓ/∂b of the cross-entropy, with exp, log and sigmoid."""

from __future__ import annotations

import re
import time

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.judges import symbolic
from grader.judges.safe_parse import AnswerError, parse_answer
from grader.judges.symbolic import equivalent, judge_derivative, right_derivative
from grader.wire import decode, encode

x, y, w, b = sp.symbols("x y w b")
XYWB = (x, y, w, b)
Z = x * w + b
P = 1 / (1 + sp.exp(-Z))
LOSS = -(y * sp.log(P) + (1 - y) * sp.log(1 - P))  # as lesson 7 declares it
SIGMOID = sp.Function("sigmoid")  # what a student's sympy answer may use for σ
DIFFERENCE = re.compile(r"^At x=-?[\d/]+, y=-?[\d/]+, w=-?[\d/]+, b=-?[\d/]+ your answer gives \S+, "
                        r"the derivative is \S+\.$")
S = "sigmoid(x*w + b)"


def judge(answer: object, wrt: sp.Symbol = w, loss: sp.Expr = LOSS):
    """Judge an answer to lesson 7's ∂ℓ/∂w (or ∂ℓ/∂b)."""
    return judge_derivative(answer, loss=loss, wrt=wrt, symbols=XYWB)


# ---------------------------------------------------------------- reading sigmoid


@pytest.mark.parametrize("text", [S, "sp.sigmoid(x*w + b)", "sympy.sigmoid(b + w*x)", "1/(1 + exp(-(x*w + b)))",
                                  "1/(1 + np.exp(-(x*w + b)))", "1/(1 + math.exp(-(x*w + b)))",
                                  "1/(1 + numpy.e**(-(x*w + b)))", "1/(1 + math.e**-(x*w + b))"])
def test_sigmoid_reads_as_the_logistic_function(text: str) -> None:
    assert parse_answer(text, XYWB) == P


@pytest.mark.parametrize("text, message", [
    ("sigmoid(x, w)", "sigmoid(...) takes 1 argument, not 2"),
    ("sigmoid", "sigmoid is a function: write sigmoid(...)"),
    ("Sigmoid(x)", "did you mean sigmoid?"),
    ("torch.sigmoid(x)", "'torch.sigmoid' is not allowed: write plain names"),
])
def test_a_misused_sigmoid_is_explained(text: str, message: str) -> None:
    with pytest.raises(AnswerError, match=re.escape(message)):
        parse_answer(text, XYWB)


@pytest.mark.parametrize("expr", [x * (SIGMOID(Z) - y), x * (P - y), x * (sp.exp(Z) / (1 + sp.exp(Z)) - y)])
def test_a_sympy_answer_crosses_the_wire_and_passes(expr: sp.Expr) -> None:
    """sympy's own Function('sigmoid'), and σ written with exp, read back from the formula text the child sends."""
    assert judge(decode(encode(expr))).passed


def test_a_loss_written_with_sympy_s_sigmoid_is_the_same_task() -> None:
    loss = -(y * sp.log(SIGMOID(Z)) + (1 - y) * sp.log(1 - SIGMOID(Z)))
    assert sp.simplify(right_derivative(loss, w, XYWB) - x * (P - y)) == 0
    assert judge(f"x*({S} - y)", loss=loss).passed
    assert judge(f"x*(y - {S})", loss=loss).mistake == "sign_flipped"


# ---------------------------------------------------------------- equal forms pass

# ∂ℓ/∂z, which is ∂ℓ/∂b, in the forms students write it; x times each is ∂ℓ/∂w
DZ_FORMS = [
    f"{S} - y",
    "1/(1 + exp(-(x*w + b))) - y",
    "exp(x*w + b)/(1 + exp(x*w + b)) - y",
    "1/(1 + 1/exp(x*w + b)) - y",
    "sp.sigmoid(b + w*x) - y",
    f"-(y*exp(-(x*w + b))/(1 + exp(-(x*w + b))) - (1 - y)*{S})",  # the log terms differentiated, as they come
    f"-(y*exp(-(x*w + b))/(1 + exp(-(x*w + b))) - {S} + y*{S})",  # the same with (1 - y) expanded
    f"-y*(1 - {S}) + (1 - y)*{S}",
    f"-(y/{S} - (1 - y)/(1 - {S}))*{S}*(1 - {S})",  # the chain rule written out, nothing cancelled
    "(1 - y - y*exp(-x*w - b))/(1 + exp(-x*w - b))",
    "-(y*exp(-x*w - b) - (1 - y))/(1 + exp(-x*w - b))",
    f"exp(log({S})) - y",
]
DW_ONLY = [
    f"x*{S} - x*y",
    f"-(y*x*exp(-(x*w + b))/(1 + exp(-(x*w + b))) - (1 - y)*x*{S})",
    "x/(1 + exp(-x*w - b)) - x*y",
    "x*exp(x*w + b)/(exp(x*w + b) + 1) - y*x",
]
BY_POINTS = [  # forms exact algebra cannot put over one fraction: decided at 50 digits at the seeded points
    "exp((x*w + b)/2)/(exp((x*w + b)/2) + exp(-(x*w + b)/2)) - y",
    "1/2 + tanh((x*w + b)/2)/2 - y",
]


@pytest.mark.parametrize("answer", DZ_FORMS + BY_POINTS)
def test_equal_forms_of_dloss_db_pass(answer: str) -> None:
    assert judge(answer, wrt=b).passed


@pytest.mark.parametrize("answer", [f"x*({form})" for form in DZ_FORMS + BY_POINTS] + DW_ONLY)
def test_equal_forms_of_dloss_dw_pass(answer: str) -> None:
    assert judge(answer).passed


@pytest.mark.parametrize("answer, how", [(f"x*({form})", "exact") for form in DZ_FORMS]
                         + [(f"x*({form})", "points") for form in BY_POINTS])
def test_the_step_that_decided_is_exact_algebra_where_it_can_be(answer: str, how: str) -> None:
    assert equivalent(parse_answer(answer, XYWB), right_derivative(LOSS, w, XYWB), XYWB).how == how


# ---------------------------------------------------------------- wrong forms fail, named

NAMED_DW = [
    (f"{S} - y", "chain_factor_missing", "chain factor x missing",
     "Your answer is the derivative with respect to z = b + w*x, not w: by the chain rule, multiply it by "
     "∂z/∂w = x."),
    (f"x*(y - {S})", "sign_flipped", "sign flipped", "check each minus sign"),
    (f"-x*{S} + x*y", "sign_flipped", "sign flipped", "check each minus sign"),
    (f"-y*x*(1 - {S})", "term_dropped", "a term of the loss left out",
     "Your answer leaves out the derivative of the term -(1 - y)*log(1 - sigmoid(b + w*x)) of the loss: "
     "differentiate every term and add them up."),
    (f"(1 - y)*x*{S}", "term_dropped", "a term of the loss left out", "the term -y*log(sigmoid(b + w*x))"),
    (f"x*({S} - y)*{S}*(1 - {S})", "inner_derivative_kept",
     "factor sigmoid(b + w*x)*(1 - sigmoid(b + w*x)) left in",
     "Your answer keeps the factor sigmoid(b + w*x)*(1 - sigmoid(b + w*x)), ∂p/∂z for p = sigmoid(b + w*x), but it "
     "cancels: the derivatives of log(p) and log(1 − p) divide by p and 1 − p. Leave it out."),
    (f"-(y/{S} - (1 - y)/(1 - {S}))", "log_inner_missing", "derivative of log: inner derivative missing",
     "The derivative of log(p) is p′/p, not 1/p: with p = sigmoid(b + w*x), also multiply by ∂p/∂w "
     "(the chain rule)."),
    (f"-(y/{S} + (1 - y)/(1 - {S}))", "chain_rule_inner_missing", "chain rule: inner factor missing",
     "also multiply by the derivative of the inside"),
    (f"-(y*log({S}) + (1 - y)*log(1 - {S}))", "not_differentiated", "not differentiated",
     "differentiate it with respect to w"),
]
NAMED_DB = [
    (f"x*({S} - y)", "wrong_variable", "derivative with respect to w", "the derivative with respect to b"),
    (f"y - {S}", "sign_flipped", "sign flipped", "check each minus sign"),
    (f"-y*(1 - {S})", "term_dropped", "a term of the loss left out", "the term -(1 - y)*log(1 - sigmoid(b + w*x))"),
    (f"({S} - y)*{S}*(1 - {S})", "inner_derivative_kept", "factor sigmoid(b + w*x)*(1 - sigmoid(b + w*x)) left in",
     "Leave it out."),
    (f"-(y/{S} - (1 - y)/(1 - {S}))", "log_inner_missing", "derivative of log: inner derivative missing",
     "also multiply by ∂p/∂b"),
]


@pytest.mark.parametrize("wrt, answer, mistake, summary, hint",
                         [(w, *row) for row in NAMED_DW] + [(b, *row) for row in NAMED_DB])
def test_wrong_forms_are_named_with_a_hint(wrt: sp.Symbol, answer: str, mistake: str, summary: str,
                                           hint: str) -> None:
    verdict = judge(answer, wrt=wrt)
    assert (verdict.passed, verdict.mistake, verdict.summary) == (False, mistake, summary)
    assert hint in verdict.hint
    assert DIFFERENCE.match(verdict.details), verdict.details


@pytest.mark.parametrize("answer", [
    f"x*({S} - y) + 1e-12*x", f"x*({S} - y) + 1e-25*x", f"x*({S} - y) + 1/7", f"x*({S} - y) + 10**-29",
    f"x*{S}", "x*(exp(-x*w - b) - y)",
    f"x*(exp((x*w + b)/2)/(exp((x*w + b)/2) + exp(-(x*w + b)/2)) - y) + 1e-25*x",  # on the points' path too
])
def test_a_wrong_derivative_fails_however_close(answer: str) -> None:
    verdict = judge(answer)
    assert (verdict.passed, verdict.summary, verdict.mistake) == (False, "wrong derivative", None)
    assert DIFFERENCE.match(verdict.details), verdict.details


@pytest.mark.parametrize("answer, z_sign", [
    (f"x*({S} - y) + exp(-exp(x*w + b + 20))", -1),  # differs by about 1 where z < -20, by e**(-e**20) elsewhere
    (f"x*({S} - y) + exp(-exp(20 - x*w - b))", 1),  # where z > 20
])
def test_points_with_large_z_catch_what_small_ones_miss(answer: str, z_sign: int) -> None:
    verdict = judge(answer)
    assert not verdict.passed
    at = dict(re.findall(r"(\w)=(-?[\d/]+)", verdict.details.split(" your answer")[0]))
    assert z_sign * (sp.Rational(at["x"]) * sp.Rational(at["w"]) + sp.Rational(at["b"])) > 20


def test_the_points_reach_large_z_with_labels_0_1_and_fractions() -> None:
    seen = {(p[y], sp.sign(p[x] * p[w] + p[b])) for p in symbolic._sample_points(list(XYWB))
            if abs(p[x] * p[w] + p[b]) >= 30}
    assert {(0, 1), (0, -1), (1, 1), (1, -1)} <= seen
    assert any(not p[y].is_integer for p in symbolic._sample_points(list(XYWB)))


# ---------------------------------------------------------------- properties


class _InverseExp(sp.Function):
    """exp(-u) as a student may write it: 1/exp(u)."""

    def _sympystr(self, printer: sp.printing.str.StrPrinter) -> str:
        return f"(1/exp({printer._print(self.args[0])}))"


def _sigmoid_as(form: str, u: sp.Expr) -> sp.Expr:
    return {"sigmoid": SIGMOID(u), "exp(-z)": 1 / (1 + sp.exp(-u)), "exp(z)": sp.exp(u) / (1 + sp.exp(u))}[form]


@st.composite
def right_answers(draw: st.DrawFn, wrt: sp.Symbol) -> str:
    """The derivative, started from one of its forms and rewritten by random steps that keep its value, as text."""
    sigma = _sigmoid_as(draw(st.sampled_from(["sigmoid", "exp(-z)", "exp(z)"])), Z)
    expr = draw(st.sampled_from([sigma - y, -(y * sp.exp(-Z) / (1 + sp.exp(-Z)) - (1 - y) * sigma),
                                 -(y / sigma - (1 - y) / (1 - sigma)) * sigma * (1 - sigma)]))
    expr = expr * sp.diff(Z, wrt)
    for _ in range(draw(st.integers(1, 3))):
        step = draw(st.sampled_from(["expand", "factor", "sigmoid as exp", "exp as sigmoid", "collect"]))
        if step == "expand":  # exp(-b - w*x) stays whole or becomes exp(-b)*exp(-w*x)
            expr = sp.expand(expr, power_exp=draw(st.booleans()))
        elif step == "factor":
            expr = sp.factor(expr)
        elif step == "sigmoid as exp":
            expr = expr.replace(SIGMOID, lambda u: _sigmoid_as(draw(st.sampled_from(["exp(-z)", "exp(z)"])), u))
        elif step == "exp as sigmoid":
            expr = expr.subs(1 / (1 + sp.exp(-Z)), SIGMOID(Z))
        else:
            expr = sp.collect(sp.expand(expr), y)
    if draw(st.booleans()):  # exp(-z) written 1/exp(z)
        expr = expr.replace(lambda e: isinstance(e, sp.exp) and e.args[0].could_extract_minus_sign(),
                            lambda e: _InverseExp(-e.args[0]))
    return str(expr)


PROPERTY = settings(max_examples=30, deadline=None)


@PROPERTY
@given(st.data())
def test_random_rewrites_of_the_derivative_pass(data: st.DataObject) -> None:
    wrt = data.draw(st.sampled_from([w, b]))
    answer = data.draw(right_answers(wrt))
    assert judge(answer, wrt=wrt).passed, answer


@PROPERTY
@given(st.data())
def test_a_small_term_added_fails(data: st.DataObject) -> None:
    wrt = data.draw(st.sampled_from([w, b]))
    term = data.draw(st.sampled_from(["1e-12*x", "1e-12", "1e-12*y", "1e-20*x*w"]) | st.tuples(
        st.integers(-9, 9).filter(bool), st.integers(1, 9)).map(lambda pq: f"{pq[0]}/{pq[1]}"))
    answer = f"{data.draw(right_answers(wrt))} + {term}"
    verdict = judge(answer, wrt=wrt)
    assert not verdict.passed and DIFFERENCE.match(verdict.details), answer


# ---------------------------------------------------------------- hostile answers

HOSTILE = [
    ("sigmoid(" * 60 + "x" + ")" * 60, "nests exponentials"),
    ("exp(" * 4 + "x" + ")" * 4, "nests exponentials"),
    ("sigmoid(sigmoid(sigmoid(sigmoid(x))))", "nests exponentials"),
    ("exp(x)**(10**10)", "the exponent is too large"),
    ("exp(10**100000)", "the exponent is too large"),
    ("+".join(f"sigmoid({i}*x*w + b)" for i in range(300)), "too long"),
]


@pytest.mark.parametrize("text, message", HOSTILE)
def test_hostile_text_is_refused_before_sympy_works_on_it(text: str, message: str) -> None:
    start = time.perf_counter()
    with pytest.raises(AnswerError, match=re.escape(message)):
        parse_answer(text, XYWB)
    assert time.perf_counter() - start < 0.5  # a guard, not a measurement: sympy would take seconds or forever


@pytest.mark.parametrize("answer", [text for text, _ in HOSTILE] + [
    "exp(exp(exp(x*w + b)))", "exp(exp(x*w*b*y*1000))", "log(exp(exp(x**10000)))", "log(" * 90 + "x" + ")" * 90,
    "exp(10**4*x)", "exp(x)**10000", "exp(99999*x*w*b)", "(1 + exp(x*w + b))**300", "exp(x)**exp(x)**exp(x)",
    "exp(x*w*b*y)**20/(1 + exp(x))**20", "sigmoid(10**50*x)", "x**(exp(x)**x)",
])
def test_hostile_answers_get_a_verdict_within_the_limit(monkeypatch: pytest.MonkeyPatch, answer: str) -> None:
    monkeypatch.setattr(symbolic, "TIME_LIMIT", 0.3)  # the real limit is 1.5 s; keep the suite fast
    start = time.perf_counter()
    verdict = judge(answer)
    assert not verdict.passed and verdict.details
    assert time.perf_counter() - start < 0.3 + 0.4


def test_a_tower_of_exponentials_stops_at_the_real_limit() -> None:
    start = time.perf_counter()
    verdict = judge("exp(exp(exp(x*w + b)))")  # e**(e**8103) at the first point: no evaluation finishes
    assert verdict.summary == "answer too complex to check"
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize(("text", "plain"), [
    ("np.log(x) + math.sqrt(w)", "log(x) + sqrt(w)"), ("np.maximum(x, 0) + np.abs(w)", "Max(x, 0) + Abs(w)"),
    ("np.pi * np.arctan(b)", "pi * atan(b)"), ("np.square(x) + np.power(w, 3)", "x**2 + w**3"), ("x * (np.exp(x*w + b) / (1 + np.exp(x*w + b)) - y)",
                                                 "x * (sigmoid(x*w + b) - y)"),
])
def test_numpy_and_math_spellings_read_as_the_plain_names(text: str, plain: str) -> None:
    """Students write NumPy's names in a formula as they do in code: np.exp is exp, np.e is E."""
    assert sp.simplify(parse_answer(text, XYWB) - parse_answer(plain, XYWB)) == 0


def test_aliases_are_numpy_s_and_math_s_only() -> None:
    with pytest.raises(AnswerError):
        parse_answer("sympy.maximum(x, 0)", XYWB)
