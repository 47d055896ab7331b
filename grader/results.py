"""The one result model that every reporter (text, JSON, JUnit, CSV) renders."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class TaskResult:
    """The grade of one task.

    ``status`` is ``passed``, ``failed`` or ``error`` (the grader itself failed
    on this task: not the student's fault).  ``summary`` is a few words
    for the task's line; ``feedback`` is what the student reads under it.
    """

    lesson: str
    task: str
    title: str
    score: float
    max_score: float
    status: str
    summary: str
    feedback: str = ""
    mistake: str | None = None
    hidden_failed: bool = False  # the failure was on a hidden case (its data is not shown)

    @property
    def name(self) -> str:
        """``lesson.task``, the name every reporter uses."""
        return f"{self.lesson}.{self.task}"

    @property
    def passed(self) -> bool:
        """True when the task earned its points."""
        return self.status == "passed"


@dataclass(frozen=True)
class LessonResult:
    """The grades of one lesson file, with what loading it said and what it printed."""

    lesson: str
    path: str
    tasks: tuple[TaskResult, ...]
    notes: tuple[str, ...] = ()
    output: str = ""
    seconds: float = 0.0

    @property
    def score(self) -> float:
        """Points earned in this lesson."""
        return sum(t.score for t in self.tasks)

    @property
    def max_score(self) -> float:
        """Points available in this lesson."""
        return sum(t.max_score for t in self.tasks)


@dataclass(frozen=True)
class Report:
    """The grades of one submission."""

    lessons: tuple[LessonResult, ...]
    notes: tuple[str, ...] = ()
    isolation: str = ""
    seconds: float = 0.0
    digest: str = ""  # grade batch: the SHA-256 of the submission graded; "" when not graded (a rerun grades it)

    @property
    def tasks(self) -> tuple[TaskResult, ...]:
        """Every task result, lesson by lesson."""
        return tuple(t for lesson in self.lessons for t in lesson.tasks)

    @property
    def score(self) -> float:
        """Points earned."""
        return sum(lesson.score for lesson in self.lessons)

    @property
    def max_score(self) -> float:
        """Points available."""
        return sum(lesson.max_score for lesson in self.lessons)

    @property
    def passed_count(self) -> int:
        """How many graded tasks passed."""
        return sum(t.passed for t in self.tasks)

    @property
    def all_passed(self) -> bool:
        """True when every graded task passed."""
        return all(t.passed for t in self.tasks)

    def to_dict(self) -> dict[str, Any]:
        """The whole report as JSON-safe data (what ``grade batch`` keeps to resume and summarise)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Report":
        """The report that :meth:`to_dict` gave."""
        lessons = tuple(LessonResult(**{**lesson, "tasks": tuple(TaskResult(**t) for t in lesson["tasks"]),
                                        "notes": tuple(lesson["notes"])}) for lesson in data["lessons"])
        return cls(lessons, tuple(data["notes"]), data["isolation"], data["seconds"], data.get("digest", ""))
