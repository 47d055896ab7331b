"""Student habits do not cost a lesson (issue 16, items 10 and 11).

A ``.py`` lesson runs its top-level statements the way a notebook runs its
cells: an import the course does not offer, a data file beside the lesson, a
plot or a demo run that never ends is reported once, on the file, with advice,
and the functions defined before and after it are still graded.  The time a
file's top level may run is stated and settable (``--load-timeout``, else the
course's ``load_timeout``).  A file that cannot be loaded at all is said once
for the lesson, and each task only points at that note.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import ROOT, by_task, grade, grade_json

HABITS = '''import pandas as pd
import numpy as np
import matplotlib.pyplot as plt


def forward(x, w):
    return x * w


data = np.loadtxt("data.csv")


def loss(x, y, w):
    return (x * w - y) ** 2


plt.plot([1, 2, 3])
epoch = 0
while True:
    epoch += 1


def gradient(x, y, w):
    return 2 * x * (x * w - y)
'''


def test_failing_top_level_lines_are_reported_with_advice_and_every_function_is_graded(tmp_path: Path) -> None:
    (tmp_path / "lesson1_linear.py").write_text(HABITS, encoding="utf-8")
    (tmp_path / "data.csv").write_text("1,2\n", encoding="utf-8")  # beside the lesson: the grader never sees it
    code, doc = grade_json(tmp_path, "--load-timeout", "1", "-k", "forward", "-k", "loss", "-k", "gradient")
    assert code == 0 and {t["name"]: t["status"] for t in doc["tests"]} == {
        "lesson1_linear.forward": "passed", "lesson1_linear.loss": "passed", "lesson1_linear.gradient": "passed"}
    notes = doc["output"].splitlines()
    assert notes == [
        "lesson1_linear: line 1: raised ModuleNotFoundError: No module named 'pandas' "
        "(the rest of your file still ran)",
        "lesson1_linear: line 3: raised ModuleNotFoundError: No module named 'matplotlib' "
        "(the rest of your file still ran)",
        "lesson1_linear: line 10: raised FileNotFoundError: data.csv not found. (the rest of your file still ran)",
        "lesson1_linear: line 17: raised NameError: name 'plt' is not defined (the rest of your file still ran)",
        "lesson1_linear: line 19: `while True:` was still running after 1 s, the time limit for your file's top "
        "level: skipped, and the rest of your file still ran",
        "lesson1_linear: the course offers numpy, sympy and Python's standard library: other packages are not "
        "there when your work is graded",
        "lesson1_linear: the grader sees only your lesson file: a data file beside it is not there",
        'lesson1_linear: put demo code (plots, data files, long runs) under `if __name__ == "__main__":`: '
        "the grader runs your functions, not your demos",
    ]


def test_a_traceback_of_a_top_level_line_names_its_line_in_the_file(tmp_path: Path) -> None:
    text = "def forward(x, w):\n    return x * w\n\n\nprint(forward(1.0))\n"
    (tmp_path / "lesson1_linear.py").write_text(text, encoding="utf-8")
    result = grade("check", str(tmp_path), "-k", "forward")
    assert result.exit_code == 0
    assert "note: line 5: raised TypeError: forward() missing 1 required positional argument: 'w'" in result.stdout


def test_a_demo_under_the_main_guard_is_not_run(tmp_path: Path) -> None:
    text = "def forward(x, w):\n    return x * w\n\n\nif __name__ == '__main__':\n    while True:\n        pass\n"
    (tmp_path / "lesson1_linear.py").write_text(text, encoding="utf-8")
    code, doc = grade_json(tmp_path, "--load-timeout", "1", "-k", "forward")
    assert code == 0 and doc["output"] == ""


def test_a_future_import_still_holds_for_the_statements_after_it(tmp_path: Path) -> None:
    text = ("from __future__ import annotations\n\n\ndef forward(x: Later, w: Later) -> Later:\n"
            "    return x * w\n")
    (tmp_path / "lesson1_linear.py").write_text(text, encoding="utf-8")
    code, doc = grade_json(tmp_path, "-k", "forward")
    assert code == 0 and doc["output"] == ""


def _course_with_load_timeout(tmp_path: Path, seconds: str) -> Path:
    course = shutil.copytree(ROOT / "tests" / "courses" / "intro", tmp_path / "intro")
    manifest = course / "course.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'packages = ["numpy", "sympy"]', f'packages = ["numpy", "sympy"]\nload_timeout = {seconds}'), encoding="utf-8")
    return course


def test_the_load_time_limit_is_stated_and_set_by_the_course_or_the_command_line(tmp_path: Path) -> None:
    course = _course_with_load_timeout(tmp_path, "1.5")
    work = tmp_path / "work"
    work.mkdir()
    (work / "lesson1_line.py").write_text("import time\n\nwhile True:\n    time.sleep(0.1)\n", encoding="utf-8")
    by_course = grade("check", str(work), "--course", str(course))
    assert "line 3: `while True:` was still running after 1.5 s, the time limit" in by_course.stdout
    by_option = grade("check", str(work), "--course", str(course), "--load-timeout", "1")
    assert "line 3: `while True:` was still running after 1 s, the time limit" in by_option.stdout


def test_a_course_s_load_timeout_must_be_a_positive_number(tmp_path: Path) -> None:
    course = _course_with_load_timeout(tmp_path, '"ten"')
    result = grade("check", str(course / "solutions"), "--course", str(course))
    assert result.exit_code == 1
    assert "[course] load_timeout must be a positive number of seconds" in result.output


SYNTAX = "def forward(x, w)\n    return x * w\n"
SAID = "line 1: SyntaxError: expected ':'"
POINTER = "your file could not be loaded: see the note on this file"


def test_a_file_python_cannot_read_is_said_once_in_every_format(tmp_path: Path) -> None:
    (tmp_path / "lesson1_linear.py").write_text(SYNTAX, encoding="utf-8")
    outputs = {fmt: grade("check", str(tmp_path), "--format", fmt).stdout
               for fmt in ("text", "json", "junit", "markdown")}
    for fmt, output in outputs.items():
        assert output.count(SAID) == 1, (fmt, output)
    tests = by_task(json.loads(outputs["json"]))
    assert {(t["status"], t["score"], tuple(t["output"].splitlines()[1:])) for t in tests.values()} == {
        ("failed", 0.0, ("not graded", POINTER))}
    assert "[not graded]" in outputs["text"] and outputs["text"].count(POINTER) == 5
    failures = ET.fromstring(outputs["junit"]).iter("failure")
    assert {(f.get("message"), f.text.splitlines()[-1]) for f in failures} == {("not graded", POINTER)}
    assert outputs["markdown"].count("**not graded**") == 5


def test_a_file_that_cannot_be_read_is_a_note_and_its_tasks_score_zero(tmp_path: Path) -> None:
    (tmp_path / "lesson1_linear.py").write_bytes(b"# r\xe9sum\xe9\n")
    code, doc = grade_json(tmp_path)
    assert code == 1 and doc["score"] == 0.0
    assert doc["output"] == "lesson1_linear: lesson1_linear.py is not UTF-8 text (byte 3); save it as UTF-8"
    assert {t["output"].splitlines()[-1] for t in doc["tests"]} == {POINTER}
