"""Grade the same lesson-1 notebooks with the kit, nbgrader and otter-grader, and time each.

The work is lesson 1 as notebooks (one code cell: the student's file), for a
class mixing right answers and the fixture mistakes of ``tests/submissions/``
(no hanging one: each tool would spend its time limit on it).  nbgrader and
otter get the checks an instructor would write for them: the kit's public cases
of lesson 1 as asserts (numbers within the kit's tolerance, the derivative by
``sympy.simplify``), with the expected values taken from the kit's reference.
They have no hidden cases, no trace diagnosis and no isolation: the ratio
flatters them.  nbgrader runs ``nbgrader autograde`` (a Jupyter kernel per
notebook); otter runs ``otter run`` per notebook (it has no batch mode without
Docker).  ``python`` is an interpreter with nbgrader, otter-grader and ipykernel
installed (the ``bench`` extra, or an environment of its own).
"""

from __future__ import annotations

import os
import subprocess
import textwrap
import time
from pathlib import Path
from typing import Any

import nbformat

from grader.checks import Derivative, History, Lesson
from grader.courses import builtin
from grader.reference import Reference

ROOT = Path(__file__).resolve().parents[1]
LESSON = "lesson1_linear"
STUDENTS = ("solutions", "wrong_sign_gradient", "loss_before_update", "string_answers", "sympy_answers",
            "raises_in_gradient")


def student_sources(count: int) -> list[str]:
    """The lesson-1 files of ``count`` students, taking the kinds of :data:`STUDENTS` in turn."""
    files = [ROOT / "solutions" / f"{LESSON}.py" if name == "solutions" else
             ROOT / "tests" / "submissions" / name / f"{LESSON}.py" for name in STUDENTS]
    return [files[k % len(files)].read_text(encoding="utf-8") for k in range(count)]


def checks(lesson: Lesson, reference: Reference) -> list[tuple[str, int, str]]:
    """(task, points, test code) for each task: its public cases as asserts, as an instructor writes them."""
    out = []
    for task in lesson.tasks:
        lines = ["import math, sympy"]
        for index, case in enumerate(task.cases):
            if case.hidden:
                continue
            if isinstance(task.kind, Derivative):
                names = " ".join(s.name for s in task.kind.symbols)
                right = reference.expected(lesson, task, index)[0]
                lines += [f"{', '.join(names.split())} = sympy.symbols({names!r})",
                          f"assert sympy.simplify(sympy.sympify(str({task.name}())) - ({right})) == 0"]
                continue
            expected = reference.expected(lesson, task, index)[0]
            call = f"{task.name}({', '.join(repr(a) for a in case.args)})"
            if isinstance(task.kind, History):
                lines += [f"got, want = {call}, {expected!r}",
                          "assert len(got) == len(want)",
                          "assert all(math.isclose(g[k], e[k], rel_tol=1e-6, abs_tol=1e-9) "
                          "for g, e in zip(got, want) for k in e)"]
            else:
                lines.append(f"assert math.isclose({call}, {expected!r}, rel_tol=1e-6, abs_tol=1e-9)")
        out.append((task.name, int(task.points), "\n".join(lines)))
    return out


def _notebook(code: str) -> Any:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)],
                                    metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                             "language": "python"}})


def run_kit(python: str, sources: list[str], work: Path) -> float:
    """Seconds for ``grade batch`` on the class as notebooks."""
    for k, source in enumerate(sources):
        folder = work / "kit" / f"s{k:04d}"
        folder.mkdir(parents=True)
        nbformat.write(_notebook(source), folder / f"{LESSON}.ipynb")
    start = time.perf_counter()
    subprocess.run([python, "-m", "grader", "batch", str(work / "kit"), "--out", str(work / "kit-out"), "--quiet",
                    "-k", LESSON], check=True, capture_output=True)
    return time.perf_counter() - start


def _env(python: str) -> dict[str, str]:
    """The environment with ``python``'s scripts first on PATH (nbgrader starts ``alembic`` and a kernel)."""
    return {**os.environ, "PATH": f"{Path(python).parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def run_nbgrader(python: str, sources: list[str], tests: list[tuple[str, int, str]], work: Path) -> float:
    """Seconds for ``nbgrader autograde`` on the class (the assignment is generated beforehand, not timed)."""
    course = work / "nbgrader"
    (course / "source" / "lesson1").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(textwrap.dedent(f"""\
        c = get_config()
        c.CourseDirectory.root = {str(course)!r}
        c.CourseDirectory.course_id = "bench"
        c.ExecutePreprocessor.timeout = 30
        """))
    stub = (ROOT / "exercises" / f"{LESSON}.py").read_text(encoding="utf-8")
    cells = [nbformat.v4.new_code_cell(stub, metadata={"nbgrader": {
        "grade": False, "solution": True, "locked": False, "grade_id": "answer", "schema_version": 3}})]
    cells += [nbformat.v4.new_code_cell(code, metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": True, "points": points, "grade_id": f"test_{name}",
        "schema_version": 3}}) for name, points, code in tests]
    source = _notebook("")
    source.cells = cells
    nbformat.write(source, course / "source" / "lesson1" / f"{LESSON}.ipynb")
    nbgrader = [python, "-m", "nbgrader"]
    subprocess.run([*nbgrader, "generate_assignment", "lesson1", "--force"], cwd=course, check=True,
                   capture_output=True, env=_env(python))
    released = nbformat.read(course / "release" / "lesson1" / f"{LESSON}.ipynb", as_version=4)
    for k, code in enumerate(sources):
        released.cells[0].source = code
        folder = course / "submitted" / f"s{k:04d}" / "lesson1"
        folder.mkdir(parents=True)
        nbformat.write(released, folder / f"{LESSON}.ipynb")
    start = time.perf_counter()
    subprocess.run([*nbgrader, "autograde", "lesson1", "--create"], cwd=course, check=True, capture_output=True,
                   env=_env(python))
    seconds = time.perf_counter() - start
    graded = list((course / "autograded").glob(f"*/lesson1/{LESSON}.ipynb"))
    if len(graded) != len(sources):
        raise RuntimeError(f"nbgrader graded {len(graded)} of {len(sources)} notebooks")
    return seconds


def run_otter(python: str, sources: list[str], tests: list[tuple[str, int, str]], work: Path) -> float:
    """Seconds for ``otter run`` on each notebook in turn (the autograder zip is built beforehand, not timed)."""
    folder = work / "otter"
    (folder / "tests").mkdir(parents=True)
    for name, points, code in tests:
        doctest = "\n".join(">>> " + line for line in code.splitlines())
        test = {"name": name, "points": points, "suites": [{
            "cases": [{"code": doctest, "hidden": False, "locked": False}],
            "scored": True, "setup": "", "teardown": "", "type": "doctest"}]}
        (folder / "tests" / f"{name}.py").write_text(f"OK_FORMAT = True\ntest = {test!r}\n")
    subprocess.run([python, "-m", "otter", "generate", "-t", "tests", "-o", "autograder.zip", "--no-config",
                    "--no-requirements", "--no-environment"], cwd=folder, check=True, capture_output=True,
                   env=_env(python))
    for k, code in enumerate(sources):
        nbformat.write(_notebook(code), folder / f"s{k:04d}.ipynb")
    start = time.perf_counter()
    for k in range(len(sources)):
        out = folder / f"out{k:04d}"
        out.mkdir()
        subprocess.run([python, "-m", "otter", "run", "-a", "autograder.zip", "-o", str(out), f"s{k:04d}.ipynb"],
                       cwd=folder, check=True, capture_output=True, env=_env(python))
        if not (out / "results.json").is_file():
            raise RuntimeError(f"otter wrote no results for notebook {k}")
    return time.perf_counter() - start


def compare(kit_python: str, other_python: str, students: int, work: Path) -> dict[str, float]:
    """Seconds each tool takes on the same ``students`` lesson-1 notebooks (a tool that fails is left out)."""
    lesson = builtin().lessons[LESSON]
    tests = checks(lesson, Reference())
    sources = student_sources(students)
    seconds = {"gradekit": run_kit(kit_python, sources, work)}
    for name, run in (("nbgrader", run_nbgrader), ("otter-grader", run_otter)):
        try:
            seconds[name] = run(other_python, sources, tests, work)
        except (subprocess.CalledProcessError, RuntimeError, OSError) as exc:
            detail = exc.stderr.decode(errors="replace")[-300:] if isinstance(exc, subprocess.CalledProcessError) \
                and exc.stderr else str(exc)
            print(f"{name}: failed, not measured ({detail.strip()})")
    return seconds


def report(seconds: dict[str, float], students: int) -> None:
    """Print the times and the ratios to the kit's."""
    kit = seconds["gradekit"]
    for name, value in seconds.items():
        ratio = "" if name == "gradekit" else f", {value / kit:.1f}× the kit's time"
        print(f"  {name}: {students} lesson-1 notebooks in {value:.1f} s = {students / value:.2f} notebooks/s{ratio}")


def available(python: str) -> bool:
    """Whether ``python`` can import nbgrader, otter and ipykernel."""
    try:
        done = subprocess.run([python, "-c", "import nbgrader, otter, ipykernel"], capture_output=True)
    except OSError:
        return False
    return done.returncode == 0
