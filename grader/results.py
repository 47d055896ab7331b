"""The one result model that every reporter (text, JSON, JUnit, CSV) renders."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from grader.model import Evidence, NamedMistake


@dataclass(frozen=True)
class TaskResult:
    """The grade of one task.

    ``status`` is ``passed``, ``failed`` or ``error`` (the grader itself failed
    on this task: not the student's fault).  ``summary`` is a few words
    for the task's line; ``feedback`` is what the student reads under it;
    ``evidence`` is what the failed case showed, as data (None when the task
    passed or the grader failed).
    """

    lesson: str
    task: str
    title: str
    score: float
    max_score: float
    status: str
    summary: str
    feedback: str = ""
    evidence: Evidence | None = None
    cases_passed: int | None = None  # for a task with credit per case: how many of its cases passed
    cases_total: int | None = None
    served: tuple[str, ...] = ()  # follow-through: the wrong functions it used, which the grader stood in for

    @property
    def score_text(self) -> str:
        """``3/4``, or for credit per case ``3/4 (3 of 4 cases)``: how every report writes the score."""
        text = f"{self.score:g}/{self.max_score:g}"
        return text if self.cases_total is None else f"{text} ({self.cases_passed} of {self.cases_total} cases)"

    @property
    def mistake(self) -> str | None:
        """The id of the known mistake the failure was named, if any."""
        return self.evidence.mistake.id if self.evidence and self.evidence.mistake else None

    @property
    def hidden_failed(self) -> bool:
        """True when the failure was on a hidden case (its data is not shown)."""
        return bool(self.evidence and self.evidence.hidden)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TaskResult:
        """The result that :meth:`Report.to_dict` wrote, or an earlier version that kept only the mistake's
        id (its label was the summary) and whether the failed case was hidden, not the evidence."""
        fields = {k: v for k, v in data.items() if k not in ("evidence", "mistake", "hidden_failed", "served")}
        fields["served"] = tuple(data.get("served", ()))
        if data.get("evidence"):
            return cls(**fields, evidence=Evidence.from_dict(data["evidence"]))
        if data["status"] != "failed":
            return cls(**fields)
        mistake = NamedMistake(data["mistake"], data["summary"]) if data.get("mistake") else None
        return cls(**fields, evidence=Evidence(hidden=data.get("hidden_failed", False), mistake=mistake))

    @property
    def name(self) -> str:
        """``lesson.task``, the name every reporter uses."""
        return f"{self.lesson}.{self.task}"

    @property
    def passed(self) -> bool:
        """True when the task earned its points."""
        return self.status == "passed"

    @property
    def remarked(self) -> bool:
        """True when the task's line says more than that it passed: a failure, or a pass by follow-through."""
        return self.summary != "passed"

    @property
    def followed_through(self) -> bool:
        """True when the task earned points with the grader standing in for wrong functions it calls."""
        return bool(self.served) and self.score > 0


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
    digest: str = ""  # grade batch: the SHA-256 of the submission and what was graded; "" when not graded

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
        lessons = tuple(LessonResult(**{**lesson, "tasks": tuple(TaskResult.from_dict(t) for t in lesson["tasks"]),
                                        "notes": tuple(lesson["notes"])}) for lesson in data["lessons"])
        return cls(lessons, tuple(data["notes"]), data["isolation"], data["seconds"], data.get("digest", ""))
