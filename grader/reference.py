"""The right answers: computed from the reference solutions, once per process.

The reference is the kit's own trusted code (``solutions/``), so it is imported
here, in the grader's process; student code never is.  Answers are cached per
(lesson, task, case) so that a batch of submissions computes each only once.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from grader.checks import Lesson, Task


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

    def expected(self, lesson: Lesson, task: Task, index: int) -> Any:
        """The right answer for case ``index`` of ``task``."""
        key = (lesson.name, task.name, index)
        if key not in self._cache:
            self._cache[key] = task.kind.expected(self.module(lesson.name), task.name, task.cases[index])
        return self._cache[key]
