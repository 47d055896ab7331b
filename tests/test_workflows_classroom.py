"""GitHub Classroom: `grade check --format classroom` is the result Classroom's grading reporter reads, and
`grade release --github-classroom` gives the kit the workflow that reports it."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys

from conftest import ROOT, grade

FLIPPED = (ROOT / "solutions" / "lesson1_linear.py").read_text(encoding="utf-8").replace(
    "return 2 * x * (x * w - y)\n", "return 2 * x * (y - x * w)\n", 1)


def decoded(text: str) -> dict:
    return json.loads(base64.b64decode(text.strip(), validate=True))


def test_the_result_is_one_line_of_base64_json_with_a_test_per_task(tmp_path):
    (tmp_path / "lesson1_linear.py").write_text(FLIPPED, encoding="utf-8")
    result = grade("check", str(tmp_path), "--format", "classroom")
    assert result.exit_code == 1 and len(result.stdout.strip().splitlines()) == 1
    document = decoded(result.stdout)
    assert (document["version"], document["status"], document["max_score"]) == (1, "fail", 10)
    tests = {t["name"]: t for t in document["tests"]}
    assert (tests["lesson1_linear.gradient"]["status"], tests["lesson1_linear.gradient"]["score"]) == ("fail", 0)
    assert tests["lesson1_linear.gradient"]["message"].startswith("sign flipped")
    assert (tests["lesson1_linear.train"]["status"], tests["lesson1_linear.train"]["score"]) == ("pass", 4)
    assert sum(t["score"] for t in document["tests"]) == 8  # what the reporter posts to Classroom


def test_a_right_file_passes(tmp_path):
    (tmp_path / "lesson1_linear.py").write_text(FLIPPED.replace("(y - x * w)", "(x * w - y)"), encoding="utf-8")
    result = grade("check", str(tmp_path), "--format", "classroom")
    assert result.exit_code == 0 and decoded(result.stdout)["status"] == "pass"


def test_the_classroom_kit_reports_with_the_runner_it_names(tmp_path):
    out = tmp_path / "kit"
    result = grade("release", str(out), "--github-classroom")
    assert result.exit_code == 0, result.stderr
    workflows = out / ".github" / "workflows"
    assert sorted(p.name for p in workflows.iterdir()) == ["classroom.yml"]
    workflow = (workflows / "classroom.yml").read_text(encoding="utf-8")
    assert "name: Autograding Tests" in workflow  # the check run Classroom's reporter looks for
    runner = re.search(r"runners: (\w+)", workflow).group(1)
    assert f"{runner.upper()}_RESULTS: \"${{{{ steps.{runner}.outputs.result }}}}\"" in workflow
    assert f"id: {runner}\n" in workflow and "grade check exercises/ --format classroom" in workflow
    assert '|| [ $? -eq 1 ]' in workflow  # failed tasks are reported; a usage error or a crash fails the step
    assert "reports the points to GitHub Classroom" in (out / "README.md").read_text(encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "grader", "check", "exercises/", "--format", "classroom"],
                          cwd=out, capture_output=True, text=True, timeout=120)
    document = decoded(done.stdout)  # the kit's own engine, on its stubs
    assert document["status"] == "fail" and {t["score"] for t in document["tests"]} == {0}
