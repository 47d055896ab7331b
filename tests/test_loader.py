"""Reading submissions: lesson names, notebooks, magics, broken files."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from grader.courses import builtin
from grader.loader import NoLessonsFound, discover, lesson_of, read_lesson, strip_magics

BY_NUMBER = builtin().by_number


@pytest.mark.parametrize("name, lesson", [
    ("lesson1_linear.py", "lesson1_linear"),
    ("lesson1_linear (2).ipynb", "lesson1_linear"),
    ("Lesson1-Linear.IPYNB", "lesson1_linear"),
    ("lesson9_unknown.py", None),
    ("lesson1_linear.txt", None),
    ("notes.py", None),
])
def test_lesson_of_file_name(name, lesson):
    assert lesson_of(Path(name), BY_NUMBER) == lesson


@pytest.mark.parametrize("name, lesson", [
    ("warmup.py", "warmup"), ("warmup (2).ipynb", "warmup"), ("alice_Warmup-v2.py", "warmup"),
    ("warmups.py", None), ("lesson1.py", "lesson1_line"), ("lesson1_line_old.py", "lesson1_line"),
])
def test_a_lesson_is_found_by_its_name_as_well_as_its_number(name, lesson):
    assert lesson_of(Path(name), {0: "warmup", 1: "lesson1_line"}) == lesson


def test_magics_and_shell_escapes_become_pass_and_keep_line_numbers():
    text, count = strip_magics("%matplotlib inline\nif True:\n  !ls -l\nnp.mean?\ny = 2")
    assert count == 3
    lines = text.splitlines()
    assert lines[1] == "if True:" and lines[4] == "y = 2"
    assert lines[2].startswith("  pass")
    compile(text, "cell", "exec")


def test_cell_magic_comments_out_the_whole_cell():
    text, count = strip_magics("%%bash\necho hi\nls")
    assert count == 1 and all(line.startswith("#") for line in text.splitlines())


def test_notebook_cells_are_numbered_as_the_student_sees_them(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# title"), nbformat.v4.new_code_cell("x = 1")]
    path = tmp_path / "lesson1_linear.ipynb"
    nbformat.write(nb, path)
    source = read_lesson("lesson1_linear", path)
    assert [c.label for c in source.cells] == ["cell 2"]


@pytest.mark.parametrize("data, message", [
    (b"\xff\xfe\x00\x00binary", "is not a text file"),
    (b"x = '\xe9'\n", "is not UTF-8 text"),
])
def test_unreadable_files_carry_a_problem(tmp_path, data, message):
    path = tmp_path / "lesson1_linear.py"
    path.write_bytes(data)
    assert message in read_lesson("lesson1_linear", path).problem


def test_notebook_that_is_valid_json_but_not_a_notebook(tmp_path):
    path = tmp_path / "lesson1_linear.ipynb"
    path.write_text('{"hello": 1}')
    assert "is not a valid notebook" in read_lesson("lesson1_linear", path).problem


def test_newest_of_two_files_for_one_lesson_is_graded(tmp_path):
    old, new = tmp_path / "lesson1_linear.py", tmp_path / "lesson1_linear.ipynb"
    old.write_text("")
    new.write_text("")
    os.utime(old, (1_000_000, 1_000_000))
    files, notes = discover(tmp_path, BY_NUMBER)
    assert files == {"lesson1_linear": new}
    assert "graded lesson1_linear.ipynb (the newest)" in notes[0]


def test_folder_without_lessons(tmp_path):
    with pytest.raises(NoLessonsFound):
        discover(tmp_path, BY_NUMBER)
