"""`grade check` in CI: JUnit XML, a Markdown summary, and a score threshold."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from conftest import SUBMISSIONS, grade
from grader.reporters.safe_text import printable

WRONG_SIGN = str(SUBMISSIONS / "wrong_sign_gradient")
SOME = ("-k", "forward", "-k", "loss", "-k", "gradient")  # 2 of 4 points for wrong_sign_gradient
NOISY = '''print("\\x00\\x07\\x1b[31m red \\ufffe")


def forward(x, w):
    return x * w


def gradient(x, y, w):
    raise ValueError("bad \\x1b[0m\\x00 value")
'''


def test_junit_has_one_testcase_per_task_and_the_feedback_as_failure(tmp_submission):
    result = grade("check", str(tmp_submission(NOISY)), "--format", "junit", "-k", "forward", "-k", "gradient")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout)  # well-formed although the student's output holds control characters
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert list(cases) == ["forward", "gradient"]
    assert cases["forward"].find("failure") is None
    failure = cases["gradient"].find("failure")
    assert failure.get("message") == "raised ValueError"
    assert "bad \\x1b[0m\\x00 value" in failure.text
    assert (root.get("tests"), root.get("failures")) == ("2", "1")
    assert "\\x1b[31m red \\ufffe" in root.find("testsuite/system-out").text


def test_printable_keeps_what_xml_allows():
    assert printable("tab\tnew\nline é ∂ 😀") == "tab\tnew\nline é ∂ 😀"
    assert printable("\x00\x1b\ud800") == "\\x00\\x1b\\ud800"


def test_markdown_is_a_table_with_the_feedback_of_failures():
    result = grade("check", WRONG_SIGN, "--format", "markdown", *SOME)
    lines = result.stdout.splitlines()
    assert lines[0] == "### gradekit: 2/4 points, 2 of 3 tasks passed"
    assert "| ✅ | `lesson1_linear.forward` | 1/1 | forward(x, w) returns the prediction x·w |" in lines
    row = next(line for line in lines if "`lesson1_linear.gradient`" in line)
    assert row.startswith("| ❌ |") and "0/2" in row
    assert "<details><summary><code>lesson1_linear.gradient</code>" in result.stdout
    assert "gradient(3.0, 6.0, 1.0984): expected -16.2288, got 16.2288" in result.stdout


def test_min_score_sets_the_exit_code_from_the_score():
    assert grade("check", WRONG_SIGN, *SOME).exit_code == 1
    assert grade("check", WRONG_SIGN, *SOME, "--min-score", "2").exit_code == 0
    below = grade("check", WRONG_SIGN, *SOME, "--min-score", "2.5")
    assert below.exit_code == 1 and "score 2 is below --min-score 2.5" in below.stderr
    assert grade("check", WRONG_SIGN, "--min-score", "-1").exit_code == 2
