"""The right answers: computed from a course's reference solutions, once per grading session.

The reference is the course's own trusted code (its ``reference`` files), so it
is loaded here, in the grader's process; student code never is.  The reference runs the
very steps the student's code runs (through the child's step interpreter), and
its values cross the same encoding, so both sides are compared like for like.
Answers are cached per (lesson, task, case) so that a batch of submissions
computes each only once.

A built kit (the student release, the Gradescope bundle) has no reference code:
its course folder carries the answers instead, in ``answers.json``, read by
:class:`StoredReference`.  Each stored answer is keyed by a fingerprint of what
its case runs (:func:`case_key`), so an answer can never be matched with a case
that changed since the kit was built (say, NumPy drawing other seeded data):
such a case is a clear grader error, not a wrong grade.
"""

from __future__ import annotations

import hashlib
import json
from types import ModuleType, SimpleNamespace
from typing import Any, Callable, Iterable, Iterator, Mapping, TypeVar

from grader import wire
from grader.checks import Lesson, Task
from grader.courses import ANSWERS, Course
from grader.model import Case, Mistake, Verdict
from grader.oracle import Call, Table, recording
from grader.runner.child import Session

T = TypeVar("T")


MAX_VERDICTS = 20_000


class Reference:
    """Expected values for every case of every task of ``course``: the grading session, which owns what grading
    works out once for a class (answers, the mistakes' values, verdicts on recurring answers, requests)."""

    def __init__(self, course: Course) -> None:
        self.course = course
        self._cache: dict[tuple[str, str, int], Any] = {}
        self._mistakes: dict[tuple[str, str, int], list[tuple[Mistake, list[Any]]]] = {}
        self.verdicts: dict[tuple[Any, ...], Verdict] = {}  # see grader.grading.judge_outcomes
        self._kept: dict[tuple[str, int], tuple[Any, Any]] = {}

    def module(self, lesson: str) -> ModuleType | None:
        """The reference module of a lesson, or None when the course has no reference for it."""
        return self.course.module(self.course.files[lesson].reference)

    def expected(self, lesson: Lesson, task: Task, index: int) -> list[Any]:
        """The right values for case ``index`` of ``task``: one per step, as the student's come back."""
        key = (lesson.name, task.name, index)
        if key not in self._cache:
            self._cache[key] = self._compute(lesson, task, task.cases[index])
        return self._cache[key]

    def _compute(self, lesson: Lesson, task: Task, case: Case) -> list[Any]:
        own = _own_answer(task)
        return own(case) if own is not None else self._answer(lesson, task, case)

    def _answer(self, lesson: Lesson, task: Task, case: Case) -> list[Any]:
        module = self.module(lesson.name)
        if module is None:
            raise LookupError(f"this install has no reference for {lesson.name}")
        return _run(module, task.kind.steps(task.name, case))

    def kept(self, what: str, owner: Any, make: Callable[[], T]) -> T:
        """``make()``, worked out once in this session for ``owner`` (a task or case of the course, which lives
        as long): a class reuses it.  Kept by identity, as cases hold arrays and cannot be hashed."""
        known = self._kept.get((what, id(owner)))
        if known is None or known[0] is not owner:
            known = self._kept[what, id(owner)] = (owner, make())
        return known[1]

    def remember(self, key: tuple[Any, ...], verdict: Verdict) -> None:
        """Keep a verdict on a case's answer (at most :data:`MAX_VERDICTS`, the oldest dropped first)."""
        if len(self.verdicts) >= MAX_VERDICTS:
            del self.verdicts[next(iter(self.verdicts))]
        self.verdicts[key] = verdict

    def withheld(self, lesson: Lesson, task: Task) -> int:
        """How many hidden cases of ``task`` this install leaves out (they run when the work is graded)."""
        return 0

    def mistakes(self, lesson: Lesson, task: Task, index: int) -> list[tuple[Mistake, list[Any]]]:
        """The values each known mistake of ``task`` gives on case ``index`` (those that can be reproduced)."""
        key = (lesson.name, task.name, index)
        if key not in self._mistakes:
            self._mistakes[key] = list(self._reproduce(lesson, task, task.cases[index]))
        return self._mistakes[key]

    def _reproduce(self, lesson: Lesson, task: Task, case: Case) -> Iterator[tuple[Mistake, list[Any]]]:
        for mistake, target, steps in self._runs(lesson, task, case):
            if mistake is not None:
                try:
                    yield mistake, _run(target, steps)
                except Exception:  # noqa: BLE001 - a mistake that cannot run on this case simply does not apply
                    continue

    def _runs(self, lesson: Lesson, task: Task, case: Case) -> Iterator[tuple[Mistake | None, Any, list[Any]]]:
        """The right run of ``case`` (no mistake) then each known mistake's that can be reproduced: the mistake,
        the code to run (a namespace whose ``task.name`` is the variant's function) and the steps."""
        module = self.module(lesson.name)
        if module is None:
            return
        yield None, module, task.kind.steps(task.name, case)
        for mistake in task.mistakes:
            if mistake.seen:
                continue
            target, steps = module, task.kind.steps(task.name, case)
            if mistake.variant:
                wrong = self.course.module(self.course.files[lesson.name].mistakes)
                if wrong is None or not hasattr(wrong, mistake.variant):
                    continue
                target = SimpleNamespace(**vars(module))
                setattr(target, task.name, getattr(wrong, mistake.variant))
            if mistake.args:
                steps = task.kind.steps(task.name, mistake.args(case))
            if mistake.script:
                steps = mistake.script(steps)
            yield mistake, target, steps

    def served(self, lesson: Lesson, task: Task, index: int) -> Table:
        """The calls of ``task.uses`` that the right run of case ``index`` made, and each known mistake's: what
        follow-through serves (see :mod:`grader.oracle`)."""
        return self.kept(f"served {index}", task, lambda: Table(self._calls(lesson, task, task.cases[index])))

    def _calls(self, lesson: Lesson, task: Task, case: Case) -> list[Call]:
        calls: list[Call] = []
        right = vars(self.module(lesson.name) or SimpleNamespace())
        for _, target, steps in self._runs(lesson, task, case) if task.uses else ():
            recorded = SimpleNamespace(**vars(target))
            try:
                setattr(recorded, task.name, recording(getattr(target, task.name), task.uses, right, calls))
                _run(recorded, steps)
            except Exception:  # noqa: BLE001 - as for _reproduce: the calls made before it failed still count
                continue
        return calls


def _own_answer(task: Task) -> Callable[[Case], list[Any]] | None:
    """How a kind that needs no reference computes its answer (a derivative, from sympy), else None."""
    return getattr(task.kind, "expected_values", None)


def _run(module: Any, steps: list[dict[str, Any]]) -> list[Any]:
    """Run a step script on trusted code and decode its values as the student's are decoded."""
    return [wire.decode(v) for v in Session(module).run(steps)]




def case_key(lesson: Lesson, task: Task, case: Case) -> str:
    """A fingerprint of the steps that ``case`` runs: the key of its stored answers."""
    text = json.dumps([lesson.name, task.name, task.kind.steps(task.name, case)], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _mistake_key(mistake: Mistake) -> str:
    return f"{mistake.id}: {mistake.hint}"


def store_answers(lessons: Iterable[Lesson], reference: Reference,
                  withheld: Mapping[str, Mapping[str, int]] | None = None) -> dict[str, Any]:
    """What :class:`StoredReference` reads: ``reference``'s answers and mistakes for every case of ``lessons``.

    ``withheld`` counts, per lesson and task, the hidden cases left out of ``lessons``.  Kinds that
    compute their own answer (derivatives, from sympy) need nothing stored.
    """
    values: dict[str, Any] = {}
    mistakes: dict[str, dict[str, Any]] = {}
    served: dict[str, list[Any]] = {}
    for lesson in lessons:
        for task in lesson.tasks:
            if _own_answer(task) is not None:
                continue
            for index, case in enumerate(task.cases):
                key = case_key(lesson, task, case)
                values[key] = wire.encode(reference.expected(lesson, task, index))
                found = {_mistake_key(m): wire.encode(v) for m, v in reference.mistakes(lesson, task, index)}
                if found:
                    mistakes[key] = found
                if task.uses:
                    served[key] = reference.served(lesson, task, index).to_data()
    parameters = {lesson.name: reference.course.parameters(lesson.name) for lesson in lessons}
    return {"values": values, "mistakes": mistakes, "served": served, "withheld": dict(withheld or {}),
            "parameters": parameters}


class StoredReference(Reference):
    """The answers a built kit's course carries (see :func:`store_answers`): no reference code needed."""

    def __init__(self, course: Course) -> None:
        super().__init__(course)
        data = json.loads((course.root / ANSWERS).read_text(encoding="utf-8"))
        self._values: dict[str, Any] = data["values"]
        self._stored_mistakes: dict[str, dict[str, Any]] = data["mistakes"]
        self._withheld: dict[str, dict[str, int]] = data["withheld"]
        self._served: dict[str, list[Any]] = data.get("served", {})

    def _answer(self, lesson: Lesson, task: Task, case: Case) -> list[Any]:
        key = case_key(lesson, task, case)
        if key not in self._values:
            raise LookupError(f"this kit has no stored answer for this case of {lesson.name}.{task.name}: "
                              "the checks changed since the kit was built")
        return wire.decode(self._values[key])

    def _reproduce(self, lesson: Lesson, task: Task, case: Case) -> Iterator[tuple[Mistake, list[Any]]]:
        found = self._stored_mistakes.get(case_key(lesson, task, case), {})
        for mistake in task.mistakes:
            values = found.get(_mistake_key(mistake))
            if values is not None:
                yield mistake, wire.decode(values)

    def served(self, lesson: Lesson, task: Task, index: int) -> Table:
        """The calls of ``task.uses`` stored for case ``index`` when this kit was built."""
        return self.kept(f"served {index}", task, lambda: Table.from_data(
            self._served.get(case_key(lesson, task, task.cases[index]), {"args": [], "calls": []})))

    def withheld(self, lesson: Lesson, task: Task) -> int:
        """The hidden cases of ``task`` left out when this kit was built."""
        return self._withheld.get(lesson.name, {}).get(task.name, 0)


def default_reference(course: Course) -> Reference:
    """The answers the course carries when it has them (a built kit), else its reference solutions."""
    return StoredReference(course) if (course.root / ANSWERS).is_file() else Reference(course)
