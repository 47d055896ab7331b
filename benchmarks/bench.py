"""Measure gradekit's speed: one whole submission with `grade check`, a synthetic class with `grade batch`.

Usage (from the repository root, with the kit installed):

    python benchmarks/bench.py --students 40

It prints the machine (cores, CPU model) and every command it times, builds a
class of N submissions in a temporary folder, mixing correct work (the
reference), typical mistakes (tests/students/), and a few hanging or crashing
submissions (tests/corpus/; ``--broken`` sets their share), then prints:

* `grade check solutions/` wall time, cold (first run) and warm (median of runs);
* `grade batch` wall time, submissions per second and peak memory of its whole
  process tree, once for a class of working submissions only and once with the
  broken share (a hanging task holds a worker for its whole time limit); the
  process tree is the grader, its workers, the sandboxes and the students' code,
  sampled from /proc: the sum of RSS (shared pages counted in every process)
  and the sum of PSS (shared pages split between their processes);
* p50/p95 seconds per lesson, from the per-submission reports;
* the floor under ``grade batch`` on the class of working submissions: one
  fresh fork per student of a process with NumPy and SymPy loaded, which runs
  that student's code on every case (as the child does: a task's first failing
  case ends it) and encodes the answers, one forking process per core, and
  nothing else (no sandbox, limits, pipes, judging or reports);
* the time of the symbolic checks alone (p50/p99 per check), in-process, for
  the first check of each distinct answer and for repeated answers, on lesson
  1's ∂loss/∂w and on lesson 7's ∂ℓ/∂w of the cross-entropy (exp, log and
  sigmoid), each after its task's set-up on the first check (sympy's derivative
  and the typical mistakes, once per task and process), which is timed apart;
  ``--symbolic-only`` prints these alone (in a few seconds);
* nbgrader and otter-grader on the same lesson-1 notebooks, when ``--others-python``
  (by default this Python) has them: times and ratios (see ``others.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def build_class(out: Path, students: int, broken_share: float, seed: int = 0) -> dict[str, int]:
    """Write ``students`` submission folders into ``out``; return how many of each sort."""
    rng = random.Random(seed)
    wrong = sorted(p for p in (ROOT / "tests" / "students").glob("*/*") if p.is_dir())
    broken = sorted(p for p in (ROOT / "tests" / "corpus").glob("*") if p.is_dir()
                    and p.name in {"hangs_in_gradient", "segfault", "memory_bomb_list", "syntax_error_unclosed"})
    counts = {"correct": 0, "mistakes": 0, "broken": 0}
    for k in range(students):
        folder = out / f"student{k:04d}"
        folder.mkdir(parents=True)
        for lesson in sorted((ROOT / "solutions").glob("lesson*.py")):
            shutil.copy(lesson, folder / lesson.name)
        roll = rng.random()
        if roll < broken_share and broken:
            source = rng.choice(broken)
            counts["broken"] += 1
        elif roll < 0.6 and wrong:
            source = rng.choice(wrong)
            counts["mistakes"] += 1
        else:
            counts["correct"] += 1
            continue
        for f in source.iterdir():
            if f.suffix in (".py", ".ipynb"):
                shutil.copy(f, folder / f.name)
    return counts


def machine() -> str:
    """Cores and CPU model of this machine."""
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            model = next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable), {model}, Python {platform.python_version()}"


def timed(cmd: list[str]) -> float:
    """Wall seconds of one command (its output is discarded)."""
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def _tree(root: int) -> list[int]:
    """``root`` and every process below it, from the parent pids in /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stat:
                    parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _memory_kib(pid: int) -> tuple[int, int]:
    """RSS and PSS of one process in KiB ((0, 0) once it is gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            fields = {line.split(":")[0]: int(line.split()[1]) for line in rollup if line.split()[-1] == "kB"}
    except (OSError, ValueError, IndexError):
        return 0, 0
    return fields.get("Rss", 0), fields.get("Pss", 0)


def run_sampled(cmd: list[str], every: float = 0.05) -> tuple[float, int, int]:
    """Run ``cmd``; its wall seconds and the peak sums of RSS and of PSS (KiB) over its whole process tree."""
    peak_rss = peak_pss = 0
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_rss, peak_pss
        while not done.wait(every):
            sizes = [_memory_kib(pid) for pid in _tree(proc.pid)]
            peak_rss = max(peak_rss, sum(r for r, _ in sizes))
            peak_pss = max(peak_pss, sum(p for _, p in sizes))

    sampler = threading.Thread(target=sample)
    sampler.start()
    proc.wait()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    return seconds, peak_rss, peak_pss


def symbolic_tasks() -> dict[str, tuple[Any, Any, str, list[str]]]:
    """Derivative tasks, each with typical right and wrong answers of a class: (loss, with respect to, symbols,
    answers)."""
    import sympy

    x, y, w, b = sympy.symbols("x y w b")
    p = 1 / (1 + sympy.exp(-(x * w + b)))
    s = "sigmoid(x*w + b)"
    return {
        "lesson 1": ((x * w - y) ** 2, w, "x y w", [
            "2*x*(x*w - y)", "2*x*(y - x*w)", "x*(x*w - y)", "2*x**2*w - 2*x*y", "2*(x*w - y)", "(x*w - y)**2",
            "2*x*w^2", "2*w*x**2 - 2*x*y", "-2*x*(y - w*x)", "x**2*w**2 - 2*x*y*w + y**2"]),
        "lesson 7": (-(y * sympy.log(p) + (1 - y) * sympy.log(1 - p)), w, "x y w b", [
            f"x*({s} - y)", "x*(1/(1 + exp(-(x*w + b))) - y)", "x*(exp(x*w + b)/(1 + exp(x*w + b)) - y)",
            f"-(y*x*exp(-(x*w + b))/(1 + exp(-(x*w + b))) - (1 - y)*x*{s})", f"x*{s} - x*y",
            f"-y*x*(1 - {s}) + (1 - y)*x*{s}", f"-(y/{s} - (1 - y)/(1 - {s}))*{s}*(1 - {s})*x",
            "x*(1 - y - y*exp(-x*w - b))/(1 + exp(-x*w - b))", "x/(1 + exp(-x*w - b)) - x*y",
            "x*(1/(1 + 1/exp(x*w + b)) - y)",
            f"{s} - y", f"x*(y - {s})", f"-y*x*(1 - {s})", f"(1 - y)*x*{s}", f"x*({s} - y)*{s}*(1 - {s})",
            f"-(y/{s} - (1 - y)/(1 - {s}))", f"-(y/{s} + (1 - y)/(1 - {s}))",
            f"-(y*log({s}) + (1 - y)*log(1 - {s}))", f"x*{s}", f"x*({s} - y) + 1e-12*x"]),
    }


def symbolic_times(loss: Any, wrt: Any, names: str, answers: list[str],
                   repeat: int) -> tuple[float, list[float], list[float]]:
    """Seconds of symbolic checks, in-process: the task's first check (its set-up included), then one per check of
    each answer after it, then of repeated answers."""
    import sympy

    from grader.judges.symbolic import judge_derivative

    symbols = sympy.symbols(names)
    judged: dict = {}  # the task's own verdicts, as a Derivative task keeps them: a repeated answer is not re-judged
    start = time.perf_counter()
    judge_derivative(answers[0], loss=loss, wrt=wrt, symbols=symbols, judged={})
    setup = time.perf_counter() - start
    first, repeated = [], []
    for k in range(max(repeat, len(answers))):
        start = time.perf_counter()
        judge_derivative(answers[k % len(answers)], loss=loss, wrt=wrt, symbols=symbols, judged=judged)
        (first if k < len(answers) else repeated).append(time.perf_counter() - start)
    return setup, first, repeated


def print_symbolic_times() -> None:
    """One line per task of :func:`symbolic_tasks`: its set-up, then p50/p99 per check."""
    for lesson, (loss, wrt, names, answers) in symbolic_tasks().items():
        setup, first, repeated = symbolic_times(loss, wrt, names, answers, 100)
        print(f"symbolic check, {lesson} ∂/∂{wrt} (in-process): the task's first check {setup * 1000:.0f} ms "
              f"(its set-up, once per process); then the first check of each of {len(first)} distinct answers "
              f"p50 {percentile(first, 50) * 1000:.1f} ms, p99 {percentile(first, 99) * 1000:.1f} ms; "
              f"{len(repeated)} repeated answers p50 {percentile(repeated, 50) * 1000:.2f} ms, "
              f"p99 {percentile(repeated, 99) * 1000:.2f} ms")


def floor(klass: Path) -> float:
    """Submissions per second of the work alone on ``klass`` (see the module docstring), on every usable core."""
    import gc

    import sympy

    from grader.courses import builtin
    from grader.grading import case_plan, public_plan
    from grader.reference import default_reference
    from grader.loader import discover, read_lesson
    from grader.runner.child import Session, attempt
    from grader.runner.forkserver import _warm

    _warm(sympy)
    course = builtin()
    reference = default_reference(course)
    plans = {name: [public_plan(lesson, task, reference).text for task in lesson.tasks]
             + [case_plan(lesson, task, i, reference).text for task in lesson.tasks
                for i, c in enumerate(task.cases) if c.hidden]
             for name, lesson in course.lessons.items()}
    submissions = sorted(p for p in klass.iterdir() if p.is_dir())

    def student(folder: Path) -> None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        for name, path in discover(folder, course.by_number)[0].items():
            session = Session()
            session.load(name, str(path), [[c.label, c.source] for c in read_lesson(name, path).cells])
            for plan in plans[name]:
                for steps in json.loads(plan):
                    answer = attempt(session, lambda: {"values": session.run(steps)})
                    json.dumps(answer)
                    if not answer["ok"]:  # as in the child: a task's first failing case ends it
                        break

    gc.collect()
    gc.freeze()
    cores = len(os.sched_getaffinity(0))
    start = time.perf_counter()
    forkers = []
    for core in range(cores):
        forker = os.fork()
        if forker == 0:
            for folder in submissions[core::cores]:
                pid = os.fork()
                if pid == 0:
                    try:
                        student(folder)
                    finally:
                        os._exit(0)
                os.waitpid(pid, 0)
            os._exit(0)
        forkers.append(forker)
    for forker in forkers:
        os.waitpid(forker, 0)
    seconds = time.perf_counter() - start
    gc.unfreeze()
    return len(submissions) / seconds


def other_graders(python: str, students: int) -> None:
    """Grade the same lesson-1 notebooks with nbgrader and otter-grader when ``python`` has them (see others.py)."""
    import others

    if not others.available(python):
        print(f"nbgrader, otter-grader: not importable by {python} (pip install -e '.[bench]', or "
              "--others-python PYTHON); not measured")
        return
    with tempfile.TemporaryDirectory(prefix="bench-others-") as tmp:
        seconds = others.compare(sys.executable, python, students, Path(tmp))
    print(f"the same {students} lesson-1 notebooks (right answers and fixture mistakes), graded by each tool:")
    others.report(seconds, students)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def batch(grade: list[str], students: int, broken: float, jobs: int) -> None:
    """Time ``grade batch`` on a synthetic class with a share ``broken`` of hanging or crashing submissions."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        klass, out = Path(tmp) / "class", Path(tmp) / "out"
        counts = build_class(klass, students, broken)
        cmd = grade + ["batch", str(klass), "--out", str(out), "--quiet"]
        if jobs:
            cmd += ["--jobs", str(jobs)]
        seconds, rss, pss = run_sampled(cmd)
        print(f"$ {shlex.join(cmd)}\n  {students} whole-course submissions ({counts}) in {seconds:.1f} s = "
              f"{students / seconds:.2f} submissions/s; peak memory of the process tree: "
              f"{pss / 1024:.0f} MiB PSS, {rss / 1024:.0f} MiB RSS summed")
        per_lesson: dict[str, list[float]] = {}
        timeouts = 0
        for report in out.glob("*/report.json"):
            data = json.loads(report.read_text())
            for lesson in data.get("lessons", []):
                per_lesson.setdefault(lesson["lesson"], []).append(lesson["seconds"])
                timeouts += sum("timed out" in task.get("summary", "") for task in lesson.get("tasks", []))
        for lesson, values in sorted(per_lesson.items()):
            print(f"  {lesson}: p50 {percentile(values, 50):.3f} s, p95 {percentile(values, 95):.3f} s")
        print(f"  tasks that ran into their time limit: {timeouts} (each holds a worker for the whole limit)")
        if not counts["broken"] and not timeouts:  # the floor has no time limits: only for a class that needs none
            print(f"  floor: {floor(klass):.1f} submissions/s for the work alone on this class (a fresh fork per "
                  "student that runs its code on every case and encodes the answers; no sandbox, limits, pipes, "
                  "judging or reports)")


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--broken", type=float, default=0.05,
                        help="share of hanging or crashing submissions (a class without them is timed too)")
    parser.add_argument("--jobs", type=int, default=0, help="grade batch --jobs (0: the default)")
    parser.add_argument("--warm-runs", type=int, default=3)
    parser.add_argument("--others-python", default=sys.executable,
                        help="a Python with nbgrader, otter-grader and ipykernel, for the comparison")
    parser.add_argument("--others-students", type=int, default=12, help="notebooks in the comparison")
    parser.add_argument("--symbolic-only", action="store_true", help="time the symbolic checks alone")
    args = parser.parse_args()
    grade = [sys.executable, "-m", "grader"]
    print(f"machine: {machine()}")
    print(f"benchmark: {shlex.join([sys.executable, *sys.argv])}")
    if args.symbolic_only:
        print_symbolic_times()
        return

    check = grade + ["check", str(ROOT / "solutions")]
    cold = timed(check)
    warm = statistics.median(timed(check) for _ in range(args.warm_runs))
    from grader.courses import builtin

    tasks = sum(len(lesson.tasks) for lesson in builtin().lessons.values())
    print(f"$ {shlex.join(check)}\n  whole course ({tasks} tasks): cold {cold:.2f} s, warm median {warm:.2f} s")

    for broken in sorted({0.0, args.broken}):
        batch(grade, args.students, broken, args.jobs)

    print_symbolic_times()
    other_graders(args.others_python, args.others_students)


if __name__ == "__main__":
    main()
