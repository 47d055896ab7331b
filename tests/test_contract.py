"""Every task keeps the exact name and signature of the course contract (../shared/CURRICULUM.md)."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import re

import pytest

from conftest import ROOT
from grader.courses import builtin

LESSONS = builtin().lessons

CURRICULUM = ROOT.parent / "shared" / "CURRICULUM.md"
_LESSON = re.compile(r"^## Lesson \d+ — `(\w+)`")
_ROW = re.compile(r"^\| (\w+) \| `(\w+)\((.*?)\)` \|")


def contract() -> dict[str, dict[str, str]]:
    """lesson → task → the signature text of the contract, e.g. ``Adam`` → ``lr=0.001, betas=(0.9, 0.999), eps=1e-8``."""
    lessons: dict[str, dict[str, str]] = {}
    current = None
    for line in CURRICULUM.read_text(encoding="utf-8").splitlines():
        if match := _LESSON.match(line):
            current = lessons.setdefault(match.group(1), {})
        elif (match := _ROW.match(line)) and current is not None:
            current[match.group(1)] = match.group(3)
    return lessons


NO_DEFAULT = object()


def parameters(obj: object) -> list[tuple[str, object]]:
    """(name, default) of each parameter of a function, or of a class's __init__ without self."""
    target = obj.__init__ if inspect.isclass(obj) else obj
    params = [p for p in inspect.signature(target).parameters.values() if p.name != "self"]
    return [(p.name, NO_DEFAULT if p.default is inspect.Parameter.empty else p.default) for p in params]


def contract_parameters(text: str) -> list[tuple[str, object]]:
    """(name, default) of each parameter written in the contract, defaults read as literals."""
    args = ast.parse(f"def f({text}): pass").body[0].args
    defaults = [NO_DEFAULT] * (len(args.args) - len(args.defaults)) + [ast.literal_eval(d) for d in args.defaults]
    return [(a.arg, d) for a, d in zip(args.args, defaults)]


pytestmark = pytest.mark.skipif(not CURRICULUM.is_file(), reason="../shared/CURRICULUM.md is not beside the repo")


def contract_lessons() -> list[str]:
    """The lessons of the contract, in its order."""
    return list(contract() if CURRICULUM.is_file() else {})


def test_the_contract_has_seven_lessons_and_43_tasks_and_the_kit_all_of_them():
    tasks = contract()
    assert len(tasks) == 7
    assert sum(len(t) for t in tasks.values()) == 43
    assert list(tasks) == list(LESSONS)


@pytest.mark.parametrize("folder", ["solutions", "exercises"])
@pytest.mark.parametrize("lesson", contract_lessons())
def test_every_task_has_the_contracts_name_and_signature(folder, lesson):
    module = importlib.import_module(f"{folder}.{lesson}") if folder == "solutions" else _load(lesson)
    for name, wanted in contract()[lesson].items():
        assert hasattr(module, name), f"{folder}/{lesson}.py has no {name}"
        assert parameters(getattr(module, name)) == contract_parameters(wanted), (lesson, name)


@pytest.mark.parametrize("lesson", contract_lessons())
def test_every_contract_task_is_graded_and_nothing_else(lesson):
    assert lesson in LESSONS, f"the kit has no checks for {lesson}"
    assert [t.name for t in LESSONS[lesson].tasks] == list(contract()[lesson]), lesson


def _load(lesson: str):
    spec = importlib.util.spec_from_file_location(f"stub_{lesson}", ROOT / "exercises" / f"{lesson}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
