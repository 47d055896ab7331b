"""The symbolic judge: is a student's formula the derivative of the loss?

Two expressions are compared in steps, each used only when the ones before
could not decide; :class:`Equivalence` says which step decided (``how``):

1. a first look at the first seeded points (below): a difference there is
   final, and most wrong answers end here;
2. ``"exact"``: exact algebra, when a size estimate says it is cheap. For
   polynomials and fractions of them, ``expand`` of the difference (then
   ``cancel``). With exponentials (``sigmoid(z)`` is read as ``1/(1 + exp(-z))``),
   each ``exp(k*m + ...)`` becomes ``E_m**k * ...``, a new symbol ``E_m`` per
   monomial ``m`` of the exponent and ``k`` an integer (so ``exp(-z)`` is
   ``1/exp(z)`` and ``exp(-b - w*x)`` is ``exp(-b)*exp(-w*x)``), and the
   difference must be 0 as a fraction of polynomials in the symbols, the
   ``E_m`` and any other function (``log``) taken as a symbol: ``together``,
   then ``expand`` of the numerator. Sound whatever the functions are (a
   formal 0 is 0 everywhere); forms it cannot put over one fraction
   (``exp(z/2)``, ``tanh``, ``log(a*b)`` against ``log(a) + log(b)``) go on to
   the points;
3. ``"points"``: both sides evaluated at seeded points: small integers first (so
   a counterexample is readable), then fractions, then the :data:`WIDE` rows
   (for lesson 7's ``x, y, w, b``: ``z = x*w + b`` from -43 to 45, where
   ``exp(z)`` is far beyond a float's range of detail, and labels ``y`` of 0, 1
   and fractions). Rationals stay exact; anything else is evaluated by
   ``evalf`` to :data:`PRECISION` (50) significant digits and two values count
   as equal only when they agree to :data:`TOLERANCE` (30 digits, relative;
   absolute near 0), so no wrong answer passes by a float tolerance (adding
   ``1e-12*x`` fails). A point counts only where both are real numbers; one
   point where they differ proves them different, agreement at every counted
   point (at least three) is taken as equality;
4. ``"simplify"``: ``sympy.simplify`` of the difference, when too few points
   counted.

All sympy work on student input runs in a forked child process that streams its
best verdict so far down a pipe; the parent waits at most :data:`TIME_LIMIT`
seconds, then kills it. No signal handlers or threads are involved, so nothing
a student writes can stall or crash the grader (Unix only: it needs os.fork).
The grader must not run other threads meanwhile: a thread holding a lock at the
fork would leave it locked in the child forever (``grade batch`` grades in
processes, each with one thread).  A class submits few distinct answers, so a
task keeps each decided verdict (in the :data:`Judged` its kind holds, keyed by
answer text, loss and variable): the fork is paid once per distinct answer.

A wrong derivative is compared with the typical mistakes of :func:`_task_mistakes`
(sign flipped, factor 2, chain rule, a chain factor such as ``x`` in
``z = x*w + b`` missing, ``1/p`` for the derivative of ``log(p)``, a factor
``σ(z)(1 − σ(z))`` that cancels left in, a term of the loss left out, wrong
variable, not differentiated, integrated) and the first that matches is named.
"""

from __future__ import annotations

import gc
import json
import math
import numbers
import os
import random
import resource
import select
import signal
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from functools import lru_cache, partial
from typing import Any, NoReturn

import mpmath
import sympy
from sympy.core.function import AppliedUndef

from grader.feedback import PASS, fail, show
from grader.judges.safe_parse import AnswerError, parse_answer, sigmoid
from grader.model import Evidence, Mismatch, Mistake, Verdict
from grader.wire import Opaque, SympyText

TIME_LIMIT = 1.5  # seconds of sympy work per answer, in the child
CHILD_MEMORY = 1 << 30  # bytes the child may allocate on top of what it inherits
SEED = 20240611
PRECISION = 50  # significant digits of numeric evaluation
TOLERANCE = sympy.Float("1e-30", PRECISION)  # relative (absolute near 0) difference still counted as equal
CHOP = 1e-150  # smaller parts of a value are 0 in evalf: far below the values at the points (1/(1 + e**43)**3
# is 1e-56), which chop=True, at about 1e-49 here, would have zeroed
MIN_POINTS = 3  # points where both sides are real needed to call them equal
FIRST_LOOK = 2  # points compared before any algebra (a wrong answer usually differs there)
MAX_EXP_MULTIPLE = 20  # exp(k*m) with |k| above this is left to the points
MAX_EXPAND_TERMS = 300  # the exact step runs only below this estimate (~150 ms of expand)
MAX_EXACT_DEGREE = 100_000  # above this, points are evaluated numerically
MAX_CACHED = 4096  # verdicts a Judged keeps, oldest dropped first

Point = dict[sympy.Symbol, sympy.Rational]
Facts = dict[str, str]  # what a mistake's hint names: {"other": "b"}, {"inner": "b + w*x", "factor": "x"}
Send = Callable[[dict[str, Any]], None]
Judged = dict[tuple[Any, ...], dict[str, Any] | None]  # the child's last message per answer and task


@dataclass(frozen=True)
class Equivalence:
    """How two expressions compare.

    ``how`` is ``"exact"``, ``"points"`` or ``"simplify"`` (the step that decided),
    ``"undefined"`` (no point where both are real numbers, and simplify did not
    settle it) or ``"too complex"`` (out of time or memory); the last two have
    ``equal`` False. When the points showed a difference, ``point`` maps each
    symbol's name to its value there and ``value_a``/``value_b`` are the values of
    ``a`` and ``b``, written for a student.
    """

    equal: bool
    how: str
    point: dict[str, str] | None = None
    value_a: str | None = None
    value_b: str | None = None


TOO_COMPLEX = Equivalence(False, "too complex")


MISTAKES: dict[str, Mistake] = {m.id: m for m in (
    Mistake("not_differentiated", "Your answer is the loss itself: differentiate it with respect to {wrt}.",
            summary="not differentiated"),
    Mistake("sign_flipped", "Your answer is the derivative with the opposite sign: check each minus sign.",
            summary="sign flipped"),
    Mistake("factor_2_missing", "Your answer is half the derivative: the power rule turns u**2 into 2*u, "
                                "keep the 2.", summary="factor 2 missing"),
    Mistake("factor_2_extra", "Your answer is twice the derivative: the 2 from the power rule appears only once.",
            summary="extra factor 2"),
    Mistake("chain_rule_inner_missing", "You differentiated the outside but not the inside: by the chain rule, "
                                        "also multiply by the derivative of the inside (the part in brackets) "
                                        "with respect to {wrt}.", summary="chain rule: inner factor missing"),
    Mistake("chain_factor_missing", "Your answer is the derivative with respect to z = {inner}, not {wrt}: by the "
                                    "chain rule, multiply it by ∂z/∂{wrt} = {factor}.",
            summary="chain factor {factor} missing"),
    Mistake("log_inner_missing", "The derivative of log(p) is p′/p, not 1/p: with p = {inner}, also multiply by "
                                 "∂p/∂{wrt} (the chain rule).", summary="derivative of log: inner derivative missing"),
    Mistake("inner_derivative_kept", "Your answer keeps the factor {factor}, ∂p/∂z for p = {inner}, but it cancels: "
                                     "the derivatives of log(p) and log(1 − p) divide by p and 1 − p. Leave it out.",
            summary="factor {factor} left in"),
    Mistake("term_dropped", "Your answer leaves out the derivative of the term {term} of the loss: differentiate "
                            "every term and add them up.", summary="a term of the loss left out"),
    Mistake("wrong_variable", "This is the derivative with respect to {other}; the task asks for the derivative "
                              "with respect to {wrt}.", summary="derivative with respect to {other}"),
    Mistake("antiderivative", "The derivative of your answer is the loss: you integrated instead of "
                              "differentiating.", summary="integrated instead of differentiated"),
    Mistake("constant", "The derivative depends on {depends}: return a formula in those symbols, not a number.",
            summary="a number, not a formula"),
    Mistake("used_diff", "Differentiate by hand and write the result as a formula.",
            summary="uses diff instead of differentiating"),
)}


def equivalent(a: sympy.Expr, b: sympy.Expr, symbols: Sequence[sympy.Symbol]) -> Equivalence:
    """Whether ``a`` and ``b`` are the same function of ``symbols`` (matched by name).

    Symbols of ``a`` or ``b`` not in ``symbols`` take part too. Finishes within
    :data:`TIME_LIMIT` seconds whatever the input.
    """
    a, b = _plain(a), _plain(b)
    if a == b:
        return Equivalence(True, "exact")
    variables = _variables(symbols, a, b)
    equivalence, _ = _read_message(_run_bounded(partial(_compare_in_child, a, b, variables))[0])
    return equivalence


def judge_derivative(answer: object, *, loss: sympy.Expr, wrt: sympy.Symbol,
                     symbols: Sequence[sympy.Symbol], judged: Judged | None = None) -> Verdict:
    """Judge a student's ∂loss/∂wrt, given as a decoded wire value.

    Passes any formula equal to ``sympy.diff(loss, wrt)``; otherwise fails with a
    point where the two differ and, when one matches, the mistake by name. The
    answer is read and checked in the bounded child: within :data:`TIME_LIMIT`.
    An answer already in ``judged`` is not checked again; one checked to the end
    is added to it.
    """
    known, loss, wrt, expected = _task(loss, wrt, tuple(symbols))
    variables = list(known)
    try:
        source = _answer_source(answer)
    except AnswerError as error:
        return fail("could not read your answer", str(error))
    key = (source.strip() if isinstance(source, str) else source, loss, wrt, tuple(variables))
    if judged is not None and key in judged:
        message = judged[key]
    else:
        mistakes = _task_mistakes(loss, wrt, known)  # worked out here, so once per task, not in every child
        sampler = _task_sampler(expected, loss, wrt, known)
        message, finished = _run_bounded(partial(_judge_in_child, source, expected, mistakes, sampler, loss, wrt))
        if finished and judged is not None:  # a check cut short by the clock depends on the machine's load
            _remember(judged, key, message)
    return _verdict(message, answer, expected, variables, wrt)


@lru_cache(maxsize=64)
def _task(loss: sympy.Expr, wrt: sympy.Symbol,
          symbols: tuple[sympy.Symbol, ...]) -> tuple[tuple[sympy.Symbol, ...], sympy.Expr, sympy.Symbol, sympy.Expr]:
    """A task's variables, its loss and variable over plain symbols, and the right derivative: once per task."""
    loss_plain, wrt_plain = _plain(loss), sympy.Symbol(wrt.name)
    return tuple(_variables(symbols, loss)), loss_plain, wrt_plain, sympy.diff(loss_plain, wrt_plain)


def right_derivative(loss: sympy.Expr, wrt: sympy.Symbol, symbols: Sequence[sympy.Symbol]) -> sympy.Expr:
    """``diff(loss, wrt)`` over plain symbols, as the judge computes it (once per task)."""
    return _task(loss, wrt, tuple(symbols))[3]


def typical_mistakes(loss: sympy.Expr, wrt: sympy.Symbol,
                     symbols: Sequence[sympy.Symbol]) -> tuple[tuple[str, Facts, sympy.Expr], ...]:
    """The judge's typical mistakes of ∂loss/∂wrt (:func:`_task_mistakes`) over plain symbols: each one's name in
    :data:`MISTAKES`, the facts its hint names, and the wrong derivative it gives, in the order they are tried."""
    known, loss_plain, wrt_plain, _ = _task(loss, wrt, tuple(symbols))
    return _task_mistakes(loss_plain, wrt_plain, known)


def _remember(judged: Judged, key: tuple[Any, ...], message: dict[str, Any] | None) -> None:
    if len(judged) >= MAX_CACHED:
        del judged[next(iter(judged))]
    judged[key] = message


# ---------------------------------------------------------------- the answer


def _answer_source(answer: object) -> str | sympy.Rational:
    """The student's formula as text (read later, in the child) or an exact number.

    Raises AnswerError saying what was returned instead.
    """
    if isinstance(answer, (str, SympyText, sympy.Basic)):
        return _answer_text(answer)
    if isinstance(answer, numbers.Real) and not isinstance(answer, bool):
        if not math.isfinite(answer):
            raise AnswerError(f"you returned {show(answer)}, not a formula")
        return _exact_number(answer)
    if answer is None:
        raise AnswerError("your function returned None: did you forget the return statement?")
    raise AnswerError(f"you returned {_describe(answer)}; return the derivative as a sympy expression "
                      f'or as a string such as "3*x**2 + 1"')


def _exact_number(number: numbers.Real) -> sympy.Rational:
    if isinstance(number, numbers.Integral):
        return sympy.Integer(int(number))
    return sympy.Rational(*Decimal(repr(float(number))).as_integer_ratio())


def _describe(value: object) -> str:
    if isinstance(value, Opaque):
        return f"{value.text} (of type {value.type_name})"
    return f"{show(value)} (of type {type(value).__name__})"


def _answer_text(answer: str | SympyText | sympy.Basic) -> str:
    if isinstance(answer, SympyText):
        return answer.text
    try:
        return str(answer)
    except ValueError:  # sympy cannot print an integer of more than 4300 digits
        raise AnswerError("your answer is too large to read") from None


def _shown_number(answer: object) -> str:
    """The number a student gave, as they wrote it (cut when long)."""
    if isinstance(answer, numbers.Real) and not isinstance(answer, sympy.Basic):
        return show(answer)
    text = _answer_text(answer)
    return text if len(text) <= 40 else text[:37] + "..."


# ---------------------------------------------------------------- verdicts


def _verdict(message: dict[str, Any] | None, answer: object, expected: sympy.Expr,
             variables: list[sympy.Symbol], wrt: sympy.Symbol) -> Verdict:
    """The verdict told by the child's last message."""
    if message and "error" in message:
        if message["mistake"]:
            return _mistake_verdict(message["mistake"], message["error"])
        return fail("could not read your answer", message["error"])
    if message and "constant" in message:
        depends = _names([v for v in variables if v in expected.free_symbols])
        return _mistake_verdict("constant", f"Your answer is the number {_shown_number(answer)}.", depends=depends)
    return _comparison_verdict(*_read_message(message), wrt)


def _comparison_verdict(equivalence: Equivalence, mistake: tuple[str, Facts] | None, wrt: sympy.Symbol) -> Verdict:
    if equivalence.equal:
        return PASS
    if equivalence.how == "too complex":
        return fail("answer too complex to check",
                    "Checking your answer took too long or too much memory: write it in a simpler form.")
    if equivalence.how == "undefined":
        return fail("could not evaluate your answer",
                    "Your answer is not a real number at any of the test points: is there a square root "
                    "or log of a negative number, or a division by zero?")
    point = ", ".join(f"{name}={value}" for name, value in (equivalence.point or {}).items())
    difference = f"At {point} your answer gives {equivalence.value_a}, the derivative is {equivalence.value_b}."
    evidence = Evidence(where=point, mismatches=(Mismatch("", "", equivalence.value_b, equivalence.value_a),))
    if mistake is None:
        return fail("wrong derivative", difference, evidence)
    name, facts = mistake
    return _mistake_verdict(name, difference, evidence, wrt=wrt.name, **facts)


def _mistake_verdict(name: str, details: str, evidence: Evidence = Evidence(), **facts: str | None) -> Verdict:
    """A failed verdict naming a mistake: what shows it in ``details``, the mistake's hint in ``hint``."""
    mistake = MISTAKES[name]
    return Verdict(False, mistake.label.format(**facts), details, name, mistake.hint.format(**facts), evidence)


def _names(symbols: Sequence[sympy.Symbol]) -> str:
    names = [s.name for s in symbols]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _read_message(message: dict[str, Any] | None) -> tuple[Equivalence, tuple[str, Facts] | None]:
    """The child's last message: its verdict, and the mistake it matched (name, the facts its hint names)."""
    if message is None:
        return TOO_COMPLEX, None
    mistake = message.get("mistake")
    return Equivalence(**message["equivalence"]), (mistake[0], mistake[1]) if mistake else None


# ---------------------------------------------------------------- symbols


def _plain(expr: sympy.Expr) -> sympy.Expr:
    """The same expression over plain symbols (assumptions dropped: symbols match by name), an undefined
    ``sigmoid(z)`` (``sympy.Function("sigmoid")``) written out as ``1/(1 + exp(-z))``, as the parser reads it."""
    expr = expr.xreplace({s: sympy.Symbol(s.name) for s in expr.free_symbols})
    return expr.replace(_is_sigmoid_call, lambda call: sigmoid(call.args[0]))


def _is_sigmoid_call(expr: sympy.Basic) -> bool:
    return isinstance(expr, AppliedUndef) and expr.func.__name__ == "sigmoid" and len(expr.args) == 1


def _variables(symbols: Sequence[sympy.Symbol], *exprs: sympy.Expr) -> list[sympy.Symbol]:
    """The task's symbols in order (plain), then any other symbol of ``exprs`` by name."""
    names = list(dict.fromkeys(s.name for s in symbols))
    extra = sorted({s.name for e in exprs for s in e.free_symbols} - set(names))
    return [sympy.Symbol(name) for name in names + extra]


_SIGMOID = sympy.Function("sigmoid")


def _formula(expr: sympy.Expr) -> str:
    """A formula as a hint shows it, ``1/(1 + exp(-z))`` written ``sigmoid(z)``."""
    return str(expr.replace(lambda e: _sigmoid_argument(e) is not None, lambda e: _SIGMOID(_sigmoid_argument(e))))


def _sigmoid_argument(expr: sympy.Basic) -> sympy.Expr | None:
    """``z`` when ``expr`` is ``1/(1 + exp(-z))``, else None."""
    if expr.is_Pow and expr.exp == -1 and expr.base.is_Add and len(expr.base.args) == 2 and 1 in expr.base.args:
        exponential = expr.base.args[0] if expr.base.args[1] == 1 else expr.base.args[1]
        return -exponential.args[0] if isinstance(exponential, sympy.exp) else None
    return None


# ---------------------------------------------------------------- typical mistakes, once per task


@lru_cache(maxsize=64)
def _task_mistakes(loss: sympy.Expr, wrt: sympy.Symbol,
                   variables: tuple[sympy.Symbol, ...]) -> tuple[tuple[str, Facts, sympy.Expr], ...]:
    """Each typical mistake of a task: its name, the facts its hint names, and the wrong derivative it gives,
    in the order they are tried (the first that matches the answer is named; the antiderivative comes last)."""
    expected = sympy.diff(loss, wrt)
    return (("not_differentiated", {}, loss),
            ("sign_flipped", {}, -expected),
            ("factor_2_missing", {}, expected / 2),
            ("factor_2_extra", {}, 2 * expected),
            ("chain_rule_inner_missing", {}, _outer_derivative(loss, wrt)),
            *_chain_stopped(loss, wrt, expected),
            *(("term_dropped", {"term": _formula(term)}, expected - sympy.diff(term, wrt))
              for term in _log_terms(loss, wrt)),
            *(("wrong_variable", {"other": other.name}, sympy.diff(loss, other)) for other in variables if other != wrt))


@lru_cache(maxsize=64)
def _task_sampler(expected: sympy.Expr, loss: sympy.Expr, wrt: sympy.Symbol,
                  variables: tuple[sympy.Symbol, ...]) -> _Sampler:
    """A sampler that knows the right derivative and each mistake's at the first points, where most answers are
    told apart from them: worked out once per task, here (each check's child starts from a copy)."""
    sampler = _Sampler(list(variables))
    for expr in (expected, *(wrong for _, _, wrong in _task_mistakes(loss, wrt, variables))):
        for index in range(FIRST_LOOK):
            sampler.value(expr, index)
    return sampler


def _outer_derivative(expr: sympy.Expr, wrt: sympy.Symbol) -> sympy.Expr:
    """The derivative with the chain rule's inner factors left out: (x*w - y)**2 → 2*(x*w - y)."""
    if not expr.has(wrt):
        return sympy.S.Zero
    if expr.is_Add:
        return sympy.Add(*(_outer_derivative(term, wrt) for term in expr.args))
    if expr.is_Mul:
        factors = expr.args
        return sympy.Add(*(sympy.Mul(*factors[:i], _outer_derivative(f, wrt), *factors[i + 1:])
                           for i, f in enumerate(factors)))
    if expr.is_Pow and not expr.exp.has(wrt):
        return expr.exp * expr.base ** (expr.exp - 1)
    if isinstance(expr, sympy.Function) and len(expr.args) == 1:
        inner = sympy.Dummy()
        return sympy.diff(expr.func(inner), inner).subs(inner, expr.args[0])
    return sympy.diff(expr, wrt)


def _chain_stopped(loss: sympy.Expr, wrt: sympy.Symbol, expected: sympy.Expr) -> list[tuple[str, Facts, sympy.Expr]]:
    """The chain rule stopped at an intermediate quantity (see :func:`_intermediates`): ∂loss/∂z for a ``z``
    linear in ``wrt`` (the factor ∂z/∂wrt missing), ∂loss/∂p for the argument ``p`` of a log (its derivative
    written 1/p), and the derivative times ∂p/∂z (a factor that cancels, left in). None for a loss without
    exp or log (the polynomials of lessons 1–6)."""
    rows: list[tuple[str, Facts, sympy.Expr]] = []
    linear, logs = [], []
    for u, in_log, through in _intermediates(loss, wrt):
        factor = sympy.diff(u, wrt)
        if not factor.has(wrt):
            linear.append((u, factor))
            if factor != 1:
                rows.append(("chain_factor_missing", {"inner": _formula(u), "factor": _formula(factor)}, through))
        elif in_log:
            logs.append(u)
            rows.append(("log_inner_missing", {"inner": _formula(u)}, through))
    for p in logs:
        for _, factor in linear:
            kept = sympy.diff(p, wrt) / factor  # ∂p/∂z
            shown = f"{_formula(p)}*(1 - {_formula(p)})" if _proved_equal(kept - p * (1 - p)) else _formula(kept)
            rows.append(("inner_derivative_kept", {"inner": _formula(p), "factor": shown}, expected * kept))
    return rows


def _intermediates(loss: sympy.Expr, wrt: sympy.Symbol) -> list[tuple[sympy.Expr, bool, sympy.Expr]]:
    """``(u, in_log, ∂loss/∂u)`` for each argument ``u`` of a function of the loss (exp, log) through which alone
    the loss depends on ``wrt``; ``u`` up to its sign, so that 1/(1 + exp(-z)) gives ``z``."""
    found: dict[sympy.Expr, tuple[bool, sympy.Expr]] = {}
    for call in sorted(loss.atoms(sympy.Function), key=sympy.default_sort_key):
        if len(call.args) != 1 or not call.args[0].has(wrt):
            continue
        argument, t = call.args[0], sympy.Dummy()
        sign = -1 if argument.could_extract_minus_sign() else 1
        rest = loss.xreplace({argument: sign * t})
        if sign * argument not in found and not rest.has(wrt):
            found[sign * argument] = (isinstance(call, sympy.log), sympy.diff(rest, t).xreplace({t: sign * argument}))
    return [(u, in_log, through) for u, (in_log, through) in found.items()]


def _log_terms(loss: sympy.Expr, wrt: sympy.Symbol) -> list[sympy.Expr]:
    """The terms of a loss that is a sum of log terms in ``wrt`` (the cross-entropy's y·log(p) and
    (1 − y)·log(1 − p)), each of which a student may leave out; none for any other loss."""
    terms = [term for term in sympy.Add.make_args(loss) if term.has(wrt)]
    return terms if len(terms) > 1 and all(term.has(sympy.log) for term in terms) else []


# ---------------------------------------------------------------- in the child


def _compare_in_child(a: sympy.Expr, b: sympy.Expr, variables: list[sympy.Symbol], send: Send) -> None:
    for verdict in _comparisons(a, b, _Sampler(variables)):
        send({"equivalence": asdict(verdict)})


def _judge_in_child(source: str | sympy.Rational, expected: sympy.Expr,
                    mistakes: tuple[tuple[str, Facts, sympy.Expr], ...], sampler: _Sampler, loss: sympy.Expr,
                    wrt: sympy.Symbol, send: Send) -> None:
    """Read the answer (sympy may take long to build a large one), compare it, then look for a mistake."""
    try:
        answer = parse_answer(source, sampler.variables) if isinstance(source, str) else source
    except AnswerError as error:
        send({"error": str(error), "mistake": error.mistake})
        return
    if expected.free_symbols and not answer.free_symbols:
        send({"constant": True})
        return
    for verdict in _comparisons(answer, expected, sampler):
        send({"equivalence": asdict(verdict)})
    if verdict.how == "points" and not verdict.equal:
        for name, facts, left, right in _mistake_candidates(answer, mistakes, loss, wrt):
            if sampler.agree(left, right):
                send({"equivalence": asdict(verdict), "mistake": [name, facts]})
                return


def _mistake_candidates(answer: sympy.Expr, mistakes: tuple[tuple[str, Facts, sympy.Expr], ...], loss: sympy.Expr,
                        wrt: sympy.Symbol) -> Iterator[tuple[str, Facts, sympy.Expr, sympy.Expr]]:
    """(mistake, facts, left, right): the mistake matches when left equals right."""
    for name, facts, wrong in mistakes:
        yield name, facts, answer, wrong
    yield "antiderivative", {}, sympy.diff(answer, wrt), loss


def _comparisons(a: sympy.Expr, b: sympy.Expr, sampler: _Sampler, settle: bool = True) -> Iterator[Equivalence]:
    """The verdict after each step that improves it; the last one is final. ``settle``: try simplify last."""
    first = sampler.compare(a, b, FIRST_LOOK)
    if first.how == "points" and not first.equal:
        yield first
        return
    if _proved_equal(a - b):
        yield Equivalence(True, "exact")
        return
    verdict = sampler.compare(a, b)
    yield verdict
    if settle and verdict.how == "undefined" and sympy.simplify(a - b) == 0:
        yield Equivalence(True, "simplify")


def _proved_equal(difference: sympy.Expr) -> bool:
    """Whether exact algebra shows the difference is 0, tried only when cheap."""
    if difference == 0:
        return True
    if difference.has(sympy.exp):
        return _zero_over_exponentials(difference)
    if _expansion_terms(difference) > MAX_EXPAND_TERMS:
        return False
    expanded = sympy.expand(difference)
    if expanded == 0:
        return True
    return _is_rational_function(expanded) and not expanded.is_polynomial() and sympy.cancel(expanded) == 0


def _zero_over_exponentials(difference: sympy.Expr) -> bool:
    """Whether ``difference`` is 0 as a fraction of polynomials in its symbols and a new symbol ``E_m`` per
    monomial ``m`` in an exponent: ``exp(k1*m1 + k2*m2)`` is ``E_m1**k1 * E_m2**k2`` for integers ``k`` (so
    exp(-z) is 1/exp(z), and exp(-b - w*x) is exp(-b)*exp(-w*x)). A formal 0 is 0 whatever the exponentials
    are: this never calls different formulas equal. Only the numerator is expanded, and only when its estimate
    is cheap."""
    powers: dict[sympy.Expr, sympy.Dummy] = {}

    def power(exponential: sympy.Expr) -> sympy.Expr:
        result = sympy.S.One
        for term in sympy.Add.make_args(exponential.args[0]):
            multiple, monomial = term.as_coeff_Mul()
            if monomial.could_extract_minus_sign():
                multiple, monomial = -multiple, -monomial
            if not (multiple.is_Integer and abs(multiple) <= MAX_EXP_MULTIPLE):
                raise _NotRational
            result *= powers.setdefault(monomial, sympy.Dummy()) ** int(multiple)
        return result

    try:
        numerator = sympy.numer(sympy.together(difference.replace(lambda e: isinstance(e, sympy.exp), power)))
    except _NotRational:
        return False
    return _expansion_terms(numerator) <= MAX_EXPAND_TERMS and sympy.expand(numerator) == 0


class _NotRational(Exception):
    """An exponential that is no integer power of another (exp(z/2)): left to the points."""


def _expansion_terms(expr: sympy.Basic) -> int:
    """An upper estimate (capped) of the number of terms ``expand`` would produce."""
    cap = MAX_EXPAND_TERMS + 1
    if expr.is_Add:
        terms = sum(_expansion_terms(term) for term in expr.args)
    elif expr.is_Mul:
        terms = math.prod(_expansion_terms(factor) for factor in expr.args)
    elif expr.is_Pow and expr.exp.is_Integer:
        base, power = _expansion_terms(expr.base), abs(int(expr.exp))
        terms = 1 if base == 1 else cap if power > cap else math.comb(base + power - 1, power)
    else:
        terms = max((_expansion_terms(arg) for arg in expr.args), default=1)
    return min(terms, cap)


def _is_rational_function(expr: sympy.Basic) -> bool:
    """Whether ``expr`` is built from symbols and fractions with + * and integer powers only."""
    return all(node.is_Symbol or node.is_Rational or node.is_Add or node.is_Mul
               or (node.is_Pow and node.exp.is_Integer) for node in sympy.preorder_traversal(expr))


class _Sampler:
    """Values of expressions at fixed seeded points, each computed once and only when needed."""

    def __init__(self, variables: list[sympy.Symbol]) -> None:
        self.variables = variables
        self.points = _sample_points(variables)
        self._values: dict[tuple[sympy.Expr, int], sympy.Number | None] = {}
        self._exact: dict[sympy.Expr, bool] = {}

    def value(self, expr: sympy.Expr, index: int) -> sympy.Number | None:
        """``expr`` at point ``index``: a Rational or Float, or None where it is not a real number."""
        key = (expr, index)
        if key not in self._values:
            if expr not in self._exact:
                self._exact[expr] = _exact_is_cheap(expr)
            self._values[key] = _value(expr, self.points[index], self._exact[expr])
        return self._values[key]

    def compare(self, a: sympy.Expr, b: sympy.Expr, count: int | None = None) -> Equivalence:
        """How ``a`` and ``b`` compare at the points (the first ``count`` of them, when given)."""
        counted = 0
        for index, point in enumerate(self.points[:count]):
            value_a, value_b = self.value(a, index), self.value(b, index)
            if value_a is None or value_b is None:
                continue
            if not _same(value_a, value_b):
                return Equivalence(False, "points", {v.name: str(point[v]) for v in self.variables},
                                   *_shown(value_a, value_b))
            counted += 1
        return Equivalence(True, "points") if counted >= MIN_POINTS else Equivalence(False, "undefined")

    def agree(self, a: sympy.Expr, b: sympy.Expr) -> bool:
        """Whether ``a`` equals ``b``, as :func:`_comparisons` decides it but without simplify."""
        return [*_comparisons(a, b, self, settle=False)][-1].equal


# Points where exponentials are far from 1, as rows for the symbols (x, y, w, b) of the logistic lesson: there
# z = x*w + b is 45, 39, -39, -43, -33, 19 and the label y is 0, 1, 1/2, 1/3. A task's i-th symbol takes column i % 4.
WIDE = tuple(tuple(sympy.Rational(v) for v in row) for row in (
    (6, 0, 7, 3), (6, 1, 7, -3), (-6, 0, 7, 3), (5, 1, -8, -3), (7, "1/2", -5, 2), (-4, "1/3", -6, -5)))


def _sample_points(variables: list[sympy.Symbol]) -> list[Point]:
    """Small positive integers first (readable), then signed integers, then fractions
    between -1 and 1 (for log(1 - x), sqrt(1 - x**2), ...), then larger fractions,
    then the :data:`WIDE` rows (labels 0 and 1, exp(z) huge or tiny)."""
    rng = random.Random(SEED)

    def fraction(size: int) -> sympy.Rational:
        denominator = rng.randint(2, 9)
        return sympy.Rational(rng.choice([n for n in range(-size * denominator, size * denominator) if n]),
                              denominator)

    def draw(make: Callable[[], sympy.Rational], count: int) -> list[Point]:
        return [{v: make() for v in variables} for _ in range(count)]

    return (draw(lambda: sympy.Integer(rng.randint(1, 4)), 3)
            + draw(lambda: sympy.Integer(rng.choice((-3, -2, -1, 1, 2, 3))), 2)
            + draw(lambda: fraction(1), 5)
            + draw(lambda: fraction(4), 5)
            + [{v: row[i % len(row)] for i, v in enumerate(variables)} for row in WIDE])


def _exact_is_cheap(expr: sympy.Expr) -> bool:
    """Whether substituting exact values is safe: no symbol in an exponent, modest degree."""
    return (all(not power.exp.free_symbols for power in expr.atoms(sympy.Pow))
            and _degree(expr) <= MAX_EXACT_DEGREE)


def _degree(expr: sympy.Basic) -> float:
    """An upper bound of the degree: how many digits exact values at a point may need, per digit of the point."""
    if expr.is_Symbol:
        return 1
    if expr.is_Mul:
        return sum(_degree(factor) for factor in expr.args)
    if expr.is_Pow and expr.exp.is_Rational:
        return abs(expr.exp) * _degree(expr.base)
    return max((_degree(arg) for arg in expr.args), default=0)


def _value(expr: sympy.Expr, point: Point, exact: bool) -> sympy.Number | None:
    """``expr`` at ``point`` as a Rational or Float; None where it is not a real number.

    Exact substitution keeps rational results exact; otherwise ``evalf`` with
    ``chop`` (which turns a pole into zoo rather than numerical noise) at :data:`CHOP`.
    """
    try:
        value = expr.xreplace(point) if exact else expr
        if value.is_Rational:
            return value
        value = value.evalf(PRECISION, subs=None if exact else point, chop=CHOP)
    except (ArithmeticError, ValueError, TypeError):
        return None  # a value sympy cannot compute here
    real, imaginary = value.as_real_imag()
    if not (real.is_Number and imaginary.is_Number and real.is_finite and imaginary.is_finite):
        return None
    return real if abs(imaginary) <= TOLERANCE * max(1, abs(real)) else None


def _same(u: sympy.Number, v: sympy.Number) -> bool:
    if u.is_Rational and v.is_Rational:
        return u == v
    return abs(u - v) <= TOLERANCE * max(1, abs(u), abs(v))


def _shown(a: sympy.Number, b: sympy.Number) -> tuple[str, str]:
    """Two different values for a student: short exact fractions, or decimals with enough digits to differ."""
    if all(v.is_Rational and max(abs(v.p), v.q) < 10**6 for v in (a, b)):
        return str(a), str(b)
    for digits in (6, 10, 15, 25, PRECISION):
        shown = tuple(mpmath.nstr(mpmath.mpf(v.evalf(PRECISION)), digits) for v in (a, b))
        if shown[0] != shown[1]:
            break
    return shown


# ---------------------------------------------------------------- the child process


def _run_bounded(task: Callable[[Send], None]) -> tuple[dict[str, Any] | None, bool]:
    """Run ``task`` in a forked child for at most TIME_LIMIT seconds; the last message it sent,
    and whether the child finished (rather than being stopped at the deadline).

    The task sends JSON-able messages, each a complete and better answer than the
    one before; the parent keeps the last that arrived and kills the child at the
    deadline (or when it is done).
    """
    read_end, write_end = os.pipe()
    try:
        pid = _fork()
    except OSError:  # no process to spare: report "too complex" rather than crash the grader
        os.close(read_end)
        os.close(write_end)
        return None, False
    if pid == 0:
        os.close(read_end)
        _child(task, write_end)
    os.close(write_end)
    try:
        lines, finished = _read_lines(read_end, time.monotonic() + TIME_LIMIT)
    finally:
        os.close(read_end)
        _reap(pid)
    return (json.loads(lines[-1]) if lines else None), finished


def _fork() -> int:
    with warnings.catch_warnings():  # Python 3.12+ warns about fork in threaded processes
        warnings.simplefilter("ignore", DeprecationWarning)
        return os.fork()


def _child(task: Callable[[Send], None], write_end: int) -> NoReturn:
    """Run the task, sending its messages as JSON lines; never returns (any error just ends it)."""
    try:
        gc.disable()  # a collection would touch (and so copy) every page of the parent's heap
        warnings.simplefilter("ignore")  # nobody reads the child's stderr
        _limit_memory()
        with os.fdopen(write_end, "w") as out:
            def send(message: dict[str, Any]) -> None:
                out.write(json.dumps(message) + "\n")
                out.flush()
            task(send)
    finally:
        os._exit(0)


def _limit_memory() -> None:
    """Cap the child's address space, so a runaway computation fails fast instead of swapping."""
    try:
        with open("/proc/self/statm") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return  # not Linux: the time limit alone bounds the child
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = used + CHILD_MEMORY
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))


def _read_lines(fd: int, deadline: float) -> tuple[list[str], bool]:
    """Complete lines read from ``fd`` until end of file or the deadline, and whether the end of file came first."""
    data, ended = b"", False
    while not ended and (remaining := deadline - time.monotonic()) > 0:
        if not select.select([fd], [], [], remaining)[0]:
            break
        chunk = os.read(fd, 1 << 16)
        data += chunk
        ended = not chunk
    return data.decode().split("\n")[:-1], ended


def _reap(pid: int) -> None:
    """Collect the child, killing it first if it still runs."""
    try:
        if os.waitpid(pid, os.WNOHANG) == (0, 0):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    except ChildProcessError:  # the system collected it already (SIGCHLD is ignored)
        pass
