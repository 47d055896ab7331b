"""The kit's shared nouns: a case, a known mistake, a verdict and the evidence it carries.

A leaf module: it imports nothing of the grader, so the declarations
(:mod:`grader.checks`), the judges (:mod:`grader.judges`) and diagnosis
(:mod:`grader.diagnosis`) all import from here and the imports between them
run one way.

The evidence of a failed case is plain data (strings, numbers, None, lists and
dicts of them) so that report.json keeps it as it is and every reporter, now
or later (a plot of a trace, an HTML page), renders from its fields rather
than from the feedback's text.  It holds no more than the feedback shows: of
a hidden case only its label and a named mistake (see
:func:`grader.grading.hidden_failure`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

Plain = Any  # JSON-able data: None, bool, int, a finite float, str, and lists and str-keyed dicts of them


@dataclass(frozen=True)
class Case:
    """One set of inputs for a task; hidden cases never show their data to the student."""

    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    label: str = ""
    hidden: bool = False


@dataclass(frozen=True)
class Mistake:
    """A known wrong way to do a task and the one-line hint that names it (see :mod:`grader.diagnosis`)."""

    id: str
    hint: str
    variant: str | None = None
    args: Callable[[Case], Case] | None = None
    script: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None = None
    seen: Callable[[list[Any], Case], bool | Mistake] | None = None  # recognised in the student's values alone
    # (a Mistake returned is the one to name, worded for these values)
    parts: tuple[Mistake, ...] = ()  # the mistakes this one makes together (see grader.diagnosis.both)

    summary: str = ""  # the name on the task's line, when the id read as words will not do

    @property
    def label(self) -> str:
        """The mistake's name on the task's line: ``loss before update``."""
        return self.summary or self.id.replace("_", " ")


@dataclass(frozen=True)
class NamedMistake:
    """The known mistake a failed case was named, as the student reads it: its id, label and hint."""

    id: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class Mismatch:
    """One quantity that differs from the right one (check50's ``Mismatch(expected, actual)``).

    ``key`` is the record's key in a history (``"loss"``), "" for a returned value;
    ``path`` is the place inside it (``"[1]"``, ``"[0, 2]"``, "" for the whole);
    ``reason`` is ``value``, ``nan``, ``type``, ``shape``, ``length`` (of a tuple
    or list) or ``count`` (a history's number of records).  ``expected`` and
    ``got`` are plain data; a non-finite number is its text (``"nan"``), a
    derivative's values are the text the feedback shows (``"3/2"``).
    """

    key: str
    path: str
    expected: Plain
    got: Plain
    reason: str = "value"


@dataclass(frozen=True)
class SlopeCheck:
    """What the finite-difference oracle found on a wrong gradient (see :mod:`grader.judges.slope`).

    ``loss`` is the student's loss function it was checked against; ``matches`` says whether the gradient is
    the slope of that loss at the case's point, ``loss_right`` whether that loss gives the right values
    around it; ``slope`` is that slope, shaped as the gradient (None for a hidden case).
    """

    loss: str
    matches: bool
    loss_right: bool
    slope: Plain = None


@dataclass(frozen=True)
class Evidence:
    """What a failed case showed, as plain data.

    ``case`` and ``hidden`` are the case's label and whether it is hidden;
    ``call`` is the call as the student would write it; ``record`` is the index
    of a history's first divergent record and ``where`` names the place in words
    (that record's label, ``"epoch 0, sample 2 (x=2.0, y=4.0)"``, or the point
    where a derivative differs, ``"x=1, y=2, w=3"``); ``mismatches`` are the
    differing quantities there; ``slope`` is what the finite-difference oracle
    found on a wrong gradient.  Of a hidden case only ``case``, ``hidden``,
    ``mistake`` and ``slope`` (without its numbers) are ever filled in.
    """

    case: str = ""
    hidden: bool = False
    call: str = ""
    record: int | None = None
    where: str = ""
    mismatches: tuple[Mismatch, ...] = ()
    mistake: NamedMistake | None = None
    slope: SlopeCheck | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys of the history that differ at the divergent record, in order."""
        return tuple(dict.fromkeys(m.key for m in self.mismatches if m.key))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Evidence:
        """The evidence that :func:`dataclasses.asdict` wrote (as report.json keeps it)."""
        mistake, slope = data["mistake"], data.get("slope")
        return cls(**{**data, "mismatches": tuple(Mismatch(**m) for m in data["mismatches"]),
                      "mistake": NamedMistake(**mistake) if mistake else None,
                      "slope": SlopeCheck(**slope) if slope else None})


UNCHECKABLE = "result cannot be checked"  # the summary of a verdict on a value the grader cannot read


@dataclass(frozen=True)
class Verdict:
    """The outcome of judging one value.

    ``summary`` is the few words shown on the task's line ("sign flipped");
    ``details`` is the feedback a beginner reads under it; ``mistake`` names a
    known mistake (an identifier such as ``"sign_flipped"``) when one matched,
    and ``hint`` says in one line what to change.  ``evidence`` is what the
    judge saw, as data (the case's label, its call and the mistake are added
    when the case's result is made).  ``finding`` says which function is wrong
    when an oracle could tell (a gradient, or the loss it is the slope of), in
    the kit's own words, with no data: hidden cases may show it (``details``
    says it too, with the data of a public case).
    """

    passed: bool
    summary: str = ""
    details: str = ""
    mistake: str | None = None
    hint: str = ""  # the one-line hint of a named mistake; it reveals no data, so hidden cases show it too
    evidence: Evidence = Evidence()
    finding: str = ""

    @property
    def named(self) -> NamedMistake | None:
        """The named mistake, with its label (the summary) and hint; None when no mistake matched."""
        return NamedMistake(self.mistake, self.summary, self.hint) if self.mistake else None
