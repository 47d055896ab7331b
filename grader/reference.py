"""The right answers: computed from the reference solutions, once per process.

The reference is the kit's own trusted code (``solutions/``), so it is imported
here, in the grader's process; student code never is.  The reference runs the
very steps the student's code runs (through the child's step interpreter), and
its values cross the same encoding, so both sides are compared like for like.  Answers are cached per
(lesson, task, case) so that a batch of submissions computes each only once.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from grader import wire
from grader.checks import Case, Lesson, Task
from grader.runner.child import Session


class Reference:
    """Expected values for every case of every task."""

    def __init__(self, package: str = "solutions") -> None:
        self.package = package
        self._modules: dict[str, ModuleType | None] = {}
        self._cache: dict[tuple[str, str, int], Any] = {}

    def module(self, lesson: str) -> ModuleType | None:
        """The reference module of a lesson, or None when this install has no reference."""
        if lesson not in self._modules:
            try:
                self._modules[lesson] = importlib.import_module(f"{self.package}.{lesson}")
            except ImportError:
                self._modules[lesson] = None
        return self._modules[lesson]

    def expected(self, lesson: Lesson, task: Task, index: int) -> list[Any]:
        """The right values for case ``index`` of ``task``: one per step, as the student's come back."""
        key = (lesson.name, task.name, index)
        if key not in self._cache:
            self._cache[key] = self._compute(lesson, task, task.cases[index])
        return self._cache[key]

    def _compute(self, lesson: Lesson, task: Task, case: Case) -> list[Any]:
        own = getattr(task.kind, "expected_values", None)
        if own is not None:
            return own(case)
        module = self.module(lesson.name)
        if module is None:
            raise LookupError(f"this install has no reference for {lesson.name}")
        session = Session(module)
        return [wire.decode(v) for v in session.run(task.kind.steps(task.name, case))]
