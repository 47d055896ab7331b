"""The lesson files that ``grade course test`` makes and grades as if students had handed them in.

* :func:`variant_file`: the reference, with some tasks replaced by mistake variants;
* :func:`hard_coded_file`: a submission that returns the stored answer of each public case and knows
  nothing else.

They run in the child like any student's file, and the child can read no file of
the course (the sandbox shows it none), so a file carries what it needs as text.
A variant is not copied into the file by its source: many variants are made, not
written (``rebind(train, step=step_sequential)``, ``sharing_state(Momentum, ...)``,
a subclass calling ``super()``), and one renamed to its task would call itself
where it calls the reference's function of the same name.  Instead the file
carries the text of the course's reference and mistakes modules with a small
importer (:class:`CourseSources`) and imports each task from them, so a variant
runs exactly as :class:`grader.reference.Reference` runs it to reproduce the mistake.

The code between the files and the grader (:class:`CourseSources`, :func:`plain`,
:func:`answer_key`, :class:`HardCoded`) is written once, here, and copied into
the files by its source: the grader and the child compute the same keys.  The
stored answers cross as :mod:`grader.wire` data, which the child's own copy of
that module (imported before any student code runs) decodes.
"""

from __future__ import annotations

import inspect
import json
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Mapping, Sequence

from grader import wire
from grader.checks import Lesson, Task
from grader.courses import Course, module_name
from grader.grading import public_cases
from grader.reference import Reference


class CourseSources:
    """Imports the course modules whose text the file carries (module name → text), ``packages`` among them."""

    def __init__(self, sources: dict[str, str], packages: list[str]) -> None:
        self.sources, self.packages = sources, packages

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        """A spec for a module of the course, else None (any other import goes on as usual)."""
        import importlib.util

        if name not in self.sources:
            return None
        return importlib.util.spec_from_loader(name, self, is_package=name in self.packages)

    def create_module(self, spec: ModuleSpec) -> None:
        """None: Python makes the module as usual."""

    def exec_module(self, module: ModuleType) -> None:
        """Run the module's text in it."""
        code = compile(self.sources[module.__name__], f"<course {module.__name__}>", "exec", dont_inherit=True)
        exec(code, module.__dict__)


def plain(value: Any) -> Any:
    """``value`` as plain data, alike in the grader and in the child: numbers as floats, arrays and tuples as
    lists, and a function or object that the grader hands to the student's code as ``"?"``."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if hasattr(value, "tolist"):  # a NumPy array or scalar
        return plain(value.tolist())
    return "?"


def answer_key(owner: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> str:
    """The key of a call's stored answer: what is called (a task, or ``<key>.<method>`` of an object that the
    call ``<key>`` returned) and with what."""
    return json.dumps([owner, plain(list(args)), plain(dict(kwargs))], sort_keys=True)


class HardCoded:
    """Answers each call from ``answers`` (key → value); returns an object of its own for a call in ``objects``
    (whose methods answer the same way), and 0.0 for any call it has no answer for."""

    def __init__(self, answers: dict[str, Any], objects: list[str], owner: str) -> None:
        self.answers, self.objects, self.owner = answers, objects, owner

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        key = answer_key(self.owner, args, kwargs)
        if key in self.objects:
            return HardCoded(self.answers, self.objects, key)
        return self.answers.get(key, 0.0)

    def __getattr__(self, method: str) -> HardCoded:
        if method.startswith("_"):
            raise AttributeError(method)
        return HardCoded(self.answers, self.objects, f"{self.owner}.{method}")


def _shipped(*code: type | Callable[..., Any]) -> str:
    """The source of ``code``, to be copied into a file: every file made here starts with
    ``from __future__ import annotations``, so the annotations need no import there."""
    return "\n\n".join(inspect.getsource(c) for c in code)


def course_sources(course: Course) -> tuple[dict[str, str], list[str]]:
    """The text of every module in the folders of the course's reference and mistakes files, by module name,
    and the names among them that are packages (a folder without ``__init__.py`` included)."""
    tops = sorted({Path(p).parts[0] for f in course.files.values() for p in (f.reference, f.mistakes) if p})
    sources: dict[str, str] = {}
    packages: set[str] = set()
    for top in tops:
        folder = course.path(top)
        for path in sorted(folder.rglob("*.py")) if folder.is_dir() else [folder]:
            parts = path.relative_to(course.root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
                packages.add(".".join(parts))
            sources[".".join(parts)] = path.read_text(encoding="utf-8")
            packages.update(".".join(parts[:i]) for i in range(1, len(parts)))
    for package in packages:
        sources.setdefault(package, "")
    return sources, sorted(packages)


def variant_file(course: Course, lesson: str, variants: Mapping[str, str]) -> str:
    """The file of ``lesson`` whose tasks are the reference's, but those of ``variants`` (task → variant),
    which are the variants of the lesson's mistakes module."""
    files = course.files[lesson]
    assert files.reference and files.mistakes, "a variant file is made from the reference and the mistakes"
    reference, mistakes = module_name(files.reference), module_name(files.mistakes)
    sources, packages = course_sources(course)
    own = [t.name for t in course.lessons[lesson].tasks if t.name not in variants]
    lines = [f'"""{lesson}: the reference with mistake variants, made by grade course test."""',
             "from __future__ import annotations", "import sys", _shipped(CourseSources),
             f"sys.meta_path.insert(0, CourseSources({sources!r}, {packages!r}))"]
    lines += [f"from {reference} import {', '.join(own)}"] if own else []
    lines += [f"from {mistakes} import {variant} as {task}" for task, variant in variants.items()]
    return "\n\n".join(lines) + "\n"


def hard_coded_file(lesson: Lesson, tasks: Sequence[Task], reference: Reference) -> str:
    """A file of ``lesson`` whose ``tasks`` return the reference's answer to each of their public cases, looked
    up by the call's arguments, and 0.0 to anything else (objects that a call returns answer their methods
    the same way)."""
    answers: dict[str, Any] = {}
    objects: list[str] = []
    names: set[str] = set()
    for task in tasks:
        for index in public_cases(task):
            keys: list[str] = []
            steps = task.kind.steps(task.name, task.cases[index])
            for step, value in zip(steps, reference.expected(lesson, task, index)):
                owner = step["call"] if "call" in step else f"{keys[step['on']]}.{step['method']}"
                keys.append(answer_key(owner, [_as_child_sees(a) for a in step.get("args", [])],
                                       {k: _as_child_sees(v) for k, v in step.get("kwargs", {}).items()}))
                if isinstance(value, wire.Opaque):  # an object (an optimizer): its methods are looked up in turn
                    objects.append(keys[-1])
                else:
                    answers[keys[-1]] = value
            names.update(step["call"] for step in steps if "call" in step)
    lines = [f'"""{lesson.name}: the public cases\' answers, hard-coded, made by grade course test."""',
             "from __future__ import annotations", "import json", "from grader import wire",
             _shipped(plain, answer_key, HardCoded),
             f"ANSWERS = wire.decode({wire.encode(answers)!r})", f"OBJECTS = {objects!r}"]
    lines += [f"{name} = HardCoded(ANSWERS, OBJECTS, {name!r})" for name in sorted(names)]
    return "\n\n".join(lines) + "\n"


def _as_child_sees(argument: Any) -> Any:
    """A step's argument as the child's code gets it: plain data decoded, a function or object built
    (``plain`` makes it ``"?"``)."""
    if isinstance(argument, dict) and ("$fn" in argument or "$step" in argument):
        return "?"
    return wire.decode(argument)
