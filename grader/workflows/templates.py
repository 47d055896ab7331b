"""The text files a built kit carries: its pyproject, the student README, CI and Gradescope scripts."""

from __future__ import annotations

PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "gradekit"
version = "{version}"
description = "The grader of the machine-learning basics course, with its public checks."
requires-python = ">=3.10"
dependencies = [{dependencies}]

[project.scripts]
{scripts}

[tool.setuptools.packages.find]
include = ["grader*"]
"""

STUDENT_README = """\
# {title}: the exercises

{lessons}

Each lesson is a file in `exercises/` and a notebook in `notebooks/`: write the
functions whose body says `raise NotImplementedError`. Their docstrings say
what each one must return.

## Set up, once

```bash
python3 -m venv .venv && .venv/bin/pip install -e .
```

## Check your work

```bash
.venv/bin/grade check exercises/                            # every lesson
.venv/bin/grade check exercises/lesson1_linear.py -k train  # one task of one lesson
```

In a notebook, run its last cell. Each task gets PASS or FAIL, and a failure
says what was expected, what your code gave and where.

These are the public checks. Hidden checks, on other data, run when your work
is graded, and the report says how many there are: code that gives the right
answers only for the public inputs will fail them.

## Hand in

```bash
.venv/bin/grade submit exercises/ --out submission.zip     # or notebooks/
```

Upload `submission.zip`. It holds your lesson files, a manifest with their
SHA-256 hashes, the score of your last self-check and the time it was made.

## On GitHub

{github}
"""

ON_GITHUB = ("`.github/workflows/grade.yml` grades every push; the table of tasks appears on\n"
             "the summary page of each workflow run.")
ON_CLASSROOM = ("`.github/workflows/classroom.yml` grades every push with the public checks and\n"
                "reports the points to GitHub Classroom; the hidden checks run when your work is graded.")

GITIGNORE = """\
.venv/
__pycache__/
*.egg-info/
submission.zip
"""

INSTALL_STEPS = """\
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install the kit
        run: pip install -e .
"""  # the steps both workflows start with: the student's repository, Python, the kit

GITHUB_WORKFLOW = """\
# Grades the exercises on every push; the table of tasks appears on the run's summary page.
name: grade
on: [push, workflow_dispatch]
defaults:
  run:
    shell: bash  # bash -eo pipefail: the step fails when grading fails, not only when tee does
jobs:
  grade:
    runs-on: ubuntu-latest
    steps:
""" + INSTALL_STEPS + """\
      - name: Grade
        # Passes when every task passes; add --min-score N to pass from N points on.
        run: grade check exercises/ --format markdown | tee -a "$GITHUB_STEP_SUMMARY"
"""

CLASSROOM_WORKFLOW = """\
# GitHub Classroom's autograding: grades the exercises on every push and reports the points to Classroom
# (the workflow's name is the check run Classroom's reporter looks for). A self-check: the student's own
# repository runs it, with the public checks only; the final grade comes from the instructor's grading.
name: Autograding Tests
on: [push, workflow_dispatch, repository_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
""" + INSTALL_STEPS + """\
      - name: gradekit
        id: gradekit
        # exit code 1 is failed tasks (reported); anything else is a problem the step must show
        run: |
          result="$(grade check exercises/ --format classroom)" || [ $? -eq 1 ]
          echo "result=$result" >> "$GITHUB_OUTPUT"
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          GRADEKIT_RESULTS: "${{ steps.gradekit.outputs.result }}"
        with:
          runners: gradekit
"""

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder image. The virtual environment
# gets the grader's dependencies only: the grader runs from source/, its one copy, which
# becomes readable by root alone, so that student code, run as another user, reads none of
# the checks or answers. GRADER_AUTOGRADER_ROOT replaces /autograder (the tests use a fake root).
set -euo pipefail
root="${GRADER_AUTOGRADER_ROOT:-/autograder}"
apt-get update -q && apt-get install -y -q python3 python3-venv python3-pip
python3 -m venv "$root/venv"
"$root/venv/bin/python" -m pip install -q -r "$root/source/requirements.txt"
chmod -R go-rwx "$root/source"
"""

# @FALLBACK@ becomes the results.json of grader.workflows.autograder.crash_results (see bundle.py).
RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission. results/results.json is always the grader's own:
# the grader writes it into a private folder (mode 700, outside results/) as its last act,
# once every student process has ended, and only that file is copied into results/. When
# the grader was killed or failed before writing it, the "could not run" result ships, so the
# student sees a message, never nothing. A results.json found in results/, before or after
# grading, is replaced, never shipped.
# GRADER_AUTOGRADER_ROOT replaces /autograder (the tests use a fake root).
root="${GRADER_AUTOGRADER_ROOT:-/autograder}"
python="$root/venv/bin/python"
[ -x "$python" ] || python=python3
private="$(mktemp -d)" || exit 1
trap 'rm -rf "$private"' EXIT
chmod 700 "$private"
rm -rf "$root/results/results.json"
mkdir -p "$root/results"
(cd "$root/source" && GRADER_AUTOGRADER_ROOT="$root" "$python" -m grader.workflows.autograder "$private/results.json")
if [ ! -s "$private/results.json" ]; then
  cat > "$private/results.json" <<'EOF'
@FALLBACK@
EOF
fi
shipped="$(mktemp "$root/results/.results.json.XXXXXX")" || exit 1
cat "$private/results.json" > "$shipped" && chmod 644 "$shipped"
rm -rf "$root/results/results.json"
mv -fT "$shipped" "$root/results/results.json"
exit 0
"""
