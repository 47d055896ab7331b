"""Known mistakes: how to reproduce each one, and how to name it when a student's values match.

A :class:`Mistake` is reproduced in one of three ways, all run on the trusted
reference in the grader's process:

* ``variant``: a wrong implementation kept in ``solutions/mistakes/<lesson>.py``
  (never shipped to students: it is a near-copy of the reference);
* ``args``: the right implementation on changed inputs (a negated learning rate
  *is* gradient ascent; one epoch more *is* an off-by-one loop);
* ``script``: a changed sequence of calls (all ``step`` calls sent to one
  optimizer instance *is* state shared between instances).

When a student's values fail, :func:`diagnose` compares them with every
mistake's values using the task's own judge and tolerance; the first match
names the mistake.  A few mistakes are seen in the student's values alone (``seen``, and
:func:`aliasing` for every task).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

if TYPE_CHECKING:
    from grader.checks import Case


@dataclass(frozen=True)
class Mistake:
    """A known wrong way to do a task and the one-line hint that names it."""

    id: str
    hint: str
    variant: str | None = None
    args: Callable[["Case"], "Case"] | None = None
    script: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None = None
    seen: Callable[[list[Any], "Case"], bool] | None = None  # recognised in the student's values alone

    @property
    def label(self) -> str:
        """The mistake's name on the task's line: ``loss before update``."""
        return self.id.replace("_", " ")


def _with_arg(index: int, change: Callable[[Any], Any]) -> Callable[["Case"], "Case"]:
    def mutate(c: "Case") -> "Case":
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


def _one_instance(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [dict(step, on=0) if "on" in step else step for step in steps]


SHARED_STATE = Mistake("shared_state", "optimizer state is shared between instances: keep it on self (set in "
                                       "__init__ or on the first step), never on the class",
                       script=_one_instance)


def variant(id: str, name: str, hint: str) -> Mistake:
    """A mistake reproduced by the wrong implementation ``name`` of ``solutions/mistakes/<lesson>.py``."""
    return Mistake(id, hint, variant=name)


def _visits_out_of_order(values: list[Any], c: "Case") -> bool:
    records = values[0] if values and isinstance(values[0], list) else []
    xs, n = list(c.args[0]), len(c.args[0])
    seen = [r.get("x") for r in records if isinstance(r, dict)]
    epochs = [seen[i:i + n] for i in range(0, len(seen), n)]
    return bool(epochs) and all(sorted(e) == sorted(xs) for e in epochs) and any(e != xs for e in epochs)


SHUFFLED = Mistake("shuffled", "the samples are visited in another order: go through the data in the order "
                               "given, without shuffling", seen=_visits_out_of_order)


def aliasing(values: Any) -> str | None:
    """The hint for a history whose records all hold the same array (a missing ``.copy()``), else None."""
    if not isinstance(values, list) or len(values) < 2:
        return None
    records = [r for r in values if isinstance(r, dict)]
    if len(records) == len(values):
        keys = [k for k, v in records[0].items() if isinstance(v, np.ndarray)]
        columns = [[r.get(k) for r in records] for k in keys]
    else:
        columns = [values]
    for column in columns:
        if all(isinstance(v, np.ndarray) for v in column) and all(
                v.shape == column[0].shape and np.array_equal(v, column[0]) for v in column[1:]):
            return ("every record holds the same array, the final one: the history keeps a reference to an "
                    "array that is updated later; store a copy (w.copy())")
    return None
