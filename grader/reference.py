"""The right answers: computed from the reference solutions, once per process.

The reference is the kit's own trusted code (``solutions/``), so it is imported
here, in the grader's process; student code never is.  The reference runs the
very steps the student's code runs (through the child's step interpreter), and
its values cross the same encoding, so both sides are compared like for like.  Answers are cached per
(lesson, task, case) so that a batch of submissions computes each only once.
"""

from __future__ import annotations

import importlib
from types import ModuleType, SimpleNamespace
from typing import Any, Iterator

from grader import wire
from grader.checks import Case, Lesson, Task
from grader.diagnosis import Mistake
from grader.runner.child import Session


class Reference:
    """Expected values for every case of every task."""

    def __init__(self, package: str = "solutions") -> None:
        self.package = package
        self._modules: dict[str, ModuleType | None] = {}
        self._cache: dict[tuple[str, str, int], Any] = {}
        self._mistakes: dict[tuple[str, str, int], list[tuple[Mistake, list[Any]]]] = {}

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
        return _run(module, task.kind.steps(task.name, case))

    def mistakes(self, lesson: Lesson, task: Task, index: int) -> list[tuple[Mistake, list[Any]]]:
        """The values each known mistake of ``task`` gives on case ``index`` (those that can be reproduced)."""
        key = (lesson.name, task.name, index)
        if key not in self._mistakes:
            self._mistakes[key] = list(self._reproduce(lesson, task, task.cases[index]))
        return self._mistakes[key]

    def _reproduce(self, lesson: Lesson, task: Task, case: Case) -> Iterator[tuple[Mistake, list[Any]]]:
        module = self.module(lesson.name)
        if module is None:
            return
        for mistake in task.mistakes:
            if mistake.seen:
                continue
            target, steps = module, task.kind.steps(task.name, case)
            if mistake.variant:
                wrong = self.module(f"mistakes.{lesson.name}")
                if wrong is None or not hasattr(wrong, mistake.variant):
                    continue
                target = SimpleNamespace(**vars(module))
                setattr(target, task.name, getattr(wrong, mistake.variant))
            if mistake.args:
                steps = task.kind.steps(task.name, mistake.args(case))
            if mistake.script:
                steps = mistake.script(steps)
            try:
                yield mistake, _run(target, steps)
            except Exception:  # noqa: BLE001 - a mistake that cannot run on this case simply does not apply
                continue


def _run(module: Any, steps: list[dict[str, Any]]) -> list[Any]:
    """Run a step script on trusted code and decode its values as the student's are decoded."""
    return [wire.decode(v) for v in Session(module).run(steps)]
