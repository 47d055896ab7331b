"""`grade gradescope`: the bundle, its setup and run_autograder on a fake /autograder root, crashes and forged
results included."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SUBMISSIONS, grade
from grader.workflows import autograder
from grader.workflows.autograder import CRASHED, ROOT_ENV, autograde
from grader.courses import builtin
from grader.workflows.kit import dependencies


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gradescope") / "autograder.zip"
    result = grade("gradescope", str(out))
    assert result.exit_code == 0, result.stderr
    return out


def fake_root(tmp_path: Path, bundle: Path, submission: Path | None) -> Path:
    """/autograder as Gradescope lays it out: source/ from the bundle, submission/, results/."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(root / "source")
    (root / "submission").mkdir()
    if submission is not None:
        (root / "submission" / submission.name).write_bytes(submission.read_bytes())
    return root


def stub(folder: Path, name: str, body: str) -> Path:
    """An executable shell script ``folder/name`` running ``body``: a command a test puts first on PATH."""
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    (folder / name).chmod(0o755)
    return folder


def run_script(root: Path, name: str, path: str, **env: str) -> None:
    """Run the bundle's ``name`` (setup.sh, run_autograder) with ``root`` as /autograder and ``path`` as PATH."""
    done = subprocess.run(["bash", str(root / "source" / name)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, ROOT_ENV: str(root), "PATH": path, **env})
    assert done.returncode == 0, done.stderr


def run_autograder(root: Path, path: str, **env: str) -> dict:
    run_script(root, "run_autograder", path, **env)
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def test_bundle_has_the_scripts_the_engine_and_answers_but_no_reference_code(bundle):
    with zipfile.ZipFile(bundle) as zf:
        infos = {info.filename: info for info in zf.infolist()}
    assert {"setup.sh", "run_autograder", "requirements.txt", "course.toml", "answers.json", "checks/lesson1_linear.py",
            "grader/cli.py"} <= set(infos)
    assert not any(name.startswith(("solutions/", "tests/")) for name in infos)
    assert "pyproject.toml" not in infos  # nothing that pip could install as a second copy of the grader
    for script in ("setup.sh", "run_autograder"):
        assert stat.S_IMODE(infos[script].external_attr >> 16) == 0o755


def test_run_autograder_grades_with_hidden_checks_and_marks_their_visibility(bundle, tmp_path):
    student = tmp_path / "lesson1_linear.py"
    student.write_text((ROOT / "solutions" / "lesson1_linear.py").read_text(encoding="utf-8") + '''
_right = forward


def forward(x, w):
    return 0.0 if x == 3.25 else _right(x, w)  # wrong on one hidden case of forward only
''', encoding="utf-8")
    root = fake_root(tmp_path, bundle, student)
    document = run_autograder(root, f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    tests = {t["name"]: t for t in document["tests"]}
    assert tests["lesson1_linear.forward"]["status"] == "failed"  # only a hidden case can fail it
    assert "3.25" not in tests["lesson1_linear.forward"]["output"]
    assert tests["lesson1_linear.forward"]["visibility"] == "after_published"
    assert all(t["status"] == "passed" and t["visibility"] == "visible"
               for name, t in tests.items() if name != "lesson1_linear.forward")
    assert document["score"] == document["max_score"] - 1


def test_run_autograder_writes_results_even_when_python_cannot_start(bundle, tmp_path):
    root = fake_root(tmp_path, bundle, SUBMISSIONS / "wrong_sign_gradient" / "lesson1_linear.py")
    broken = stub(tmp_path / "bin", "python3", "echo 'python3: broken' >&2\nexit 1")
    document = run_autograder(root, f"{broken}:/usr/bin:/bin")
    assert document["score"] == 0 and document["output"] == CRASHED


def test_autograde_writes_results_when_grading_crashes(tmp_path, monkeypatch, capsys):
    (tmp_path / "submission").mkdir()
    out = tmp_path / "private" / "results.json"

    def crash(*args, **kwargs):
        raise RuntimeError("a grader bug")

    monkeypatch.setattr(autograder, "grade_submission", crash)
    assert autograde(root=tmp_path, out=out) == 1
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document == {"score": 0, "output": CRASHED, "output_format": "text", "visibility": "visible",
                        "tests": []}
    assert "a grader bug" in capsys.readouterr().err  # for the instructor, not in the student's results


def test_autograde_writes_results_only_once_every_student_process_has_ended(tmp_path, monkeypatch):
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "notes.txt").write_text("hi")
    out = tmp_path / "private" / "results.json"
    ended_before_results = []
    monkeypatch.setattr(autograder, "close_idle", lambda: ended_before_results.append(not out.exists()))
    assert autograde(root=tmp_path, out=out) == 0
    assert ended_before_results == [True]
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["score"] == 0 and "no lesson files" in document["output"]
    assert not (tmp_path / "results").exists()  # only run_autograder writes there


FORGED = '{"score": 1000, "output": "forged", "tests": []}'
FORGE = f"echo '{FORGED}' > \"$GRADER_AUTOGRADER_ROOT/results/results.json\""  # what a student's code can try


def test_setup_installs_only_the_dependencies_and_one_grader_that_root_alone_reads(bundle, tmp_path):
    """setup.sh on a fake root, with no network: apt-get does nothing, and ``python3 -m venv`` makes a venv
    whose python is this test's own (it has the dependencies) and whose pip only notes what it was asked."""
    root = fake_root(tmp_path, bundle, ROOT / "solutions" / "lesson1_linear.py")
    pip_log = tmp_path / "pip.log"
    venv_python = stub(tmp_path / "venv_python", "python",
                       f'[ "$1 $2" = "-m pip" ] && {{ echo "$@" >> {pip_log}; exit 0; }}\nexec {sys.executable} "$@"')
    bin_ = stub(tmp_path / "bin", "apt-get", "exit 0")
    stub(bin_, "python3", f'[ "$1 $2" = "-m venv" ] && mkdir -p "$3/bin" && cp {venv_python}/python "$3/bin/"')
    path = f"{bin_}:/usr/bin:/bin"
    run_script(root, "setup.sh", path)
    requirements = root / "source" / "requirements.txt"
    assert pip_log.read_text().split() == ["-m", "pip", "install", "-q", "-r", str(requirements)]
    assert requirements.read_text().splitlines() == dependencies(builtin())
    assert not any(r.lower().startswith("gradekit") for r in dependencies(builtin()))
    assert [p.relative_to(root) for p in root.rglob("grader") if p.is_dir()] == [Path("source/grader")]
    modes = {stat.S_IMODE(p.stat().st_mode) & 0o077 for p in [root / "source", *(root / "source").rglob("*")]}
    assert modes == {0}  # neither group nor others may read, write or enter
    document = run_autograder(root, path)  # grades with the venv's python and the grader in source/
    assert document["score"] == document["max_score"] == 10


@pytest.mark.parametrize("end", ["kill -9 $$", "exit 0", "exit 1"], ids=["killed", "exit 0", "exit 1"])
def test_a_grader_that_ends_without_writing_its_results_ships_the_crash_result_never_a_forged_one(
        bundle, tmp_path, end):
    root = fake_root(tmp_path, bundle, SUBMISSIONS / "wrong_sign_gradient" / "lesson1_linear.py")
    (root / "results").mkdir()
    (root / "results" / "results.json").write_text(FORGED)  # left there before grading
    private = tmp_path / "private.txt"
    # a grader whose student forged results/results.json and then killed it (or made it exit)
    grader = stub(tmp_path / "bin", "python3", f'stat -c "%a %n" "$(dirname "$3")" > {private}\n{FORGE}\n{end}')
    assert run_autograder(root, f"{grader}:/usr/bin:/bin") == autograder.crash_results()
    assert [p.name for p in (root / "results").iterdir()] == ["results.json"]
    mode, folder = private.read_text().split()
    assert mode == "700" and root / "results" not in Path(folder).parents and not Path(folder).exists()


def test_a_results_file_forged_before_or_during_grading_is_replaced_by_the_graders_own(bundle, tmp_path):
    root = fake_root(tmp_path, bundle, ROOT / "solutions" / "lesson1_linear.py")
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(FORGED)
    (root / "results").mkdir()
    (root / "results" / "results.json").symlink_to(elsewhere)  # planted before grading
    grader = stub(tmp_path / "bin", "python3", f'{FORGE}\nexec {sys.executable} "$@"')  # and forged while grading
    document = run_autograder(root, f"{grader}:/usr/bin:/bin")
    assert document["score"] == document["max_score"] == 10
    assert not (root / "results" / "results.json").is_symlink() and elsewhere.read_text() == FORGED


HOSTILE = '''
import json, os, signal


def _steal():
    found = {}
    for folder, _, files in os.walk("/"):
        for name in files:
            try:
                found[os.path.join(folder, name)] = open(os.path.join(folder, name)).read(200)
            except OSError:
                pass
    return found


def forward(x, w):
    stolen = _steal()
    for path in ("/autograder/results/results.json", os.environ.get("FORGE_AT", "")):
        try:
            open(path, "w").write(json.dumps({"score": 83, "tests": []}))
        except OSError:
            pass
    try:
        os.kill(os.getppid(), signal.SIGKILL)
    except OSError:
        pass
    if any("expected" in p or "course" in p or "lesson1_linear.py" in p for p in stolen):
        return 999.0  # a tell: anything of the grader's was readable
    return x * w
'''


@pytest.mark.skipif(os.geteuid() != 0, reason="Gradescope runs the autograder as root")
def test_a_gradescope_root_run_without_bubblewrap_keeps_a_hostile_student_out(bundle, tmp_path):
    """run_autograder as Gradescope runs it: root, no bubblewrap (the user level), a student who looks for the
    answers, the course and the reference, forges results and signals its parent."""
    student = tmp_path / "lesson1_linear.py"
    student.write_text((ROOT / "solutions" / "lesson1_linear.py").read_text(encoding="utf-8") + HOSTILE)
    root = fake_root(tmp_path, bundle, student)
    forged = root / "results" / "results.json"
    document = run_autograder(root, f"{Path(sys.executable).parent}:{os.environ['PATH']}",
                              GRADEKIT_SANDBOX="user", FORGE_AT=str(forged))
    tests = {t["name"]: t for t in document["tests"]}
    assert tests["lesson1_linear.forward"]["status"] == "passed"  # nothing was readable: no tell
    assert document["score"] == document["max_score"] == 10


def test_the_autograder_refuses_a_machine_with_no_security_boundary(tmp_path, monkeypatch, capsys):
    (tmp_path / "submission").mkdir()
    out = tmp_path / "private" / "results.json"
    monkeypatch.setattr(autograder.sandbox, "level", lambda: "process")
    assert autograde(root=tmp_path, out=out) == 1
    assert json.loads(out.read_text())["output"] == CRASHED
    err = capsys.readouterr().err
    assert "isolation: plain process (not a security boundary)" in err and "GRADEKIT_UNSANDBOXED=1" in err
    monkeypatch.setenv("GRADEKIT_UNSANDBOXED", "1")
    shutil_copy = (ROOT / "solutions" / "lesson1_linear.py").read_text()
    (tmp_path / "submission" / "lesson1_linear.py").write_text(shutil_copy)
    monkeypatch.setenv("GRADEKIT_SANDBOX", "none")
    assert autograde(root=tmp_path, out=out) == 0
    assert json.loads(out.read_text())["score"] == 10


def test_the_bundle_grades_a_prairielearn_question_from_its_own_copy(bundle, tmp_path):
    """Unzipped as serverFilesCourse/gradekit/, the bundle's grader (not this checkout's) grades /grade/student
    with the bundle's stored answers, hidden checks included."""
    gradekit, grade_root = tmp_path / "gradekit", tmp_path / "grade"
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(gradekit)
    (grade_root / "student").mkdir(parents=True)
    (grade_root / "student" / "lesson1_linear.py").write_text(
        (ROOT / "solutions" / "lesson1_linear.py").read_text(encoding="utf-8"), encoding="utf-8")
    code = "import grader; print(grader.__file__)"
    done = subprocess.run([sys.executable, "-c", code], cwd=gradekit, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == str(gradekit / "grader" / "__init__.py")
    done = subprocess.run([sys.executable, "-m", "grader.workflows.prairielearn"], cwd=gradekit, timeout=300,
                          env={**os.environ, "GRADER_PL_ROOT": str(grade_root)}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    document = json.loads((grade_root / "results" / "results.json").read_text(encoding="utf-8"))
    assert (document["gradable"], document["score"], document["message"]) == (
        True, 1.0, "10/10 points, 5 of 5 tasks passed")
