"""Removing hidden checks from course modules: what goes, what stays, and failing closed."""

from __future__ import annotations

import ast

import pytest

from grader.courses import builtin
from grader.workflows.release import strip_course
from grader.workflows.strip import StripError, strip_hidden

LESSONS = builtin().lessons

SOURCE = '''"""A lesson."""
from grader.checks import case

SECRET = [9.75, 8.5]  # only a hidden case uses it
SHARED = 1.0


def helper(name, public, hidden):
    return (name, public, hidden)


TABLE = (
    case(1.0, SHARED), case(SECRET, hidden=True),  # public, then hidden
    case(2.0,
         hidden=True),
    case(3.0, hidden=False),
)
A = helper("a", [1], [2, 3])
B = helper("b", [1], hidden=[4, 5])
'''


def test_hidden_calls_data_and_their_inputs_go_public_ones_stay():
    text = strip_hidden(SOURCE)
    tree = ast.parse(text)
    assert "9.75" not in text and "SECRET" not in text and "2.0" not in text
    assert "[2, 3]" not in text and "[4, 5]" not in text
    assert 'helper("a", [1], [])' in text and 'helper("b", [1], hidden=[])' in text
    assert "    case(1.0, SHARED), # public, then hidden\n" in text  # layout and comments kept
    assert "case(3.0, hidden=False)" in text and "SHARED = 1.0" in text
    table = next(n.value for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "TABLE")
    assert isinstance(table, ast.Tuple) and len(table.elts) == 2


@pytest.mark.parametrize("source, why", [
    ("from grader.checks import case\nONE = case(1.0, hidden=True)\n", "outside a tuple or list"),
    ("def f(public, hidden):\n    return hidden\nX = f([1], make())\n", "must be a literal"),
])
def test_hidden_data_that_cannot_be_removed_safely_fails_the_build(source, why):
    with pytest.raises(StripError, match=why):
        strip_hidden(source)


def test_stripped_course_keeps_every_public_case_and_no_hidden_one():
    texts, lessons = strip_course(builtin())  # raises when a stripped lesson's public cases differ from the original's
    assert [lesson.name for lesson in lessons] == list(LESSONS)
    for lesson in lessons:
        assert "hidden=True" not in texts[lesson.name]
        assert sum(len(t.cases) for t in lesson.tasks) == sum(
            not c.hidden for t in LESSONS[lesson.name].tasks for c in t.cases)
