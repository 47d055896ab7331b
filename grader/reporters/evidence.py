"""The evidence of a failed case in words: one fact per filled-in field, for the reporters that list them."""

from __future__ import annotations

from grader.feedback import show, slope_words
from grader.model import Evidence, Mismatch, Plain


def facts(evidence: Evidence) -> list[tuple[str, str]]:
    """``(name, text)`` for each field of ``evidence`` that says something, in the order a reader wants them:
    ``("case", "seed data")``, ``("where", "epoch 0, sample 2")``, ``("mismatch", "loss: expected 0.96, got 1.0")``,
    ``("slope", "your gradient matches your loss, but ...")``."""
    out = [("case", evidence.case)] if evidence.case else []
    out += [("hidden", "yes")] if evidence.hidden else []
    out += [("call", evidence.call)] if evidence.call else []
    out += [("record", str(evidence.record))] if evidence.record is not None else []
    out += [("where", evidence.where)] if evidence.where else []
    out += [("mismatch", mismatch(m)) for m in evidence.mismatches]
    if evidence.mistake:
        out += [("mistake", f"{evidence.mistake.label} ({evidence.mistake.id})")]
    if evidence.slope:
        slope = "" if evidence.slope.slope is None else show(evidence.slope.slope, 6)
        out += [("slope", slope_words(evidence.slope, slope))]
    return out


def mismatch(m: Mismatch) -> str:
    """``loss: expected 0.9604, got 1.0``; a history's length reads ``records: expected 20, got 21``."""
    name = "records" if m.reason == "count" else f"{m.key}{m.path}" or "value"
    return f"{name}: expected {_value(m.expected, m.reason)}, got {_value(m.got, m.reason)}"


def _value(value: Plain, reason: str) -> str:
    """A value as the feedback writes it; text as it is, but where the type is what differs."""
    return value if isinstance(value, str) and reason != "type" else show(value)
