"""Known mistakes: how to reproduce each one, and how to name it when a student's values match.

A :class:`Mistake` is reproduced in one of three ways, all run on the trusted
reference in the grader's process:

* ``variant``: a wrong implementation kept in ``solutions/mistakes/<lesson>.py``
  (never shipped to students: it is a near-copy of the reference);
* ``args``: the right implementation on changed inputs (a negated learning rate
  *is* gradient ascent; one epoch more *is* an off-by-one loop);
* ``script``: a changed sequence of calls (all ``step`` calls sent to the
  instance created last *is* an optimizer keeping everything on its class).

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

    summary: str = ""  # the name on the task's line, when the id read as words will not do

    @property
    def label(self) -> str:
        """The mistake's name on the task's line: ``loss before update``."""
        return self.summary or self.id.replace("_", " ")


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


_SHUFFLED_HINT = "the samples are visited in another order: go through the data in the order given, without shuffling"


def _records(values: list[Any]) -> list[Any]:
    return values[0] if values and isinstance(values[0], list) else []


def _permuted_epochs(visits: list[Any], order: list[Any]) -> bool:
    """True when each epoch of ``visits`` is ``order`` rearranged, and at least one is not in order."""
    n = len(order)
    epochs = [visits[i:i + n] for i in range(0, len(visits), n)]
    return bool(epochs) and all(sorted(e) == sorted(order) for e in epochs) and any(e != order for e in epochs)


def _visits_out_of_order(values: list[Any], c: "Case") -> bool:
    seen = [r.get("x") if isinstance(r, dict) else None for r in _records(values)]
    return all(isinstance(x, (int, float)) for x in seen) and _permuted_epochs(seen, list(c.args[0]))


SHUFFLED = Mistake("shuffled", _SHUFFLED_HINT, seen=_visits_out_of_order)


def shuffled_rows(keys: tuple[str, ...], start: tuple[int, ...], powers: tuple[int, ...] = (1,)) -> Mistake:
    """Shuffling seen in a per-sample history that records the parameters but not the sample.

    The model is ``Σ xᵢᵖ·wₚ + offset`` over ``powers`` (``x·w1 + w2``, ``x²·w2 + x·w1 + b``,
    ``X·w + b``), the loss a squared error.  The update on sample i moves the parameters
    along that sample's features ``(xᵢᵖ…, 1)``, so the sample behind each record is read
    from the change of the parameters ``keys`` (listed in the order of the features;
    their starting values are the case's arguments at ``start``, the samples its first).
    """
    def seen(values: list[Any], c: "Case") -> bool:
        points = [_flat([c.args[i] for i in start])] + [_flat([_get(r, k) for k in keys]) for r in _records(values)]
        if len(points) < 2 or any(p is None or p.shape != points[0].shape or not np.isfinite(p).all()
                                  for p in points):
            return False
        xs = np.asarray(c.args[0], dtype=float).reshape(len(c.args[0]), -1)
        rows = np.column_stack([xs ** p for p in powers] + [np.ones(len(xs))])
        visits = [_row_along(after - before, rows) for before, after in zip(points, points[1:])]
        return None not in visits and _permuted_epochs(visits, list(range(len(rows))))
    return Mistake("shuffled", _SHUFFLED_HINT, seen=seen)


def _get(record: Any, key: str) -> Any:
    return record.get(key) if isinstance(record, dict) else None


def _flat(parts: list[Any]) -> np.ndarray | None:
    if any(p is None for p in parts):
        return None
    try:
        return np.concatenate([np.ravel(np.asarray(p, dtype=float)) for p in parts])
    except (TypeError, ValueError):
        return None


def _row_along(delta: np.ndarray, rows: np.ndarray) -> int | None:
    """The one row of ``rows`` that ``delta`` is parallel to (to 1e-6), else None."""
    size = np.linalg.norm(delta)
    if not np.isfinite(size) or size == 0:
        return None
    along = [i for i, row in enumerate(rows) if row @ row > 0 and
             np.linalg.norm(delta - (delta @ row) / (row @ row) * row) <= 1e-6 * size]
    return along[0] if len(along) == 1 else None


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
