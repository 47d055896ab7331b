"""A syntax error in a ``.py`` lesson costs only the block it is in (grader/runner/blocks.py): the functions
Python can read are still graded, the broken one's task names the line, and the note says it once."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, grade
from grader.grading import grade_path
from grader.runner.blocks import block_starts, readable

REFERENCE = (ROOT / "solutions" / "lesson1_linear.py").read_text(encoding="utf-8")


def graded(tmp_path: Path, text: str) -> dict:
    (tmp_path / "lesson1_linear.py").write_text(text, encoding="utf-8")
    report = grade_path(tmp_path / "lesson1_linear.py")
    return {"tasks": {t.task: t for t in report.tasks}, "notes": report.lessons[0].notes}


def test_one_broken_function_costs_only_its_task(tmp_path):
    broken = REFERENCE.replace("def gradient(x: float, y: float, w: float) -> float:",
                               "def gradient(x: float, y: float, w: float) -> float")
    line = broken.splitlines().index("def gradient(x: float, y: float, w: float) -> float") + 1
    found = graded(tmp_path, broken)
    tasks = found["tasks"]
    assert [name for name, t in tasks.items() if t.passed] == ["forward", "loss", "dloss_dw", "train"]
    assert (tasks["gradient"].summary, tasks["gradient"].feedback) == (
        "syntax error", f"Python could not read gradient: line {line} has a syntax error (expected ':'), so the "
                        "block it is in was skipped; see the note on this file")
    assert found["notes"] == (f"line {line}: SyntaxError: expected ':' (Python skipped the block it is in; the "
                              "rest of your file still ran)\n    def gradient(x: float, y: float, w: float) -> float",)


def test_an_unclosed_bracket_ends_at_the_next_def(tmp_path):
    broken = REFERENCE.replace("return (y_pred - y) * (y_pred - y)", "return ((y_pred - y) * (y_pred - y)")
    tasks = graded(tmp_path, broken)["tasks"]
    assert tasks["loss"].summary == "syntax error" and "Python could not read loss: line" in tasks["loss"].feedback
    assert tasks["gradient"].passed and tasks["forward"].passed
    assert tasks["train"].passed and tasks["train"].served == ("loss",)  # followed through: loss is missing


def test_two_broken_blocks_are_two_notes_and_a_later_traceback_keeps_the_file_s_lines(tmp_path):
    text = ("def forward(x, w)\n    return x * w\n\n\n"
            "def loss(x, y, w):\n    return (x * w - y) ** 2\n\n\n"
            "def gradient(x, y, w):\n    return 1 / 0\n\n\n"
            "class Broken(\n    pass\n")
    found = graded(tmp_path, text)
    assert [n.splitlines()[0] for n in found["notes"]] == [
        "line 1: SyntaxError: expected ':' (Python skipped the block it is in; the rest of your file still ran)",
        "line 13: SyntaxError: '(' was never closed (Python skipped the block it is in; the rest of your file "
        "still ran)"]
    assert found["tasks"]["loss"].passed
    assert 'line 10, in gradient' in found["tasks"]["gradient"].feedback


def test_a_file_with_no_readable_block_is_not_graded_as_before(tmp_path):
    tasks = graded(tmp_path, "def forward(x, w)\n    return x * w\n")["tasks"]
    assert {t.summary for t in tasks.values()} == {"not graded"}


def test_blocks_start_at_column_0_statements_and_a_decorator_keeps_its_function():
    source = ('"""A docstring\ndef at column 0 inside a string starts nothing\n"""\nimport math\n\n'
              "@decorate(\n    size=None,\n)\n# a comment\ndef f(x):\n    def inner():\n        pass\n    return x\n"
              "X = 1\nclass C:\n    pass\n\n\nif __name__ == '__main__':\n    f(1)\n")
    assert block_starts(source) == [0, 3, 5, 14, 18]


def test_old_code_between_triple_quotes_stays_a_string(tmp_path):
    """A student "comments out" old versions in a string: with a syntax error elsewhere, the old functions
    must not run in place of the real ones."""
    old = '"""\ndef forward(x, w):\n    return 0.0\n\n\ndef loss(x, y, w):\n    return 0.0\n"""\n\n\n'
    broken = old + REFERENCE.replace("def dloss_dw():", "def dloss_dw()")
    tasks = graded(tmp_path, broken)["tasks"]
    assert [name for name, t in tasks.items() if not t.passed] == ["dloss_dw"]


def test_a_broken_demo_under_the_main_guard_costs_only_the_demo(tmp_path):
    found = graded(tmp_path, REFERENCE + '\n\nif __name__ == "__main__":\n    print(train([1.0], [2.0], 0.5, 0.1, 2)\n')
    assert all(t.passed for t in found["tasks"].values())
    assert len(found["notes"]) == 1 and "'(' was never closed" in found["notes"][0]


def test_line_numbers_are_python_s_after_a_form_feed(tmp_path):
    text = ("\x0c\ndef forward(x, w)\n    return x * w\n\n\n"
            "def loss(x, y, w):\n    return (x * w - y) ** 2\n\n\ndef gradient(x, y, w):\n    return 1 / 0\n")
    found = graded(tmp_path, text)
    assert found["notes"][0].startswith("line 2: SyntaxError")
    assert "line 11, in gradient" in found["tasks"]["gradient"].feedback


def test_a_broken_notebook_cell_names_the_function_it_holds(tmp_path):
    import nbformat

    cells = [nbformat.v4.new_code_cell("def forward(x, w):\n    return x * w"),
             nbformat.v4.new_code_cell("def loss(x, y, w)\n    return (x * w - y) ** 2")]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), tmp_path / "lesson1_linear.ipynb")
    found = {t.task: t for t in grade_path(tmp_path / "lesson1_linear.ipynb").tasks}
    assert found["forward"].passed
    assert (found["loss"].summary, found["loss"].feedback.split(":")[0]) == ("syntax error", "Python could not read loss")
    assert "so the cell was skipped" in found["loss"].feedback


def test_readable_returns_the_statements_that_parse_and_the_names_each_broken_block_defines():
    statements, broken = readable("def a():\n    return 1\n\n@wrap\ndef b(:\n    pass\n\nclass C(\n", "f.py")
    assert [s.name for s in statements] == ["a"]
    assert [(exc.lineno, names) for exc, names in broken] == [(5, ["b"]), (8, ["C"])]


def test_the_cli_grades_the_rest_of_a_file_with_a_syntax_error():
    result = grade("check", str(ROOT / "tests" / "submissions" / "syntax_error"))
    assert "PASS  forward" in result.stdout and "[syntax error]" in result.stdout
    assert result.stdout.count("line 5: SyntaxError: expected ':'") == 1
