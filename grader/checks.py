"""How a lesson's checks are declared: a table of tasks, each with its kind and its cases.

A lesson's declaration (the ``checks`` file of a course, see :mod:`grader.courses`) reads like the course::

    TASKS = (
    Task("forward", 1, "forward(x, w) returns x·w", Value(), cases=(case(2.0, 3.0), ...))
    Task("dloss_dw", 2, "dloss_dw() is ∂loss/∂w", Derivative(loss=(x*w - y)**2, wrt=w))
    Task("train", 4, "train(...) follows SGD step by step", History(KEYS, per_sample()), cases=...)
    )

A *kind* says what to run in the child for a case (``steps``), what the right
answer is (``expected``, from the reference or from sympy) and how to judge the
values that came back (``judge``).  Adding a lesson adds declarations, not
grading code.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, ClassVar, Mapping, Sequence

import sympy

from grader import wire
from grader.calls import Code, call_code
from grader.feedback import fail, show
from grader.judges.slope import moved, with_slope
from grader.judges.symbolic import Judged, judge_derivative, right_derivative
from grader.judges.trace import TraceShape, judge_trace, trace_matches
from grader.judges.values import judge_value, value_matches
from grader.model import UNCHECKABLE, Case, Mistake, Verdict
from grader.runner import callables


def case(*args: Any, label: str = "", hidden: bool = False, **kwargs: Any) -> Case:
    """A case from the call's arguments: ``case([1, 2], [2, 4], 1.0, 0.01, 5, label="seed data")``."""
    return Case(tuple(args), dict(kwargs), label, hidden)


def describe_call(name: str, c: Case) -> str:
    """The call as code a student can paste and run, every argument in full (see :mod:`grader.calls`), after
    the import of the helpers it builds; hidden cases say only that."""
    if c.hidden:
        return f"{name}(...) on a hidden case" + (f" ({c.label})" if c.label else "")
    return _helpers_import((*c.args, *c.kwargs.values())) + call_code(
        name, [_coded(a) for a in c.args], {k: _coded(v) for k, v in c.kwargs.items()})


@dataclass(frozen=True)
class Fn:
    """A function or object the grader hands to student code, named in :mod:`grader.runner.callables`."""

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def builder(self) -> str:
        """The name of the function or class of :mod:`grader.runner.callables` that builds it."""
        return callables.TABLE[self.name].__name__


def _coded(value: Any) -> Any:
    """A case argument for :func:`grader.calls.call_code`: a helper as the code that builds it."""
    return Code(call_code(value.builder, (), dict(value.params))) if isinstance(value, Fn) else value


def _helpers_import(values: Sequence[Any]) -> str:
    """The line importing the helpers among ``values`` ("" when there are none)."""
    names = sorted({v.builder for v in values if isinstance(v, Fn)})
    return f"from {callables.__name__} import {', '.join(names)}\n" if names else ""


def encode_arg(value: Any) -> Any:
    """A case argument as request data: plain values through :mod:`grader.wire`, ``Fn`` by name."""
    if isinstance(value, Fn):
        return {"$fn": value.name, "params": wire.encode(dict(value.params))}
    return wire.encode(value)


class Kind:
    """What kind of task: what to run for a case, and how to judge the values that came back.

    The right values come from running the same ``steps`` on the reference
    (see :mod:`grader.reference`), unless the kind defines ``expected_values``.
    ``repeatable`` says that a verdict depends on nothing but the values (no
    clock), so a class's recurring answers can reuse it.

    A kind defines ``steps``, ``verdict`` (the feedback on the values) and
    ``agrees`` (the same decision without it, which diagnosis needs many times over).
    :meth:`judge` and :meth:`matches` first check that the answer holds one value
    per step: a forged answer may not, and that is the student's failure, not the grader's.
    """

    repeatable: ClassVar[bool]

    def steps(self, name: str, c: Case) -> list[dict[str, Any]]:
        """The steps the child runs for case ``c`` of task ``name``."""
        raise NotImplementedError

    def verdict(self, expected: list[Any], values: list[Any], name: str, c: Case) -> Verdict:
        """The verdict on ``values`` (one per step), with its feedback."""
        raise NotImplementedError

    def agrees(self, expected: list[Any], values: list[Any], name: str, c: Case) -> bool:
        """Whether ``values`` (one per step) are ``expected``, without the feedback."""
        raise NotImplementedError

    def call(self, name: str, c: Case) -> str:
        """The case's call as code a student can paste and run (:func:`describe_call`)."""
        return describe_call(name, c)

    def judge(self, expected: list[Any], values: list[Any], name: str, c: Case) -> Verdict:
        """The verdict on the values a case returned."""
        return wrong_arity(expected, values) or self.verdict(expected, values, name, c)

    def matches(self, expected: list[Any], values: list[Any], name: str, c: Case) -> bool:
        """Whether the values a case returned are ``expected`` (the right ones, or a mistake's)."""
        return wrong_arity(expected, values) is None and self.agrees(expected, values, name, c)


def wrong_arity(expected: list[Any], values: list[Any]) -> Verdict | None:
    """A failed verdict when the answer does not hold one value per step (only a forged answer can), else None."""
    if len(values) == len(expected):
        return None
    return fail(UNCHECKABLE, f"returned something the grader could not read ({len(values)} "
                                            f"value{'s' if len(values) != 1 else ''} for {len(expected)} calls)")


def call_step(name: str, c: Case) -> list[dict[str, Any]]:
    """One call of ``name`` with the case's arguments."""
    return [{"call": name, "args": [encode_arg(a) for a in c.args],
             "kwargs": {k: encode_arg(v) for k, v in c.kwargs.items()}}]


@dataclass(frozen=True)
class Value(Kind):
    """A function whose return value (number, tuple, array) is compared with the reference's."""

    repeatable: ClassVar[bool] = True

    steps = staticmethod(call_step)

    def verdict(self, expected: list[Any], values: list[Any], name: str, c: Case) -> Verdict:
        return judge_value(expected[0], values[0], lambda: describe_call(name, c))

    def agrees(self, expected: list[Any], values: list[Any], name: str, c: Case) -> bool:
        return value_matches(expected[0], values[0])


@dataclass(frozen=True)
class Gradient(Value):
    """A value that is the derivative of the student's own loss, the function ``loss`` (which takes the task's
    arguments), by the arguments named in ``wrt``: ``Gradient("loss", "w")`` returns ∂loss/∂w, and
    ``Gradient("mse", "w b")`` the tuple (∂L/∂w, ∂L/∂b).

    It is judged as a :class:`Value`.  Each case also probes the student's loss around the case's point, so
    that a wrong value says whether it is the slope of that loss, and whether that loss is right
    (:mod:`grader.judges.slope`).  The names are resolved once, when the course loads (:meth:`bind`); one the
    function does not have is an error there.
    """

    loss: str
    wrt: str
    positions: tuple[int, ...] = ()  # of the arguments ``wrt`` names, among the task's parameters

    def bind(self, parameters: Sequence[str]) -> "Gradient":
        """This kind with the arguments ``wrt`` names as positions; ValueError names one the function lacks."""
        unknown = [n for n in self.wrt.split() if n not in parameters]
        if unknown:
            raise ValueError(f"the gradient's wrt={self.wrt!r} names {', '.join(unknown)}, which is not a "
                             f"parameter of ({', '.join(parameters)})")
        return replace(self, positions=tuple(list(parameters).index(n) for n in self.wrt.split()))

    def steps(self, name: str, c: Case) -> list[dict[str, Any]]:
        """The call, then the probes of the loss: each entry of each argument of ``wrt`` moved up, then down
        (a probe that fails gives None, not the case's failure: see :meth:`grader.runner.child.Session.run`)."""
        probes = [_with(c, at, n, point) for at, n in self._arguments()
                  for up, down, _ in moved(_argument(c, at, n)) for point in (up, down)]
        return call_step(name, c) + [{**call_step(self.loss, p)[0], "probe": True} for p in probes]

    def verdict(self, expected: list[Any], values: list[Any], name: str, c: Case) -> Verdict:
        verdict = super().verdict(expected, values, name, c)
        if verdict.passed:
            return verdict
        parameters = [_argument(c, at, n) for at, n in self._arguments()]
        return with_slope(verdict, expected, values, parameters, self.loss, c.hidden)

    def _arguments(self) -> list[tuple[int, str]]:
        """The position and name of each argument of ``wrt``."""
        names = self.wrt.split()
        if len(self.positions) != len(names):
            raise ValueError(f"the gradient's wrt={self.wrt!r} was never bound to the task's parameters")
        return list(zip(self.positions, names))


def _argument(c: Case, at: int, name: str) -> Any:
    """The case's value of the argument at position ``at``, called ``name``."""
    return c.args[at] if at < len(c.args) else c.kwargs[name]


def _with(c: Case, at: int, name: str, value: Any) -> Case:
    """The case with the argument at position ``at``, called ``name``, set to ``value``."""
    if at < len(c.args):
        return replace(c, args=(*c.args[:at], value, *c.args[at + 1:]))
    return replace(c, kwargs={**c.kwargs, name: value})


@dataclass(frozen=True)
class History(Kind):
    """A training loop whose returned history is compared record by record."""

    repeatable: ClassVar[bool] = True

    keys: tuple[str, ...] | None
    layout: "Layout"  # case → (label of record k, why that many)

    steps = staticmethod(call_step)

    def bind(self, parameters: Sequence[str]) -> "History":
        """This kind with its layout's arguments named by the function's ``parameters`` made positions."""
        return replace(self, layout=self.layout.bind(parameters))

    def shape(self, c: Case) -> TraceShape:
        """How to read this case's history."""
        label, count = self.layout(c)
        return TraceShape(self.keys, label, count)

    def verdict(self, expected: list[Any], values: list[Any], name: str, c: Case) -> Verdict:
        verdict = judge_trace(expected[0], values[0], self.shape(c), name)
        if verdict.passed or c.hidden:
            return verdict
        return replace(verdict, details=f"{describe_call(name, c)}\n{verdict.details}")

    def agrees(self, expected: list[Any], values: list[Any], name: str, c: Case) -> bool:
        return trace_matches(expected[0], values[0], self.shape(c))


@dataclass(frozen=True)
class Optimizer(Kind):
    """An optimizer class driven by the grader: several instances, their ``step`` calls interleaved.

    A case's arguments are ``(instances, schedule)``: the keyword arguments of each
    instance, and the ``(instance, params, grads)`` of each ``step`` call.  Each call's
    returned parameters are compared with the reference's for the same inputs, so the
    first wrong step is found exactly, and state shared between instances shows.
    """

    repeatable: ClassVar[bool] = True

    def steps(self, name: str, c: Case) -> list[dict[str, Any]]:
        instances, schedule = c.args
        out = [{"call": name, "kwargs": {k: encode_arg(v) for k, v in kw.items()}} for kw in instances]
        out += [{"method": "step", "on": i, "args": [encode_arg(p), encode_arg(g)]} for i, p, g in schedule]
        return out

    def shape(self, name: str, c: Case) -> TraceShape:
        """Record k is the k-th step call: which instance, and its how-manieth step."""
        instances, schedule = c.args

        def label(k: int) -> str:  # worked out only for the records shown
            i = schedule[k][0]
            step = sum(1 for j, _, _ in schedule[:k + 1] if j == i)
            return f"{name} #{i + 1} ({_kwargs(instances[i])}), step {step}"

        count = f"one per step() call, {len(schedule)} calls on {len(instances)} instance(s)"
        return TraceShape(None, label, count)

    def call(self, name: str, c: Case, steps: int | None = None) -> str:
        """The instances' construction and their first ``steps`` step() calls (all by default), as code."""
        if c.hidden:
            return describe_call(name, c)
        instances, schedule = c.args
        lines = [f"{name.lower()}{i + 1} = {call_code(name, (), kw)}" for i, kw in enumerate(instances)]
        lines += [call_code(f"{name.lower()}{i + 1}.step", (p, g)) for i, p, g in schedule[:steps]]
        return "\n".join(lines)

    def verdict(self, expected: list[Any], values: list[Any], name: str, c: Case) -> Verdict:
        n = len(c.args[0])
        if values[n:] and all(v is None for v in values[n:]):
            return Verdict(False, "step() returned None",
                           "step(params, grads) must return the new parameters (a NumPy array)")
        verdict = judge_trace(expected[n:], values[n:], self.shape(name, c), f"{name}.step")
        if verdict.passed or c.hidden:
            return verdict
        record = verdict.evidence.record
        call = self.call(name, c, None if record is None else record + 1)
        return replace(verdict, details=f"{call}\n{verdict.details}", evidence=replace(verdict.evidence, call=call))

    def agrees(self, expected: list[Any], values: list[Any], name: str, c: Case) -> bool:
        n = len(c.args[0])
        return trace_matches(expected[n:], values[n:], self.shape(name, c))


def _kwargs(kw: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={show(v, 6)}" for k, v in kw.items()) or "defaults"


def optimizer_case(instances: Sequence[Mapping[str, Any]], calls: int, shape: tuple[int, ...] = (3,), seed: int = 0,
                   grad_scale: float = 1.0, label: str = "", hidden: bool = False) -> Case:
    """A case for :class:`Optimizer`: seeded parameters and gradients, instances taking turns."""
    import numpy as np

    rng = np.random.default_rng(seed)
    schedule = tuple((k % len(instances), rng.normal(size=shape), grad_scale * rng.normal(size=shape))
                     for k in range(calls))
    return Case((tuple(dict(kw) for kw in instances), schedule), {}, label, hidden)


@dataclass(frozen=True)
class Derivative(Kind):
    """A symbolic task: the answer must equal ``diff(loss, wrt)``, computed by sympy here."""

    repeatable: ClassVar[bool] = False  # a check cut short by its time limit depends on the machine's load

    loss: sympy.Expr
    wrt: sympy.Symbol
    symbols: tuple[sympy.Symbol, ...]
    judged: Judged = field(default_factory=dict, compare=False, repr=False)  # each answer's verdict, decided once

    steps = staticmethod(call_step)

    def expected_values(self, c: Case) -> list[Any]:
        """The derivative, from sympy (no reference code needed), worked out once per task."""
        return [right_derivative(self.loss, self.wrt, self.symbols)]

    def verdict(self, expected: list[Any], values: list[Any], name: str, c: Case) -> Verdict:
        return judge_derivative(values[0], loss=self.loss, wrt=self.wrt, symbols=self.symbols, judged=self.judged)

    def agrees(self, expected: list[Any], values: list[Any], name: str, c: Case) -> bool:
        """Whether the answer is right (verdicts are cached per answer)."""
        return self.verdict(expected, values, name, c).passed


def derivative(loss: sympy.Expr, wrt: sympy.Symbol, names: str) -> Derivative:
    """A Derivative task in the symbols ``names`` (``"x y w"``), matched by name."""
    return Derivative(loss, wrt, tuple(sympy.symbols(names, seq=True)))


NEAR_MISSES = ("a constant slightly off (eps, a learning rate)", "float32 instead of float64",
               "a formula rearranged in a way that loses precision")


@dataclass(frozen=True)
class Task:
    """One graded task of a lesson; ``title`` is the sentence the student sees.

    ``credit`` is ``"all"`` (the points for passing every case, the default),
    ``"per_case"`` (an equal share per case passed, public and hidden) or a
    weight per case, in order (public cases, then hidden ones).
    ``near_misses`` are the task's usual causes of a small error (a relative
    error below :data:`grader.judges.numeric.NEAR_MISS`), the hint of a public
    case off by that little when no known mistake is named; a task that declares
    none has :data:`NEAR_MISSES`.
    ``uses`` names the lesson's functions the task calls (``train`` calls ``gradient``
    and ``loss``): when the task fails and one of those failed too, it is graded
    again with the grader standing in for the failed ones (follow-through, see
    :func:`grader.grading.follow_through`); passing then earns ``follow_through``
    times its points (the whole points by default).
    """

    name: str
    points: float
    title: str
    kind: Kind
    cases: tuple[Case, ...] = (Case(),)
    mistakes: tuple[Mistake, ...] = ()
    credit: str | tuple[float, ...] = "all"
    near_misses: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    follow_through: float = 1.0

    @property
    def near_miss_hint(self) -> str:
        """The hint for a small error: the task's usual causes (:data:`NEAR_MISSES` when it declares none)."""
        *most, last = self.near_misses or NEAR_MISSES
        return f"an error this small usually comes from {', '.join(most)}{', or ' if most else ''}{last}"

    @property
    def per_case(self) -> bool:
        """Whether each case earns its own share of the points."""
        return self.credit != "all"

    def weights(self) -> tuple[float, ...]:
        """The weight of each case in the task's points (equal for ``"per_case"``)."""
        return self.credit if isinstance(self.credit, tuple) else (1.0,) * len(self.cases)


@dataclass(frozen=True)
class Lesson:
    """A lesson: its module name (the file students hand in), its number, title and tasks."""

    name: str
    number: int
    title: str
    tasks: tuple[Task, ...]

    def task(self, name: str) -> Task:
        """The task called ``name``."""
        return next(t for t in self.tasks if t.name == name)


# Layouts: how a history's records map to steps of training -------------------------------------------

Labels = tuple[Callable[[int], str], str]  # (label of record k, why that many records)


@dataclass(frozen=True)
class Layout:
    """How a case's history is laid out, from some of its call's arguments, each named by position or by
    parameter name (``per_sample(data="xs", targets="ys", epochs="epochs")``).

    Names are resolved once, when the course loads, against the parameters of the
    task's function (:meth:`bind`); a name the function does not have is an error there.
    """

    make: Callable[..., Callable[[Case], Labels]]
    args: Mapping[str, int | str]
    options: Mapping[str, Any] = field(default_factory=dict)

    def bind(self, parameters: Sequence[str]) -> "Layout":
        """This layout with every argument a position; ValueError names an argument the function lacks."""
        positions = {}
        for role, arg in self.args.items():
            if isinstance(arg, str):
                if arg not in parameters:
                    raise ValueError(f"the layout's {role}={arg!r} is not a parameter of ({', '.join(parameters)})")
                arg = list(parameters).index(arg)
            positions[role] = arg
        return replace(self, args=positions)

    def __call__(self, c: Case) -> Labels:
        unbound = [f"{role}={arg!r}" for role, arg in self.args.items() if isinstance(arg, str)]
        if unbound:
            raise ValueError(f"the layout's {', '.join(unbound)} was never bound to the task's parameters")
        return self.make(**self.args, **self.options)(c)


def _per_sample(data: int, targets: int, epochs: int) -> Callable[[Case], Labels]:
    def layout(c: Case) -> Labels:
        xs, ys, n_epochs = c.args[data], c.args[targets], c.args[epochs]
        n = len(xs)

        def label(k: int) -> str:
            where = f"epoch {k // n}, sample {k % n + 1}"
            x, y = xs[k % n], ys[k % n]
            if c.hidden or not isinstance(x, (int, float)):
                return where
            return f"{where} (x={show(x, 6)}, y={show(y, 6)})"

        return label, f"one per update, {n_epochs} epoch{'s' if n_epochs != 1 else ''} × {n} samples"
    return layout


def _per_epoch(epochs: int) -> Callable[[Case], Labels]:
    def layout(c: Case) -> Labels:
        n = c.args[epochs]
        return (lambda k: f"epoch {k}"), f"one per epoch, {n} epoch{'s' if n != 1 else ''}"
    return layout


def _per_batch(data: int, epochs: int, batch_size: int) -> Callable[[Case], Labels]:
    def layout(c: Case) -> Labels:
        n, n_epochs, size = len(c.args[data]), c.args[epochs], c.args[batch_size]
        batches = -(-n // size)

        def label(k: int) -> str:
            return f"epoch {k // batches}, batch {k % batches + 1}"

        return label, (f"one per update, {n_epochs} epoch{'s' if n_epochs != 1 else ''} × {batches} batches "
                       f"of at most {size} of {n} samples")
    return layout


def _per_iteration(count: int, what: str) -> Callable[[Case], Labels]:
    def layout(c: Case) -> Labels:
        n = c.args[count]
        return (lambda k: f"{what} {k + 1}"), f"one per {what}, {n} in all"
    return layout


def per_sample(data: int | str = 0, targets: int | str = 1, epochs: int | str = -1) -> Layout:
    """One record per sample per epoch, from the data, the targets and the number of epochs."""
    return Layout(_per_sample, {"data": data, "targets": targets, "epochs": epochs})


def per_epoch(epochs: int | str = -1) -> Layout:
    """One record per epoch (full-batch updates), from the number of epochs."""
    return Layout(_per_epoch, {"epochs": epochs})


def per_batch(data: int | str = 0, epochs: int | str = -2, batch_size: int | str = -1) -> Layout:
    """One record per mini-batch update (the last batch of an epoch may be smaller)."""
    return Layout(_per_batch, {"data": data, "epochs": epochs, "batch_size": batch_size})


def per_iteration(count: int | str = -1, what: str = "iteration") -> Layout:
    """One record per iteration, from the number of iterations; ``what`` names one in labels."""
    return Layout(_per_iteration, {"count": count}, {"what": what})


def selected(names: Sequence[str], lesson: Lesson, task: Task) -> bool:
    """True when ``task`` matches one of the ``-k`` patterns (none selects every task)."""
    from fnmatch import fnmatchcase

    full = f"{lesson.name}.{task.name}"
    return not names or any(p in (task.name, full, lesson.name) or fnmatchcase(full, p) or fnmatchcase(task.name, p)
                            for p in names)
