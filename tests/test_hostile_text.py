"""Control characters from a student's code never reach an output raw: each is shown as its escape.

A fake ``PASS`` written over a ``FAIL`` with ``\\r`` or ``ESC[1A ESC[2K``, an OSC 52
sequence that writes the clipboard, a bidi override that reorders a line: in
exception messages, tracebacks, printed output, the names of returned types and
the submission's file name, graded through ``grade check`` in every format, and
every reporter (the batch's too) fed a report whose every text is hostile.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from conftest import grade
from grader.reporters import gradebook, gradescope, junit, markdown, summary, text
from grader.model import Evidence, Mismatch, NamedMistake
from grader.results import LessonResult, Report, TaskResult

# what no output may hold raw: C0 but tab and newline, DEL, C1, bidi controls, lone surrogates
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

HOSTILE = '''print("\\x1b]52;c;ZXZpbA==\\x07 copied")


def forward(x, w):
    raise ValueError("\\x1b[2K\\rPASS forward\\u202e")


def loss(x, y, w):
    return type("\\x1b[1A\\x1b[2KPASS\\x9b", (), {})()
'''
FILE = "lesson1 \x1b[2K\x07.py"  # the loader finds lesson 1 by the number in the name


def raw_free(output: str) -> str:
    """``output``, once checked to hold no raw control character."""
    found = RAW.findall(output)
    assert not found, f"raw {found!r} in {output!r}"
    return output


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / FILE).write_text(HOSTILE, encoding="utf-8")
    return folder


def check(folder: Path, fmt: str) -> str:
    result = grade("check", str(folder), "--format", fmt, "-k", "forward", "-k", "loss")
    assert result.exit_code == 1
    return raw_free(result.stdout)


def test_text_shows_the_escapes_where_the_student_put_control_characters(hostile: Path) -> None:
    out = check(hostile, "text")
    assert "forward(2.0, 3.0) raised ValueError: \\x1b[2K\\rPASS forward\\u202e" in out
    assert "got a lesson1_linear.\\x1b[1A\\x1b[2KPASS\\x9b" in out  # the name of the returned type
    assert "| \\x1b]52;c;ZXZpbA==\\x07 copied" in out  # what it printed
    assert "(" + str(hostile / "lesson1 \\x1b[2K\\x07.py") + ")" in out  # the file's name
    assert not any(line.lstrip().startswith("PASS") for line in out.splitlines())


def test_json_output_strings_are_escaped(hostile: Path) -> None:
    document = json.loads(check(hostile, "json"))
    strings = list(_strings(document))
    assert not [s for s in strings if RAW.search(s)]
    forward = next(t for t in document["tests"] if t["name"] == "lesson1_linear.forward")
    assert "raised ValueError: \\x1b[2K\\rPASS forward\\u202e" in forward["output"]


def test_junit_parses_and_keeps_the_escapes(hostile: Path) -> None:
    root = ET.fromstring(check(hostile, "junit"))
    failures = {case.get("name"): case.find("failure") for case in root.iter("testcase")}
    assert "\\x1b[2K\\rPASS forward\\u202e" in failures["forward"].text
    assert "\\x1b]52;c;ZXZpbA==\\x07 copied" in root.find("testsuite/system-out").text
    assert root.find("testsuite/properties/property").get("value").endswith("lesson1 \\x1b[2K\\x07.py")


def test_markdown_keeps_the_escapes(hostile: Path) -> None:
    out = check(hostile, "markdown")
    assert "raised ValueError: \\x1b[2K\\rPASS forward\\u202e" in out


EVIL = "a\x1b]52;c;ZXZpbA==\x07b\r\x1b[1A\x1b[2KPASS\x9b\u202e\u2066\x00\x7f\x85\ud800"
SHOWN = "a\\x1b]52;c;ZXZpbA==\\x07b\\r\\x1b[1A\\x1b[2KPASS\\x9b\\u202e\\u2066\\x00\\x7f\\x85\\ud800"


def evil_report() -> Report:
    """A report whose every text field (names and evidence included) holds every kind of control character."""
    evidence = Evidence(EVIL, False, EVIL, 3, EVIL, (Mismatch(EVIL, EVIL, EVIL, [EVIL], "type"),),
                        NamedMistake(EVIL, EVIL, EVIL))
    failed = TaskResult(EVIL, EVIL, EVIL, 0.0, 1.0, "failed", EVIL, EVIL, evidence)
    error = TaskResult(EVIL, "t" + EVIL, EVIL, 0.0, 1.0, "error", EVIL, EVIL)
    return Report((LessonResult(EVIL, EVIL, (failed, error), (EVIL,), EVIL),), (EVIL,), EVIL)


def test_every_reporter_escapes_every_field() -> None:
    report = evil_report()
    rows = [(EVIL, report)]
    points = {f"{EVIL}.{EVIL}": 1.0}
    outputs = {
        "text": text.render(report), "text in colour": text.render(report, color=True),
        "markdown": markdown.render(report), "junit": junit.render(report),
        "results.json": gradescope.render(report), "gradescope dict": json.dumps(gradescope.to_dict(report)),
        "gradebook.csv": gradebook.render(rows, points), "summary.md": summary.render(summary.summarize(rows, points)),
        "summary.json": json.dumps(summary.summarize(rows, points), ensure_ascii=False),
    }
    for name, out in outputs.items():
        out.encode("utf-8")  # no lone surrogate either
        if name == "text in colour":  # the kit's own styles are its only escape sequences
            out = re.sub("\x1b\\[[0-9;]*m", "", out)
        shown = "\n".join(_strings(json.loads(out))) if name.endswith("json") or name == "gradescope dict" else out
        assert SHOWN in raw_free(shown), name
    ET.fromstring(outputs["junit"])


def _strings(data: Any) -> Any:
    """Every string in a JSON document, keys included."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from _strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from _strings(item)


def test_a_lone_surrogate_in_a_message_is_filed_by_a_batch(tmp_path: Path) -> None:
    student = tmp_path / "subs" / "alice" / "lesson1_linear.py"
    student.parent.mkdir(parents=True)
    student.write_text("def forward(x, w):\n    raise ValueError('\\ud800 broken \\udfff')\n")
    result = grade("batch", str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--quiet", "-k", "forward")
    assert result.exit_code == 0, result.stderr
    feedback = (tmp_path / "out" / "alice" / "feedback.txt").read_text(encoding="utf-8")
    assert "raised ValueError: ? broken ?" in feedback
    assert json.loads((tmp_path / "out" / "alice" / "report.json").read_text(encoding="utf-8"))["lessons"]
