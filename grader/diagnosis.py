"""Known mistakes: how to reproduce each one, and how to name it when a student's values match.

A :class:`grader.model.Mistake` is reproduced in one of three ways, all run on the trusted
reference in the grader's process:

* ``variant``: a wrong implementation kept in ``solutions/mistakes/<lesson>.py``
  (never shipped to students: it is a near-copy of the reference);
* ``args``: the right implementation on changed inputs (a negated learning rate
  *is* gradient ascent; one epoch more *is* an off-by-one loop);
* ``script``: a changed sequence of calls (all ``step`` calls sent to the
  instance created last *is* an optimizer keeping everything on its class).

When a student's values fail, :func:`diagnose` compares them with every
mistake's values using the task's own judge and tolerance; the first match
names the mistake.  Two mistakes made together (:func:`both`) are tried after every single
one.  A few mistakes are seen in the student's values alone (``seen``, and
:func:`aliasing` for every task); a value task with a symbolic twin sees the
derivative judge's mistakes (:func:`twin`).  Each way of seeing one is vectorised (a
column at a time, never a NumPy call per record), and the whole diagnosis of an
answer is bounded: none for a history far longer than the reference's, and at
most :data:`DIAGNOSIS_SECONDS` of CPU time for the rest.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import lru_cache, partial
from typing import Any, Callable

import numpy as np
import sympy

from grader.checks import Lesson, Task
from grader.judges import numeric, symbolic
from grader.judges.trace import far_longer
from grader.model import Case, Mistake, Verdict
from grader.reference import Reference

DIAGNOSIS_SECONDS = 2.0


def _with_arg(index: int, change: Callable[[Any], Any]) -> Callable[[Case], Case]:
    def mutate(c: Case) -> Case:
        args = list(c.args)
        args[index] = change(args[index])
        return replace(c, args=tuple(args))
    return mutate


_SCALE_HINTS = {
    2.0: "every step is twice the right size: is there an extra factor 2, or is the learning rate doubled?",
    0.5: "every step is half the right size: is the factor 2 of the derivative missing?",
    10.0: "every step is 10× the right size: check how the learning rate enters the update",
    0.1: "every step is 10× too small: check how the learning rate enters the update",
}


def ascent(lr: int) -> Mistake:
    """The update adds the gradient (``w + lr·grad``): the reference with ``-lr``."""
    return Mistake("ascent", "your update moves uphill: the sign of the step is flipped (use w − lr·grad)",
                   args=_with_arg(lr, lambda v: -v))


def lr_scaled(lr: int) -> tuple[Mistake, ...]:
    """Steps scaled by a common factor: the reference with a scaled learning rate."""
    return tuple(Mistake("lr_scaled", hint, args=_with_arg(lr, lambda v, f=factor: v * f))
                 for factor, hint in _SCALE_HINTS.items())


def epochs_off(epochs: int, what: str = "epoch") -> tuple[Mistake, ...]:
    """One epoch (or iteration) too many or too few."""
    return (
        Mistake(f"one_{what}_too_many", f"one {what} too many: range(n) already runs n times, counting from 0",
                args=_with_arg(epochs, lambda v: v + 1)),
        Mistake(f"one_{what}_too_few", f"one {what} too few: the loop must run exactly n times",
                args=_with_arg(epochs, lambda v: max(v - 1, 0))),
    )


def _last_instance(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    last = sum("call" in step for step in steps) - 1
    return [dict(step, on=last) if "on" in step else step for step in steps]


SHARED_STATE = Mistake("shared_state", "every instance behaves like the one created last: its settings and state "
                                       "are stored on the class; keep them on self, one set per instance",
                       script=_last_instance)


def shared_state(name: str) -> tuple[Mistake, ...]:
    """State shared between instances: kept outside ``self`` (the variant ``name``), or everything on the class."""
    return (variant("shared_state", name, "optimizer state is shared between instances: keep it on self (set in "
                                          "__init__ or on the first step), never in a global or on the class"),
            SHARED_STATE)


def variant(id: str, name: str, hint: str) -> Mistake:
    """A mistake reproduced by the wrong implementation ``name`` of ``solutions/mistakes/<lesson>.py``."""
    return Mistake(id, hint, variant=name)


def both(first: Mistake, second: Mistake, name: str) -> Mistake:
    """Two mistakes made together, reproduced by the variant ``name`` that makes both.

    It is named as both, with both hints, and tried only after every single mistake
    (see :func:`diagnose`), so a trace that one mistake explains is never called two.
    """
    return Mistake(f"{first.id}_and_{second.id}", f"{first.hint}; and {second.hint}", variant=name,
                   summary=f"two mistakes: {first.label} and {second.label}", parts=(first, second))


_SHUFFLED_HINT = "the samples are visited in another order: go through the data in the order given, without shuffling"


def _records(values: list[Any]) -> list[Any]:
    return values[0] if values and isinstance(values[0], list) else []


def _permuted_epochs(visits: np.ndarray, order: np.ndarray) -> bool:
    """True when ``visits`` are whole epochs, each ``order`` rearranged, and at least one is not in order."""
    n = len(order)
    if not n or not len(visits) or len(visits) % n:
        return False
    epochs = visits.reshape(-1, n)
    return bool((np.sort(epochs, axis=1) == np.sort(order)).all() and (epochs != order).any())


def _visits_out_of_order(values: list[Any], c: Case) -> bool:
    seen = [r.get("x") if isinstance(r, dict) else None for r in _records(values)]
    if not all(isinstance(x, (int, float)) for x in seen):
        return False
    order = _matrix(c.args[0])
    return order is not None and order.shape[1] == 1 and _permuted_epochs(np.array(seen, dtype=float), order[:, 0])


SHUFFLED = Mistake("shuffled", _SHUFFLED_HINT, seen=_visits_out_of_order)


def shuffled_rows(keys: tuple[str, ...], start: tuple[int, ...], powers: tuple[int, ...] = (1,)) -> Mistake:
    """Shuffling seen in a per-sample history that records the parameters but not the sample.

    The model is ``Σ xᵢᵖ·wₚ + offset`` over ``powers`` (``x·w1 + w2``, ``x²·w2 + x·w1 + b``,
    ``X·w + b``), the loss a squared error.  The update on sample i moves the parameters
    along that sample's features ``(xᵢᵖ…, 1)``, so the sample behind each record is read
    from the change of the parameters ``keys`` (listed in the order of the features;
    their starting values are the case's arguments at ``start``, the samples its first).
    """
    def seen(values: list[Any], c: Case) -> bool:
        records = _records(values)
        if not records:
            return False
        first = _columns([[c.args[i]] for i in start])
        after = _columns([[_get(r, k) for r in records] for k in keys])
        xs = _matrix(c.args[0])
        if first is None or after is None or xs is None or first.shape[1] != after.shape[1]:
            return False
        rows = np.column_stack([xs ** p for p in powers] + [np.ones(len(xs))])
        points = np.vstack([first, after])
        if not np.isfinite(points).all() or points.shape[1] != rows.shape[1]:
            return False
        visits = _rows_along(np.diff(points, axis=0), rows)
        return visits is not None and _permuted_epochs(visits, np.arange(len(rows)))
    return Mistake("shuffled", _SHUFFLED_HINT, seen=seen)


def _get(record: Any, key: str) -> Any:
    return record.get(key) if isinstance(record, dict) else None


def _matrix(values: Any) -> np.ndarray | None:
    """``values`` (one item per row: numbers, or arrays of one shape) as a float matrix, else None."""
    try:
        with np.errstate(all="ignore"):
            matrix = np.asarray(values, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return None
    return matrix.reshape(len(matrix), -1) if matrix.ndim and len(matrix) else None


def _columns(columns: list[list[Any]]) -> np.ndarray | None:
    """The columns side by side, each item flattened into its row (None when one is not numbers)."""
    matrices = [_matrix(column) for column in columns]
    if any(m is None for m in matrices):
        return None
    return np.hstack(matrices)  # type: ignore[arg-type]


def _rows_along(deltas: np.ndarray, rows: np.ndarray) -> np.ndarray | None:
    """For each delta, the one row of ``rows`` it is parallel to (to 1e-6); None if a delta has not exactly one."""
    with np.errstate(all="ignore"):  # an overflow or a zero row fails the test below, as it should
        size2 = (deltas * deltas).sum(axis=1)
        row2 = (rows * rows).sum(axis=1)
        along = deltas @ rows.T
        off2 = size2[:, None] - along * along / row2  # squared distance of each delta from each row's line
        parallel = (row2 > 0) & (off2 <= 1e-12 * size2[:, None])
    if not (np.isfinite(size2).all() and (size2 > 0).all() and (parallel.sum(axis=1) == 1).all()):
        return None
    return parallel.argmax(axis=1)


_ALIASING_HINT = ("every record holds the same array, the final one: the history keeps a reference to an "
                  "array that is updated later; store a copy (w.copy())")


def aliasing(values: Any) -> str | None:
    """The hint for a history whose records all hold the same array (a missing ``.copy()``), else None."""
    if not isinstance(values, list) or len(values) < 2:
        return None
    if all(isinstance(r, dict) for r in values):
        keys = [k for k, v in values[0].items() if isinstance(v, np.ndarray)]
        columns = [[r.get(k) for r in values] for k in keys]
    else:
        columns = [values]
    for column in columns:
        first = column[0]
        if all(isinstance(v, np.ndarray) and v.shape == first.shape for v in column) and \
                bool((np.array(column) == first).all()):
            return _ALIASING_HINT
    return None


def _aliased(values: list[Any], c: Case) -> bool:
    return bool(values) and aliasing(values[-1]) is not None


ALIASING = Mistake("aliasing", _ALIASING_HINT, seen=_aliased)


@dataclass(frozen=True)
class Inputs:
    """How a value task's arguments stand for the symbols of its symbolic twin.

    ``args`` names the symbol each argument stands for; ``part`` is the derivative's place in a
    returned tuple (None: the value itself).  The symbols in ``rows`` hold one value per row (a
    matrix's rows, a vector's entries).  When the weights are ``shared`` by the rows (the samples of
    lessons 4 and 7) the task's value is the mean over the rows; else each row has weights of its own
    (lesson 6's outputs, each with its row of W) and the value has one row each, that row's derivative
    divided by the number of rows.  ``dot`` is a pair of symbols whose product is a row's features
    times the weights, a dot product (lesson 7's ``X·w``).  A formula in an argument that holds a
    vector in each row (a matrix of ``rows``, a vector outside them) is a vector in each row.
    ``step`` is (the weight, the learning rate) of a task that returns the weight after one step of
    gradient descent, w − lr·∂ (lesson 2's ``step``), not the derivative: the student's derivative is
    then the one their step implies, (w − their value)/lr.
    """

    args: tuple[str, ...]
    part: int | None = None
    rows: tuple[str, ...] = ()
    dot: tuple[str, str] | None = None
    shared: bool = True
    step: tuple[str, str] | None = None

    def value(self, formula: sympy.Expr, c: Case) -> Any:
        """``formula`` at the case's arguments (reduced over the ``rows``), None where it fails."""
        function, names = _compiled(formula, self.dot)
        given = {name: np.asarray(arg, dtype=float) for name, arg in zip(self.args, c.args)}
        per_row = (*self.rows, DOT) if self.dot else self.rows
        try:
            with np.errstate(all="ignore"):  # a formula that overflows gives inf or nan, which no finite value matches
                if self.dot:
                    given[DOT] = given[self.dot[0]] @ given[self.dot[1]]
                vector = any(given[name].ndim > (name in per_row) for name in names)
                for name in per_row:
                    given[name] = given[name].reshape(len(given[name]), -1)  # one row each, broadcast together
                value = np.asarray(function(*(given[name] for name in names)), dtype=float)
                return self._reduced(value, len(given[self.rows[0]]) if self.rows else 0, vector)
        except (KeyError, TypeError, ValueError):  # an argument missing, or of shapes that do not fit
            return None

    def _reduced(self, value: np.ndarray, rows: int, vector: bool) -> Any:
        """The task's value from a formula's ``value`` in each of ``rows`` rows (none: the value itself)."""
        if not self.rows:
            return float(value) if value.ndim == 0 else value
        each = np.broadcast_to(value, np.broadcast_shapes(value.shape, (rows, 1)))
        if self.shared:
            mean = each.mean(axis=0)
            return mean if vector else float(mean[0])
        return (each if vector else each[:, 0]) / rows

    def answer(self, values: list[Any], c: Case) -> Any:
        """The student's derivative: the returned value, or its item ``part``, or for a ``step`` the
        derivative it implies (None when it has none)."""
        value = values[0] if values else None
        if self.part is not None:
            value = value[self.part] if isinstance(value, (tuple, list)) and len(value) > self.part else None
        if self.step is None:
            return value
        if not numeric.is_number(value):
            return None
        weight, lr = (c.args[self.args.index(name)] for name in self.step)
        with np.errstate(all="ignore"):  # a learning rate of 0 implies no derivative: inf or nan matches none
            return float(np.subtract(weight, value) / lr)


DOT = "dot·"  # the symbol standing for the dot product of Inputs.dot (no student's symbol is named so)


@lru_cache(maxsize=256)
def _compiled(formula: sympy.Expr, dot: tuple[str, str] | None) -> tuple[Callable[..., Any], tuple[str, ...]]:
    """``formula`` as a NumPy function of its symbols (compiled once) and their names; the product of the
    symbols ``dot`` (when given) is the symbol :data:`DOT`."""
    if dot:
        formula = formula.subs(sympy.Symbol(dot[0]) * sympy.Symbol(dot[1]), sympy.Symbol(DOT))
    symbols = sorted(formula.free_symbols, key=lambda s: s.name)
    return sympy.lambdify(symbols, formula, "numpy"), tuple(s.name for s in symbols)


@dataclass(frozen=True)
class Twin:
    """The ``seen`` of a symbolic twin: the student's value is one of the mistaken formulas' at the case.

    ``make()`` gives the table: the twin's mistakes (their label and hint) and formulas, in the order they
    are tried, then the right derivative (with :data:`CONSTANT_FACTOR` worded for the task).  It is worked
    out on first use and kept (sympy's work, which every grading session's start would otherwise pay for
    answers that mostly never need it).  A student's derivative that is right at this case names nothing
    (an item returned with it is wrong, or the case cannot tell a mistake from the right derivative).  A
    value that later mistakes give too at this case is named as all of them (the case cannot tell them
    apart).  Last, a value right up to a constant factor is named with that factor.
    """

    inputs: Inputs
    make: Callable[[], tuple[tuple[Mistake, sympy.Expr], ...]]
    made: list[tuple[tuple[Mistake, sympy.Expr], ...]] = field(default_factory=list, compare=False, repr=False)

    @property
    def table(self) -> tuple[tuple[Mistake, sympy.Expr], ...]:
        """The table, made on first use."""
        if not self.made:
            self.made.append(self.make())
        return self.made[0]

    def __call__(self, values: list[Any], c: Case) -> bool | Mistake:
        got = self.inputs.answer(values, c)
        *mistakes, (factor, right) = self.table
        if got is None or self._gives(right, got, c):
            return False
        for at, (mistake, formula) in enumerate(mistakes):
            if self._gives(formula, got, c):
                alike = [m for m, other in mistakes[at + 1:] if self._gives(other, got, c)]
                return _either([mistake, *alike]) if alike else mistake
        return _constant_factor(factor, self.inputs.value(right, c), got, shown=not c.hidden)

    def _gives(self, formula: sympy.Expr, got: Any, c: Case) -> bool:
        value = self.inputs.value(formula, c)
        return value is not None and numeric.compare(value, got) is None


def _either(mistakes: list[Mistake]) -> Mistake:
    """The first of ``mistakes``, named as any of them: one case that cannot tell them apart."""
    return replace(mistakes[0], summary=" or ".join(m.label for m in mistakes),
                   hint=f"At these inputs {len(mistakes)} mistakes give your value: " +
                        " Or: ".join(m.hint for m in mistakes))


CONSTANT_FACTOR = Mistake("constant_factor", "{what} is {factor} times the right one: look for a factor too many "
                                             "or missing", summary="off by a constant factor")


def _constant_factor(mistake: Mistake, right: Any, got: Any, shown: bool = True) -> Mistake | bool:
    """``mistake`` (:data:`CONSTANT_FACTOR` worded for the task), its hint naming the factor (unless not
    ``shown``: a hidden case's factor is a number the student's code made from hidden inputs), when ``got``
    is ``right`` times a constant other than 1 (taken where ``right`` is largest), else False.  A factor
    within :data:`~grader.judges.numeric.NEAR_MISS` of 1 is a small error, not a factor; and one number is
    some multiple of any other: it is said to be off by a factor only when that factor is simple."""
    if right is None or not (numeric.is_number(got) or isinstance(got, np.ndarray) and got.dtype.kind in "iuf"):
        return False
    right_array = np.asarray(right, dtype=float)
    if np.shape(got) != right_array.shape or not np.isfinite(right_array).all():
        return False
    at = np.unravel_index(np.abs(right_array).argmax(), right_array.shape)
    factor = float(np.asarray(got, dtype=float)[at] / right_array[at]) if right_array[at] else math.nan
    if not math.isfinite(factor) or not factor or abs(factor - 1) < numeric.NEAR_MISS or \
            numeric.compare(right_array * factor, got) is not None or \
            np.count_nonzero(right_array) < 2 and not _simple(factor):
        return False
    if not shown:
        return replace(mistake, hint=mistake.hint.replace("{factor} times", "a constant multiple of"))
    return replace(mistake, hint=mistake.hint.replace("{factor}", f"{factor:.4g}"))


SIMPLE = 12  # the largest numerator and denominator of a simple factor


def _simple(factor: float) -> bool:
    """Whether ``factor`` is a ratio of small whole numbers (3, 1/2, −2/3: at most :data:`SIMPLE`)."""
    ratio = Fraction(factor).limit_denominator(SIMPLE)
    return abs(ratio.numerator) <= SIMPLE and numeric.close(float(ratio), factor, 1.0)


def twin(loss: sympy.Expr, wrt: sympy.Symbol, names: str, args: tuple[str, ...], *, part: int | None = None,
         rows: tuple[str, ...] = (), dot: tuple[str, str] | None = None, shared: bool = True,
         step: str | None = None, prediction: tuple[str, sympy.Expr] | None = None) -> tuple[Mistake, ...]:
    """The mistakes the symbolic judge names in ∂loss/∂wrt (over the symbols ``names``), seen in a value task
    that computes that derivative, then a value right up to a constant factor: one entry of the task's
    mistakes, which names the one it sees (see :class:`Twin`).

    Each is its mistaken formula evaluated at the case's arguments (see :class:`Inputs` for ``args``,
    ``part``, ``rows``, ``dot`` and ``shared``; ``step`` names the learning rate of a task that returns
    the weight after one step), named with the symbolic judge's label and hint.  ``prediction`` is an
    argument that holds the model's output, not a symbol, and the expression it stands for (lesson 6's
    ``pred``, W·x + b): the formulas are written in it (see :func:`_written_in`).
    """
    symbols = tuple(sympy.symbols(names, seq=True))
    inputs = Inputs(tuple(args), part, tuple(rows), dot, shared, (wrt.name, step) if step else None)
    what = "your value" if part is None else f"your derivative with respect to {wrt.name}"
    factor = replace(CONSTANT_FACTOR, hint=CONSTANT_FACTOR.hint.replace("{what}", what))
    written = _written_in(prediction, symbols, inputs.args)  # checked as the course loads

    def table() -> tuple[tuple[Mistake, sympy.Expr], ...]:
        right = written(symbolic.right_derivative(loss, wrt, symbols))
        return (*_distinct([(_worded(name, facts, wrt.name, part is not None), written(wrong))
                            for name, facts, wrong in symbolic.typical_mistakes(loss, wrt, symbols)], right),
                (factor, right))
    return (Mistake(f"symbolic_twin_{wrt.name}", f"the symbolic judge's mistakes in ∂/∂{wrt.name}",
                    seen=Twin(inputs, table)),)


def twins(loss: sympy.Expr, wrts: tuple[sympy.Symbol, ...], names: str, args: tuple[str, ...],
          **inputs: Any) -> tuple[Mistake, ...]:
    """:func:`twin` for a task that returns its derivatives together: ∂loss/∂wrts[k] as item k of a tuple."""
    return tuple(m for part, wrt in enumerate(wrts) for m in twin(loss, wrt, names, args, part=part, **inputs))


def _distinct(table: list[tuple[Mistake, sympy.Expr]], right: sympy.Expr) -> list[tuple[Mistake, sympy.Expr]]:
    """The mistakes of ``table`` whose formula is neither the right derivative nor an earlier one's, written
    the same way (∂/∂b is −∂/∂y for a squared error): the symbolic judge names the first, as here."""
    formulas, distinct = {right}, []
    for mistake, formula in table:
        if formula not in formulas:
            formulas.add(formula)
            distinct.append((mistake, formula))
    return distinct


def _written_in(prediction: tuple[str, sympy.Expr] | None, symbols: tuple[sympy.Symbol, ...],
                args: tuple[str, ...]) -> Callable[[sympy.Expr], sympy.Expr]:
    """How a formula is written in the argument ``prediction`` names (as it is, without one): the last of
    its expression's symbols that no argument gives is replaced by the expression solved for it, so that
    with pred = W·x + b, b is pred − W·x and W·x + b − target reads pred − target.  The expression must be
    linear in that symbol (ValueError otherwise)."""
    if prediction is None:
        return lambda formula: formula
    name, model = prediction
    unknown = [s for s in symbols if s in model.free_symbols and s.name not in args][-1]
    slope = sympy.diff(model, unknown)
    if slope.has(unknown):
        raise ValueError(f"the prediction {name} = {model} is not linear in {unknown}")
    solved = (sympy.Symbol(name) - model + slope * unknown) / slope
    return lambda formula: formula.subs(unknown, solved)


def _worded(name: str, facts: dict[str, str], wrt: str, in_tuple: bool) -> Mistake:
    """The symbolic judge's mistake ``name``, its label and hint worded for ``facts`` (and saying which
    derivative it is about, ``in_tuple``: one of several returned together)."""
    mistake = symbolic.MISTAKES[name]
    label, hint = mistake.label.format(wrt=wrt, **facts), mistake.hint.format(wrt=wrt, **facts)
    if in_tuple:
        label = f"{label} in ∂/∂{wrt}"
        hint = f"In your derivative with respect to {wrt}: {hint[0].lower()}{hint[1:]}"
    return Mistake(name, hint, summary=label)


def diagnose(verdict: Verdict, lesson: Lesson, task: Task, index: int, values: list[Any],
             reference: Reference, seconds: float = DIAGNOSIS_SECONDS) -> Verdict:
    """Name the mistake when the student's values match a known wrong way to do the task.

    Tried in turn: the mistakes seen in the values alone, those reproduced from the
    reference (compared with the task's own judge), those of a symbolic twin (:func:`twin`:
    a variant's own hint is the more telling), aliasing, then the pairs of
    mistakes made together (:func:`both`).  None is tried for
    an answer far longer than the reference's (it is judged by its length alone), and
    trying stops once the attempts have used ``seconds`` of CPU time (checked between
    attempts; the plain verdict then stands), so judging one task is bounded.
    """
    case = task.cases[index]
    expected = reference.expected(lesson, task, index)
    if any(far_longer(e, v) for e, v in zip(expected, values) if isinstance(e, list)):
        return verdict
    reproduced = reference.mistakes(lesson, task, index)  # the reference's work, done once per case: not counted
    matches = [(m, partial(task.kind.matches, wrong, values, task.name, case)) for m, wrong in reproduced]
    seen = [(m, partial(m.seen, values, case)) for m in task.mistakes if m.seen]
    attempts = [(m, attempt) for m, attempt in seen if not isinstance(m.seen, Twin)]
    attempts += [(m, match) for m, match in matches if not m.parts]
    attempts += [(m, attempt) for m, attempt in seen if isinstance(m.seen, Twin)]
    attempts.append((ALIASING, partial(_aliased, values, case)))
    attempts += [(m, match) for m, match in matches if m.parts]
    deadline = time.process_time() + seconds
    for mistake, attempt in attempts:
        if time.process_time() >= deadline:
            break
        found = attempt()
        if found:
            named = found if isinstance(found, Mistake) else mistake  # worded for these values
            return replace(verdict, summary=named.label, mistake=named.id, hint=named.hint)
    return verdict
