"""`grade release`: the student kit works on its own and gives nothing away."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, grade
from grader.courses import builtin, load_course
from grader.oracle import Table
from grader.reference import Reference, StoredReference, case_key

LESSONS = builtin().lessons

PYTHON_BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "kit"
    result = grade("release", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    return out


def run_in(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """``python -m grader ARGS`` inside ``folder``: the engine that runs is the folder's own."""
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=folder, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


def normalised(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def release_texts(release: Path) -> dict[str, str]:
    """Every file of the release as text; a notebook as the text of its cells."""
    texts = {}
    for path in (p for p in release.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".ipynb":
            text = "\n".join("".join(cell["source"]) for cell in json.loads(text)["cells"])
        texts[str(path.relative_to(release))] = text
    return texts


def test_release_holds_the_student_kit_and_no_instructor_files(release):
    names = {str(p.relative_to(release)) for p in release.rglob("*") if p.is_file()}
    for lesson in LESSONS:
        assert f"exercises/{lesson}.py" in names and f"notebooks/{lesson}.ipynb" in names
    assert {"README.md", "pyproject.toml", ".github/workflows/grade.yml", "course.toml", "answers.json",
            "checks/lesson1_linear.py", "grader/cli.py"} <= names
    assert not any(n.split("/")[0] in ("solutions", "tests", "benchmarks", ".ci") for n in names)
    assert "grade check" in (release / "README.md").read_text(encoding="utf-8")


def test_release_contains_no_reference_solution_body(release):
    texts = {name: normalised(text) for name, text in release_texts(release).items()}
    bodies = [normalised(body) for path in sorted((ROOT / "solutions").glob("lesson*.py"))
              for body in re.findall(r"# BEGIN SOLUTION\n(.*?)\n[ \t]*# END SOLUTION", path.read_text(encoding="utf-8"),
                                     re.S)]
    assert len(bodies) >= 36
    assert [(name, body) for body in bodies for name, text in texts.items() if body in text] == []


def test_release_contains_no_hidden_input_and_no_hidden_answer(release):
    names = {str(p.relative_to(release)) for p in release.rglob("*") if p.is_file()}
    assert not any(n.startswith("checks/hidden/") for n in names)
    assert "hidden" not in (release / "course.toml").read_text(encoding="utf-8")
    course = "\n".join(text for name, text in release_texts(release).items() if name.startswith("checks/"))
    hidden_inputs = []
    for path in sorted((ROOT / "checks" / "hidden").glob("lesson*.py")):  # every case there is hidden
        source = path.read_text(encoding="utf-8")
        hidden_inputs += [ast.get_source_segment(source, node) for node in ast.walk(ast.parse(source))
                          if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("case", "schedules")
                          and any(isinstance(c, ast.Constant) for a in node.args for c in ast.walk(a))]
    assert len(hidden_inputs) >= 50
    assert [text for text in hidden_inputs if text in course] == []
    stored = json.loads((release / "answers.json").read_text(encoding="utf-8"))
    keys = set(stored["values"]) | set(stored["mistakes"]) | set(stored["served"])
    hidden_keys = {case_key(lesson, task, c) for lesson in LESSONS.values() for task in lesson.tasks
                   for c in task.cases if c.hidden}
    assert keys and not keys & hidden_keys


def test_the_release_follows_through_with_the_values_it_stores(release, tmp_path):
    """A kit has no reference code: it serves the calls its answers store, the reference's own, so the student's
    check and the final grading agree."""
    source = (ROOT / "solutions" / "lesson1_linear.py").read_text(encoding="utf-8")
    (tmp_path / "lesson1_linear.py").write_text(source.replace("return 2 * x * (x * w - y)\n    # END",
                                                               "return 2 * x * (y - x * w)\n    # END"))
    done = run_in(release, "check", str(tmp_path), "--format", "json")
    tests = {t["name"]: t for t in json.loads(done.stdout)["tests"]}
    assert tests["lesson1_linear.gradient"]["status"] == "failed"
    train = tests["lesson1_linear.train"]
    assert (train["status"], train["score"]) == ("passed", 4.0), train["output"]
    assert "Your `train` is right; it used your `gradient`, which is wrong (see gradient)" in train["output"]
    kit, here = StoredReference(load_course(release)), Reference(builtin())
    lesson = LESSONS["lesson1_linear"]
    task = lesson.task("train")
    assert kit.served(lesson, task, 1).calls == Table.from_data(here.served(lesson, task, 1).to_data()).calls


def test_check_in_the_release_grades_public_checks_and_announces_hidden_ones(release, tmp_path):
    shutil.copy(ROOT / "solutions" / "lesson1_linear.py", tmp_path / "lesson1_linear.py")
    done = run_in(release, "check", str(tmp_path), "--format", "json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["score"] == document["max_score"] == 10
    assert "lesson1_linear: 10 hidden checks will run when your work is graded" in document["output"]


def test_github_workflow_grades_a_push_into_the_step_summary(release, tmp_path):
    workflow = (release / ".github" / "workflows" / "grade.yml").read_text(encoding="utf-8")
    assert "pip install -e ." in workflow and "shell: bash" in workflow
    command = next(line.split("run:", 1)[1].strip() for line in workflow.splitlines() if "grade check" in line)
    kit = tmp_path / "kit"
    shutil.copytree(release, kit)
    for stub in (kit / "exercises").glob("lesson[!1]*.py"):  # one lesson is enough, and faster
        stub.unlink()
    shim = tmp_path / "bin" / "grade"  # what `pip install -e .` puts on PATH: the kit's own engine
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m grader "$@"\n')
    shim.chmod(0o755)
    summary = tmp_path / "summary.md"
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command], cwd=kit,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PATH": f"{shim.parent}:{os.environ['PATH']}",
                               "GITHUB_STEP_SUMMARY": str(summary)})
    assert done.returncode == 1  # the stubs fail, so does the step
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("### gradekit: 0/10 points, 0 of 5 tasks passed")
    assert "| ❌ | `lesson1_linear.train` | 0/4 |" in text and "10 hidden checks will run" in text


def test_release_installs_from_its_own_pyproject_and_grades_its_own_course(release, tmp_path):
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                           "--no-index", "--target", str(tmp_path / "site"), str(release)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert 'grade = "grader.cli:main"' in (release / "pyproject.toml").read_text()  # the same command as here
    shutil.copy(ROOT / "solutions" / "lesson1_linear.py", tmp_path / "lesson1_linear.py")
    graded = subprocess.run([sys.executable, "-m", "grader", "check", str(tmp_path / "lesson1_linear.py")],
                            cwd=release, capture_output=True, text=True, timeout=120,  # the kit's course.toml is here
                            env={**os.environ, "PYTHONPATH": str(tmp_path / "site")})
    assert graded.returncode == 0, graded.stderr
    assert "10 hidden checks will run when your work is graded" in graded.stdout


def test_release_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = grade("release", str(tmp_path))
    assert result.exit_code == 1 and "is not empty (use --force" in result.stderr
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_the_student_kit_holds_the_student_commands_only(release):
    done = run_in(release, "--help")
    assert done.returncode == 0, done.stderr
    commands = done.stdout.split("Commands:")[1].split()
    assert [c for c in commands if c in ("check", "submit", "batch", "release", "gradescope", "stubs", "init",
                                          "new", "course")] == ["check", "submit"]
    assert not (release / "grader" / "workflows" / "scaffold_templates.py").exists()
    assert not (release / "grader" / "commands" / "batch.py").exists()  # no batch that claims hidden checks
