"""A course is a folder: ``course.toml`` names its lessons and the files of each; this module loads it.

The manifest::

    [course]
    name = "ml-basics"
    title = "Machine-learning basics"
    packages = ["numpy", "sympy"]          # what students' code may import
    load_timeout = 10                      # optional: seconds a file's top level may run (--load-timeout wins)

    [[lessons]]
    name = "lesson1_linear"                # the file students hand in: lesson1_linear.py or .ipynb
    number = 1
    title = "Find the w that minimises the loss"
    checks = "checks/lesson1_linear.py"    # the declaration: TASKS = (Task(...), ...), public cases only
    hidden = "checks/hidden/lesson1_linear.py"          # optional: CASES = {"task": (case(...), ...)}
    reference = "solutions/lesson1_linear.py"
    mistakes = "solutions/mistakes/lesson1_linear.py"   # optional: known wrong variants

    [[assignments]]
    name = "week-1"
    lessons = ["lesson1_linear"]
    due = 2026-12-07T23:59:00Z             # optional
    late = "10% off per day"               # optional, said in reports

A kit built for one assignment (``grade release --assignment``, ``grade
gradescope --assignment``) holds only its lessons and says so with
``assignment = "week-1"`` under ``[course]``: the course it loads is then
restricted to that assignment (see :meth:`Course.for_assignment`).

Paths are relative to the manifest.  Hidden cases are data of their own file,
never in the declaration: a release ships the declarations as they are and
leaves the hidden files out.  A course's own Python files import each
other by their package names (``from solutions.lesson1_linear import loss``):
they are found in the course folder only and kept by the course, so two courses
with a ``solutions`` package each never mix (see :func:`own_imports`).  Everything is checked when the course loads; a problem is
one :class:`CourseError` that names the lesson and what to fix.

A package can ship a course and name it in its ``gradekit.courses`` entry points
(``intro = "intro_course"``: the package's folder holds ``course.toml``).
:func:`find_course` picks the course of a command: ``--course PATH`` (or the
name of an installed course), else the nearest ``course.toml`` above the
current folder, else the built-in course (the repository's own manifest,
beside the ``grader`` package).
"""

from __future__ import annotations

import functools
import importlib
import importlib.abc
import importlib.machinery
import importlib.metadata
import importlib.util
import inspect
import json
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator, Sequence

from grader.checks import Case, Fn, Gradient, Lesson, Optimizer, Task, describe_call, selected

MANIFEST = "course.toml"
ALWAYS = ("numpy", "sympy")  # preloaded for every course
ANSWERS = "answers.json"  # beside a built kit's course.toml: the answers it carries instead of a reference
BUILTIN = Path(__file__).resolve().parent.parent


class CourseError(ValueError):
    """The course cannot be loaded; the message names the manifest, the lesson and what to fix."""


@dataclass(frozen=True)
class LessonFiles:
    """Where a lesson's files are, relative to the course folder (all but ``checks`` may be missing)."""

    checks: str
    reference: str | None = None
    mistakes: str | None = None
    hidden: str | None = None


@dataclass(frozen=True)
class Assignment:
    """Lessons graded together, with an optional due date and late policy (said in reports)."""

    name: str
    lessons: tuple[str, ...]
    due: str = ""
    late: str = ""

    def describe(self) -> str:
        """One paragraph for the batch summary and the release README: the lessons, due date and late policy."""
        said = [f"Assignment {self.name}: {', '.join(self.lessons)}."]
        said += [f"Due {self.due}."] if self.due else []
        said += [f"Late work: {self.late}."] if self.late else []
        if self.due or self.late:
            said.append("The kit does not enforce them: the LMS that collects the submissions does.")
        return " ".join(said)


@dataclass
class Course:
    """A loaded course: its lessons in order, the files behind them, and the modules it loaded (its own)."""

    root: Path
    name: str
    title: str
    lessons: dict[str, Lesson]
    files: dict[str, LessonFiles]
    packages: tuple[str, ...] = ALWAYS
    assignments: dict[str, Assignment] = field(default_factory=dict)
    assignment: Assignment | None = None  # the one assignment this course is restricted to, if any
    load_seconds: float | None = None  # [course] load_timeout: how long a file's top level may run (None: default)
    _modules: dict[str, ModuleType] = field(default_factory=dict, repr=False)

    @property
    def preload(self) -> tuple[str, ...]:
        """The packages students may import beyond those every fork server preloads (NumPy, SymPy)."""
        return tuple(p for p in self.packages if p not in ALWAYS)

    @property
    def by_number(self) -> dict[int, str]:
        """Lesson number → lesson name: how a student's file is matched to a lesson."""
        return {lesson.number: name for name, lesson in self.lessons.items()}

    def selected_tasks(self, names: Sequence[str] = ()) -> Iterator[tuple[Lesson, Task]]:
        """Every task that the ``-k`` patterns ``names`` select (all of them for none), in course order."""
        for lesson in self.lessons.values():
            for task in lesson.tasks:
                if selected(names, lesson, task):
                    yield lesson, task

    def for_assignment(self, name: str) -> Course:
        """This course restricted to assignment ``name``: only its lessons are graded, counted, released and
        bundled.  A name the course does not have is a :class:`CourseError` listing the ones it has."""
        if name not in self.assignments:
            have = ", ".join(self.assignments) or "none (add [[assignments]] to its course.toml)"
            raise CourseError(f"the course {self.name} has no assignment {name!r}; its assignments: {have}")
        chosen = self.assignments[name]
        return replace(self, lessons={n: self.lessons[n] for n in self.lessons if n in chosen.lessons},
                       files={n: self.files[n] for n in self.files if n in chosen.lessons},
                       assignments={name: chosen}, assignment=chosen)

    def path(self, relative: str) -> Path:
        """A file of the course."""
        return self.root / relative

    def parameters(self, lesson: str) -> dict[str, list[str]]:
        """The parameter names of each task's function (a class's constructor's), from the reference, or as a
        built kit stores them in its answers (it has no reference)."""
        reference = self.module(self.files[lesson].reference)
        if reference is None:
            return self._stored_parameters.get(lesson, {})
        found = {}
        for name, value in vars(reference).items():
            try:
                signature = inspect.signature(value.__init__ if inspect.isclass(value) else value)
            except (TypeError, ValueError):
                continue
            found[name] = [p for p in signature.parameters if p != "self"]
        return found

    @functools.cached_property
    def _stored_parameters(self) -> dict[str, dict[str, list[str]]]:
        """The parameter names a built kit's answers store, by lesson ({} without them), read once."""
        stored = self.root / ANSWERS
        return json.loads(stored.read_text(encoding="utf-8")).get("parameters", {}) if stored.is_file() else {}

    def module(self, relative: str | None) -> ModuleType | None:
        """The course's Python file ``relative`` (``solutions/lesson1_linear.py``) as a module, loaded once."""
        if relative is None or not self.path(relative).is_file():
            return None
        name = module_name(relative)
        if name not in self._modules:
            with own_imports(self.root, _tops(self.files.values()), self._modules):
                importlib.import_module(name)
        return self._modules[name]


def module_name(relative: str) -> str:
    """``solutions/lesson1_linear.py`` → ``solutions.lesson1_linear``."""
    return ".".join(Path(relative).with_suffix("").parts)


def _tops(files: Any) -> set[str]:
    """The top-level package names of a course's files (``solutions``, ``checks``)."""
    return {Path(p).parts[0].removesuffix(".py") for f in files
            for p in (f.checks, f.reference, f.mistakes, f.hidden) if p}


class _CourseFinder(importlib.abc.MetaPathFinder):
    """Finds the modules of a course's own packages in its folder, and nowhere else."""

    def __init__(self, root: Path, tops: set[str]) -> None:
        self.root, self.tops = root, tops

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        """The spec of ``name`` when it belongs to the course: a file, a package or a plain folder."""
        if name.split(".")[0] not in self.tops:
            return None
        where = self.root.joinpath(*name.split("."))
        if where.with_suffix(".py").is_file():
            return importlib.util.spec_from_file_location(name, where.with_suffix(".py"))
        if (where / "__init__.py").is_file():
            return importlib.util.spec_from_file_location(name, where / "__init__.py",
                                                          submodule_search_locations=[str(where)])
        if where.is_dir():  # a folder without __init__.py is still the course's package
            spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
            spec.submodule_search_locations = [str(where)]
            return spec
        return None


@contextmanager
def own_imports(root: Path, tops: set[str], kept: dict[str, ModuleType]) -> Iterator[None]:
    """Within the block, the packages ``tops`` import from ``root`` only and their modules are ``kept``'s.

    Whatever else of those names was imported (another course's ``solutions``)
    is put aside and back afterwards; what the block imports goes into ``kept``.
    """
    def ours(name: str) -> bool:
        return name.split(".")[0] in tops

    aside = {k: sys.modules.pop(k) for k in [k for k in sys.modules if ours(k)]}
    sys.modules.update(kept)
    finder = _CourseFinder(root, tops)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
        kept.update({k: sys.modules.pop(k) for k in [k for k in sys.modules if ours(k)]})
        sys.modules.update(aside)


def load_course(root: Path) -> Course:
    """Load and check the course in folder ``root`` (which holds ``course.toml``)."""
    manifest = root / MANIFEST
    data = read_manifest(manifest)
    about = data.get("course", {})
    if not isinstance(about, dict) or not isinstance(about.get("name"), str):
        raise CourseError(f"{manifest}: [course] needs a name = \"...\"")
    entries = data.get("lessons")
    if not isinstance(entries, list) or not entries:
        raise CourseError(f"{manifest}: no [[lessons]]: add one per lesson (grade new lesson NAME does it)")
    course = Course(root.resolve(), about["name"], str(about.get("title", about["name"])), {}, {},
                    _packages(manifest, about.get("packages", list(ALWAYS))),
                    load_seconds=_load_timeout(manifest, about.get("load_timeout")))
    for entry in entries:
        name, number, files = _lesson_entry(manifest, entry, course)
        course.files[name] = files
        course.lessons[name] = _lesson(course, name, number, str(entry.get("title", name)), files)
    course.assignments = _assignments(manifest, data.get("assignments", []), course)
    if "assignment" not in about:
        return course
    try:
        return course.for_assignment(str(about["assignment"]))
    except CourseError as exc:
        raise CourseError(f"{manifest}: [course] assignment: {exc}") from None


def read_manifest(manifest: Path) -> dict[str, Any]:
    """The manifest's contents; CourseError when it cannot be read or is not TOML."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(manifest.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CourseError(f"cannot read {manifest}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CourseError(f"{manifest} is not valid TOML: {exc}") from None


def _packages(manifest: Path, names: Any) -> tuple[str, ...]:
    """The packages students may import: Python names, each installed here (the sandbox preloads them)."""
    if not isinstance(names, list) or not all(isinstance(n, str) and n.isidentifier() for n in names):
        raise CourseError(f"{manifest}: packages must be a list of importable names, e.g. [\"numpy\", \"sympy\"]")
    missing = [n for n in names if importlib.util.find_spec(n) is None]
    if missing:
        raise CourseError(f"{manifest}: the course's packages {', '.join(missing)} are not installed here: "
                          f"pip install {' '.join(missing)}")
    return tuple(names)


def _load_timeout(manifest: Path, value: Any) -> float | None:
    """[course] load_timeout, checked: a positive number of seconds (None when the course sets none)."""
    if value is None:
        return None
    if type(value) not in (int, float) or not value > 0:
        raise CourseError(f"{manifest}: [course] load_timeout must be a positive number of seconds, e.g. 10")
    return float(value)


def _lesson_entry(manifest: Path, entry: Any, course: Course) -> tuple[str, int, LessonFiles]:
    """A [[lessons]] entry, checked: its name, number and files."""
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].isidentifier():
        raise CourseError(f"{manifest}: every [[lessons]] needs a name that is a Python name (lesson1_linear)")
    name = entry["name"]
    where = f"{manifest}, lesson {name}"
    number = entry.get("number")
    if type(number) is not int or number < 0:
        raise CourseError(f"{where}: number must be a whole number (the N of lessonN in students' file names)")
    if name in course.lessons:
        raise CourseError(f"{where}: the name is used by two lessons")
    if number in course.by_number:
        raise CourseError(f"{where}: number {number} is also {course.by_number[number]}'s; file names would clash")
    paths = {key: entry.get(key) for key in ("checks", "reference", "mistakes", "hidden")}
    for key, value in paths.items():
        if value is not None and not (isinstance(value, str) and (course.root / value).is_file()):
            raise CourseError(f"{where}: {key} = {value!r} is not a file of the course")
    if paths["checks"] is None:
        raise CourseError(f"{where}: checks = \"checks/{name}.py\" is missing (the declaration of its tasks)")
    return name, number, LessonFiles(paths["checks"], paths["reference"], paths["mistakes"], paths["hidden"])


def _lesson(course: Course, name: str, number: int, title: str, files: LessonFiles) -> Lesson:
    """The lesson declared in ``files.checks``, checked against the reference and the mistake variants."""
    where = f"lesson {name} ({files.checks})"
    try:
        module = course.module(files.checks)
    except Exception as exc:  # noqa: BLE001 - the instructor's declaration: say what broke, where
        raise CourseError(f"{where} cannot be loaded: {type(exc).__name__}: {exc}") from None
    tasks = getattr(module, "TASKS", None)
    if not isinstance(tasks, tuple) or not tasks or not all(isinstance(t, Task) for t in tasks):
        raise CourseError(f"{where}: it must define TASKS = (Task(...), ...), a tuple of the lesson's tasks")
    loose = [t.name for t in tasks if not isinstance(t.cases, tuple) or not all(isinstance(c, Case) for c in t.cases)]
    if loose:
        raise CourseError(f"{where}, task {loose[0]}: its cases must be a tuple of case(...) "
                          "(one case alone needs a comma after it)")
    inline = [t.name for t in tasks if any(c.hidden for c in t.cases)]
    if inline:
        raise CourseError(f"{where}, task {inline[0]}: a hidden case is declared in the checks file, which "
                          f"students get; move it to the lesson's hidden file (hidden = \"checks/hidden/{name}.py\")")
    lesson = Lesson(name, number, title, _with_hidden(course, tasks, files.hidden, name))
    _check_declaration(course, lesson, files, where)
    return _bound(lesson, course.parameters(name), where)


def _bound(lesson: Lesson, parameters: dict[str, list[str]], where: str) -> Lesson:
    """The lesson with each task's arguments named in its declaration (a layout's ``data="xs"``) turned into
    positions of the task's function."""
    tasks = []
    for task in lesson.tasks:
        bind = getattr(task.kind, "bind", None)
        if bind is not None:
            try:
                task = replace(task, kind=bind(parameters.get(task.name, [])))
            except ValueError as exc:
                raise CourseError(f"{where}, task {task.name}: {exc}") from None
        tasks.append(task)
    return replace(lesson, tasks=tuple(tasks))


def _with_hidden(course: Course, tasks: tuple[Task, ...], hidden: str | None, name: str) -> tuple[Task, ...]:
    """The tasks with the hidden cases of the lesson's hidden file (``CASES``) after their public ones."""
    if hidden is None:
        return tasks
    where = f"lesson {name} ({hidden})"
    try:
        cases = getattr(course.module(hidden), "CASES", None)
    except Exception as exc:  # noqa: BLE001 - the instructor's file: say what broke, where
        raise CourseError(f"{where} cannot be loaded: {type(exc).__name__}: {exc}") from None
    if not isinstance(cases, dict):
        raise CourseError(f"{where}: it must define CASES = {{\"task\": (case(...), ...)}}")
    unknown = sorted(set(cases) - {t.name for t in tasks})
    if unknown:
        raise CourseError(f"{where}: CASES names {', '.join(map(str, unknown))}, which the lesson does not have")
    merged = []
    for task in tasks:
        extra = cases.get(task.name, ())
        if not isinstance(extra, tuple) or not all(isinstance(c, Case) for c in extra):
            raise CourseError(f"{where}, task {task.name}: give a tuple of case(...)")
        merged.append(replace(task, cases=task.cases + tuple(replace(c, hidden=True) for c in extra)))
    return tuple(merged)


def _check_declaration(course: Course, lesson: Lesson, files: LessonFiles, where: str) -> None:
    """Names that a declaration refers to must exist: tasks in the reference, variants among the mistakes,
    the helpers handed to student code (``Fn``) among :mod:`grader.runner.callables` with their parameters."""
    names = [t.name for t in lesson.tasks]
    if len(set(names)) != len(names):
        raise CourseError(f"{where}: two tasks are called {next(n for n in names if names.count(n) > 1)}")
    for task in lesson.tasks:
        problem = _credit_problem(task) or _uses_problem(task, names)
        if problem:
            raise CourseError(f"{where}, task {task.name}: {problem}")
        for helper in (a for c in task.cases for a in (*c.args, *c.kwargs.values()) if isinstance(a, Fn)):
            problem = _helper_problem(helper)
            if problem:
                raise CourseError(f"{where}, task {task.name}: {problem}")
    if files.reference is None:  # a built kit: its answers are stored, its variants' values too
        return
    reference = course.module(files.reference)
    wrong = course.module(files.mistakes)
    for task in lesson.tasks:
        if not hasattr(reference, task.name):
            raise CourseError(f"{where}, task {task.name}: {files.reference} defines no {task.name}")
        misfit = _misfit(getattr(reference, task.name), task, files)
        if task.uses and not inspect.isfunction(getattr(reference, task.name)):
            misfit = f"uses needs {task.name} to be a function of {files.reference} (its calls are followed)"
        if isinstance(task.kind, Gradient):
            loss = getattr(reference, task.kind.loss, None)
            misfit = misfit or (_misfit(loss, task, files) if callable(loss) else
                                f"its loss {task.kind.loss} is not a function of {files.reference}")
        if misfit:
            raise CourseError(f"{where}, task {task.name}: {misfit}")
        for mistake in task.mistakes:
            if mistake.variant and (wrong is None or not callable(getattr(wrong, mistake.variant, None))):
                raise CourseError(f"{where}, task {task.name}: the mistake {mistake.id!r} names the variant "
                                  f"{mistake.variant}, which {files.mistakes or 'the lesson (no mistakes file)'} "
                                  "does not define")


def _credit_problem(task: Task) -> str | None:
    """Why ``task.credit`` is not ``"all"``, ``"per_case"`` or one non-negative weight per case, else None."""
    credit = task.credit
    if credit in ("all", "per_case"):
        return None
    if not isinstance(credit, tuple) or not all(isinstance(w, (int, float)) and w >= 0 for w in credit):
        return f"credit must be \"all\", \"per_case\" or a tuple of weights, not {credit!r}"
    if len(credit) != len(task.cases) or not sum(credit):
        return (f"credit gives {len(credit)} weights for {len(task.cases)} cases (public, then hidden); "
                "give one per case, not all 0")
    return None


def _uses_problem(task: Task, names: Sequence[str]) -> str | None:
    """Why ``task.uses`` and ``task.follow_through`` cannot be followed through, else None."""
    if not isinstance(task.uses, tuple) or any(n not in names or n == task.name for n in task.uses):
        return f"uses must be a tuple of the lesson's other tasks ({', '.join(names)}), not {task.uses!r}"
    if not isinstance(task.follow_through, (int, float)) or not 0 <= task.follow_through <= 1:
        return f"follow_through must be the share of the points a follow-through earns, 0 to 1, not {task.follow_through!r}"
    if task.uses and task.per_case:
        return "uses (follow-through) needs credit = \"all\": a task is graded again as a whole"
    return None


def _helper_problem(helper: Fn) -> str | None:
    """Why ``Fn(name, params)`` cannot be built in the child, else None."""
    from grader.runner.callables import TABLE

    if helper.name not in TABLE:
        return f"Fn({helper.name!r}) names no helper; there are {', '.join(sorted(TABLE))}"
    try:
        inspect.signature(TABLE[helper.name]).bind(**helper.params)
    except TypeError as exc:
        return f"Fn({helper.name!r}, {dict(helper.params)}) does not fit {helper.name}: {exc}"
    return None


def _misfit(function: Any, task: Task, files: LessonFiles) -> str | None:
    """How a case of ``task`` does not fit the signature of the reference's ``function`` (for the kinds whose
    case is a call of it, its arguments the case's), else None."""
    if isinstance(task.kind, Optimizer):  # its case holds the instances and their step() calls
        return None
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):  # no signature to read (a builtin's): the call itself will say
        return None
    for c in task.cases:
        try:
            signature.bind(*c.args, **c.kwargs)
        except TypeError as exc:
            return (f"the case {describe_call(task.name, replace(c, hidden=False))} in "
                    f"{files.hidden if c.hidden else files.checks} does not fit "
                    f"{getattr(function, '__name__', task.name)}({', '.join(signature.parameters)}) of "
                    f"{files.reference}: {exc}")
    return None


def _assignments(manifest: Path, entries: Any, course: Course) -> dict[str, Assignment]:
    found: dict[str, Assignment] = {}
    for entry in entries if isinstance(entries, list) else ():
        name, lessons = entry.get("name"), entry.get("lessons")
        if not isinstance(name, str) or not isinstance(lessons, list) or not lessons:
            raise CourseError(f"{manifest}: every [[assignments]] needs a name and a list of lessons")
        unknown = [n for n in lessons if n not in course.lessons]
        if unknown:
            raise CourseError(f"{manifest}, assignment {name}: no lesson called {', '.join(map(str, unknown))}")
        found[name] = Assignment(name, tuple(lessons), str(entry.get("due", "")), str(entry.get("late", "")))
    return found


def find_course(course: Path | None = None, start: Path | None = None) -> Course:
    """The course of a command: ``course`` (a folder or its manifest), else the nearest manifest above
    ``start`` (default: the current folder), else the built-in course."""
    folder = course_folder(course, start)
    return builtin() if folder is None else _course_at(folder)


def course_folder(course: Path | None = None, start: Path | None = None) -> Path | None:
    """The folder of ``course`` (a folder or its manifest), else of the nearest manifest above ``start``
    (default: the current folder); None when there is none."""
    if course is not None:
        folder = course.parent if course.name == MANIFEST else course
        if not folder.exists() and len(course.parts) == 1:  # a name, not a path: an installed course
            folder = installed(course.name)
        if not (folder / MANIFEST).is_file():
            raise CourseError(f"{course} holds no {MANIFEST}: start a course with grade init {course}")
        return folder.resolve()
    here = (start or Path.cwd()).resolve()
    return next((folder for folder in (here, *here.parents) if (folder / MANIFEST).is_file()), None)


ENTRY_POINTS = "gradekit.courses"  # an installed package names its course: NAME = "package" (the folder of course.toml)


def installed(name: str) -> Path:
    """The folder of the course an installed package names ``name`` in the ``gradekit.courses`` entry points."""
    found = [e for e in importlib.metadata.entry_points(group=ENTRY_POINTS) if e.name == name]
    if not found:
        known = ", ".join(sorted(e.name for e in importlib.metadata.entry_points(group=ENTRY_POINTS))) or "none"
        raise CourseError(f"{name} is neither a course folder nor an installed course (installed: {known})")
    module = found[0].load()
    return Path(module.__file__ or "").resolve().parent


def _course_at(folder: Path) -> Course:
    """The course in ``folder``: loaded now (an instructor may have just changed it), the built-in one once."""
    return builtin() if folder == BUILTIN else load_course(folder)


@functools.lru_cache(maxsize=1)
def builtin() -> Course:
    """The course this kit ships, loaded once per process: the lessons of the course contract."""
    return load_course(BUILTIN)
