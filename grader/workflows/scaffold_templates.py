"""The files that ``grade init`` and ``grade new lesson`` write, as :class:`string.Template` texts.

The lesson's reference is a worked example for the author to replace: a value
task and a symbolic task, declared in its checks file with comments that say
how to add cases, hidden cases, a training loop and a mistake variant.
"""

from __future__ import annotations

from string import Template

COURSE_MANIFEST = Template('''\
# The course's manifest: its name, the packages students' code may import, and one [[lessons]] per lesson
# (grade new lesson NAME appends one). Paths are relative to this file.

[course]
name = $name
title = $title
packages = ["numpy", "sympy"]
''')

LESSON_ENTRY = Template('''
[[lessons]]
name = $name
number = $number
title = $title
checks = "checks/$module.py"
hidden = "checks/hidden/$module.py"
reference = "solutions/$module.py"
mistakes = "solutions/mistakes/$module.py"
''')

COURSE_README = Template('''\
# $title

A course graded by gradekit (`grade --help`). For its authors:

| path | what |
|---|---|
| `course.toml` | the manifest: the course's name, the packages students may import, its lessons |
| `solutions/` | each lesson's reference solution; what students write sits between `# BEGIN SOLUTION` and `# END SOLUTION` |
| `solutions/mistakes/` | known wrong versions of a task, to name a student's mistake |
| `checks/` | each lesson's tasks: points, the sentence students see, the public cases, the known mistakes |
| `checks/hidden/` | each lesson's hidden cases, run only when you grade (never shipped) |
| `exercises/`, `notebooks/` | the students' stubs and notebooks, written by `grade stubs` (do not edit) |

```bash
grade new lesson lesson1_linear            # scaffold a lesson (reference, checks, mistakes, stub, notebook)
grade check solutions/lesson1_linear.py    # the reference: full marks
grade stubs                                # after editing a reference: the students' files again
grade check exercises/lesson1_linear.py    # the stubs: 0, "not implemented"
grade course test                          # the course's self-test, for its CI
grade release ../$name-student             # the student kit (public checks only, no reference)
grade gradescope autograder.zip            # the Gradescope autograder (every check)
grade batch submissions/ --out graded/     # grade a class's submissions
```
''')

SOLUTIONS_PACKAGE = '''"""The reference solutions of the course's lessons (never shipped to students)."""
'''

MISTAKES_PACKAGE = '''"""Known wrong versions of the course's tasks, used to name a student's mistake (never shipped)."""
'''

REFERENCE = Template('''\
"""Lesson $number: $title.

The model predicts ŷ = w·x from one input x with one weight w; the loss of one
sample (x, y) is the squared error (ŷ − y)².

(A worked example written by grade new lesson: replace it with your lesson.
Students read this docstring and each function's in their stub and notebook;
the code between the solution markers is what they write.)
"""

from __future__ import annotations

import sympy as sp


def predict(x: float, w: float) -> float:
    """The prediction ŷ = w·x for the input x with the weight w, as a float."""
    # BEGIN SOLUTION
    return w * x
    # END SOLUTION


def dloss_dw():
    """The derivative ∂loss/∂w of loss = (w·x − y)², as a formula in x, y and w.

    Return a sympy expression (from sympy.symbols("x y w")) or a string such as
    "x*w - y". Any algebraically equal form is accepted.
    """
    # BEGIN SOLUTION
    x, y, w = sp.symbols("x y w")
    return 2 * x * (w * x - y)
    # END SOLUTION
''')

CHECKS = Template('''\
"""Lesson $number checks: the tasks of solutions/$module.py, their points and their public cases.

Students get this file; the hidden cases are in checks/hidden/$module.py, which they never get.
grade check solutions/$module.py grades the reference with both (full marks when all is well).
"""

from __future__ import annotations

import sympy

from grader.checks import Task, Value, case, derivative

x, y, w = sympy.symbols("x y w")

TASKS = (
    # Task(function of the reference, points, the sentence students see, how it is judged, cases).
    # Value(): the return value is compared with the reference's, case by case. A case holds the
    # arguments of one call: case(2.0, 3.0) is predict(2.0, 3.0). Add a case by adding a case(...);
    # the right answer always comes from the reference.
    Task("predict", 1, "predict(x, w) returns the prediction w·x", Value(), (
        case(2.0, 3.0), case(-1.5, 4.0), case(0.0, 7.0),
    )),
    # derivative(loss, variable, the symbols the answer is written in): the student's formula must
    # equal sympy's derivative of the loss; no case and no reference code needed.
    Task("dloss_dw", 2, "dloss_dw() is the derivative ∂loss/∂w in x, y, w",
         derivative((w * x - y) ** 2, w, "x y w")),
)

# A training loop that returns one record (a dict) per step is judged with History(keys, layout):
# its records are compared with the reference's on those keys, and the first step that differs is
# shown. The layout says what record k is; its numbers are argument positions in the call
# (train(xs, ys, w, lr, epochs): xs is 0, ys 1, epochs 4 or -1):
#   per_sample(data="xs", targets="ys", epochs="epochs")  one record per sample per epoch (SGD)
#   per_epoch(epochs="epochs")                            one record per epoch (full-batch gradient descent)
# A mistake is named when a student's values match the values of a wrong version: write the wrong
# function in solutions/mistakes/$module.py (train_loss_before_update below) and declare it with
# variant(id, function, the hint students read). Some mistakes need no code: ascent(lr=3) is the
# reference with the learning rate (argument 3) negated, epochs_off(epochs=4) one epoch more or less.
#
# from grader.checks import History, per_sample
# from grader.diagnosis import ascent, epochs_off, variant
#
#     Task("train", 4, "train(xs, ys, w, lr, epochs) follows SGD step by step",
#          History(("epoch", "w", "loss"), per_sample(data="xs", targets="ys", epochs="epochs")), (
#         case([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], 0.0, 0.01, 5, label="y = 2x"),
#     ), mistakes=(
#         ascent(lr=3), *epochs_off(epochs=4),
#         variant("loss_before_update", "train_loss_before_update",
#                 "the loss is recorded before the update: compute it with the new w"),
#     )),
''')

HIDDEN = Template('''\
"""Hidden cases of lesson $number: never shipped to students (a release leaves this file out).

Each task's cases here run after its public ones when you grade (grade batch, the Gradescope
autograder); feedback never shows their inputs, so hard-coding the public answers does not pass.
Add one as in checks/$module.py: a case(...) in the task's tuple.
"""

from __future__ import annotations

from grader.checks import case

CASES = {
    "predict": (
        case(0.75, -2.0),
    ),
}
''')

MISTAKES = Template('''\
"""Known wrong versions of lesson $number's tasks, to name a student's mistake (never shipped to students).

Write each as a near-copy of the reference with one typical mistake, under a name
of its own, importing what it needs from the reference::

    from solutions.$module import predict

    def train_loss_before_update(xs, ys, w, lr, epochs):
        ...  # as the reference's train, but records the loss before the step instead of after it

then declare it on its task in checks/$module.py::

    mistakes=(variant("loss_before_update", "train_loss_before_update", "the hint students read"),)

A student whose values match the variant's on a case is told the hint.
"""
''')
