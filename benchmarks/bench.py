"""Measure gradekit's speed: one whole submission with `grade check`, a synthetic class with `grade batch`.

Usage (from the repository root, with the kit installed):

    python benchmarks/bench.py --students 40

It builds a class of N submissions in a temporary folder, mixing correct work
(the reference), typical mistakes (tests/students/), and a few hanging or
crashing submissions (tests/corpus/), then prints:

* `grade check solutions/` wall time, cold (first run) and warm (median of runs);
* `grade batch` wall time, submissions per second and peak memory (max RSS of
  the grader and of any one child process);
* p50/p95 seconds per lesson, from the per-submission reports;
* the time of the symbolic checks alone (p50/p99 per check), in-process.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_class(out: Path, students: int, seed: int = 0) -> dict[str, int]:
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
        if roll < 0.05 and broken:
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


def timed(cmd: list[str]) -> float:
    """Wall seconds of one command (its output is discarded)."""
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def symbolic_times(repeat: int) -> list[float]:
    """Seconds per symbolic check on typical right and wrong answers, in-process."""
    import sympy

    from grader.judges.symbolic import judge_derivative

    x, y, w = sympy.symbols("x y w")
    loss = (x * w - y) ** 2
    answers = ["2*x*(x*w - y)", "2*x*(y - x*w)", "x*(x*w - y)", "2*x**2*w - 2*x*y", "2*(x*w - y)",
               "(x*w - y)**2", "2*x*w^2"]
    times = []
    for k in range(repeat):
        start = time.perf_counter()
        judge_derivative(answers[k % len(answers)], loss=loss, wrt=w, symbols=(x, y, w))
        times.append(time.perf_counter() - start)
    return times


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=0, help="grade batch --jobs (0: the default)")
    parser.add_argument("--warm-runs", type=int, default=3)
    args = parser.parse_args()
    grade = [sys.executable, "-m", "grader"]

    cold = timed(grade + ["check", str(ROOT / "solutions")])
    warm = statistics.median(timed(grade + ["check", str(ROOT / "solutions")]) for _ in range(args.warm_runs))
    print(f"grade check solutions/ (whole course, 36 tasks): cold {cold:.2f} s, warm median {warm:.2f} s")

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        klass, out = Path(tmp) / "class", Path(tmp) / "out"
        counts = build_class(klass, args.students)
        cmd = grade + ["batch", str(klass), "--out", str(out), "--quiet"]
        if args.jobs:
            cmd += ["--jobs", str(args.jobs)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        seconds = timed(cmd)
        peak_child = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        print(f"grade batch: {args.students} whole-course submissions ({counts}) in {seconds:.1f} s = "
              f"{args.students / seconds:.2f} submissions/s; peak RSS of one process {peak_child / 1024:.0f} MiB")
        per_lesson: dict[str, list[float]] = {}
        for report in out.glob("*/report.json"):
            data = json.loads(report.read_text())
            for lesson in data.get("lessons", []):
                if "seconds" in lesson:
                    per_lesson.setdefault(lesson["lesson"], []).append(lesson["seconds"])
        for lesson, values in sorted(per_lesson.items()):
            print(f"  {lesson}: p50 {percentile(values, 50):.2f} s, p95 {percentile(values, 95):.2f} s")

    times = symbolic_times(70)
    print(f"symbolic check: p50 {percentile(times, 50) * 1000:.0f} ms, p99 {percentile(times, 99) * 1000:.0f} ms "
          f"over {len(times)} checks")
    for tool in ("nbgrader", "otter"):
        if shutil.which(tool) is None:
            print(f"{tool}: not installed, no comparison")


if __name__ == "__main__":
    main()
