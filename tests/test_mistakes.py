"""Known mistakes are named: student-style wrong submissions get the mistake's id, right ones pass.

Each folder of ``tests/students/<lesson>/`` is one student's file, graded through
the Python API: ``<mistake_id>/`` makes that one mistake in every task it
concerns, ``correct_<style>/`` is right, written in another style than the
reference (loops or vectorised, in place or copying, another algebraic order).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from grader.checks import Lesson, Task
from grader.courses import builtin
from grader.grading import diagnose, grade_path
from grader.reference import Reference
from grader.results import TaskResult

LESSONS = builtin().lessons

STUDENTS = Path(__file__).resolve().parent / "students"
REFERENCE = Reference(builtin())  # one for the whole file: each case's answers and mistakes are computed once

L2, L3, L4 = "lesson2_two_weights", "lesson3_quadratic", "lesson4_regression"
L5, L6 = "lesson5_optimizers", "lesson6_linear_layer"


def named(lesson: str, folders: str, *tasks: str, mistake: str = "") -> list[tuple[str, str, str, str]]:
    """Rows of NAMED: each of ``folders`` makes its mistake (the folder's name unless given) in each of ``tasks``."""
    return [(lesson, folder, task, mistake or folder) for folder in folders.split() for task in tasks]


HISTORIES_4 = ("batch_gd", "sgd", "minibatch_gd")
OPTIMIZERS = ("Momentum", "Adagrad", "RMSprop", "Adam")

NAMED = [  # (lesson, folder, task, the mistake it must be named)
    *named(L2, "ascent sequential_update lr_scaled", "step"),
    *named(L2, "loss_before_update one_epoch_too_many one_epoch_too_few shuffled", "train"),
    *named(L3, "ascent shuffled sequential_update bias_not_updated loss_before_update one_epoch_too_many "
               "one_epoch_too_few lr_scaled", "train"),
    *named(L4, "sum_instead_of_mean", "mse_gradients"),
    *named(L4, "ascent bias_not_updated loss_before_update one_epoch_too_many one_epoch_too_few lr_scaled aliasing",
           *HISTORIES_4),
    *named(L4, "shuffled", "sgd"), *named(L4, "last_batch_dropped", "minibatch_gd"),
    *named(L5, "ascent one_iteration_too_many one_iteration_too_few lr_scaled", "gradient_descent"),
    *named(L5, "starting_point_recorded", "gradient_descent", "minimize"),
    *named(L5, "one_step_too_many one_step_too_few aliasing", "minimize"),
    *named(L5, "momentum_dampening", "Momentum"),
    *named(L5, "momentum_dampening_after_first_step", "Momentum", mistake="momentum_dampening"),
    *named(L5, "no_bias_correction", "Adam"), *named(L5, "eps_inside_sqrt", "Adagrad", "RMSprop", "Adam"),
    *named(L5, "shared_state", *OPTIMIZERS),
    *named(L6, "sum_instead_of_mean", "linear_backward"),
    *named(L6, "ascent loss_after_update one_epoch_too_many one_epoch_too_few lr_scaled aliasing", "train_linear"),
]

FOLLOWED = [  # (lesson, folder, task, the wrong function it calls): the mistake is that function's alone, so the
    # task, graded again with the right one in its place (follow-through), passes and says so
    *((L2, folder, "train", "step") for folder in ("ascent", "sequential_update", "lr_scaled")),
    (L4, "sum_instead_of_mean", "batch_gd", "mse_gradients"), (L4, "sum_instead_of_mean", "minibatch_gd", "mse_gradients"),
    (L6, "sum_instead_of_mean", "train_linear", "linear_backward"),
]

CORRECT = [
    (L2, "correct_inline", ("step", "train")),
    (L3, "correct_vectorised", ("forward", "gradients", "train")),
    (L4, "correct_loops", ("mse", "mse_gradients", *HISTORIES_4)),
    (L4, "correct_vectorised", ("mse", "mse_gradients", *HISTORIES_4)),
    (L5, "correct_state_dict", ("gradient_descent", "SGD", *OPTIMIZERS, "minimize")),
    (L6, "correct_loops", ("linear_forward", "mse_loss", "linear_backward", "train_linear")),
]

# A mistake whose values equal an earlier one's on some case, so that case names the earlier one:
# (task, case, reproduced mistake, name given).  Two outputs make "sum instead of mean" a doubled
# learning rate; a start at the minimum makes every gradient-descent mistake a list of 3.0; Adam's bias
# correction off by one step and eps inside the root, together, are the first alone where eps is too small
# to matter, and the second alone where the gradients are too small for the bias correction to show.
ADAM_PAIR = "bias_correction_off_by_one_and_eps_inside_sqrt"
AMBIGUOUS = {
    *((f"{L6}.train_linear", case, "lr_scaled", "sum_instead_of_mean") for case in (0, 3)),
    (f"{L5}.gradient_descent", 3, "one_iteration_too_many", "starting_point_recorded"),
    *((f"{L5}.Adam", case, ADAM_PAIR, "bias_correction_off_by_one") for case in (1, 2, 6)),
    (f"{L5}.Adam", 4, ADAM_PAIR, "eps_inside_sqrt"),
}


@cache
def graded(lesson: str, folder: str) -> dict[str, TaskResult]:
    """The results of one student's file on the tasks the tables check in it."""
    tasks = {task for *where, task, _ in (*NAMED, *FOLLOWED) if where == [lesson, folder]}
    tasks |= {task for *where, some in CORRECT if where == [lesson, folder] for task in some}
    report = grade_path(STUDENTS / lesson / folder, tasks=sorted(f"{lesson}.{t}" for t in tasks),
                        reference=REFERENCE)
    return {result.task: result for graded_lesson in report.lessons for result in graded_lesson.tasks}


@pytest.mark.parametrize(("lesson", "folder", "task", "mistake"), NAMED)
def test_student_mistake_is_named(lesson: str, folder: str, task: str, mistake: str) -> None:
    result = graded(lesson, folder)[task]
    assert (result.status, result.mistake) == ("failed", mistake), result.feedback
    assert result.summary == mistake.replace("_", " ")


@pytest.mark.parametrize(("lesson", "folder", "task", "used"), FOLLOWED)
def test_a_task_right_but_for_a_wrong_function_it_calls_is_followed_through(lesson: str, folder: str, task: str,
                                                                              used: str) -> None:
    result = graded(lesson, folder)[task]
    assert (result.status, result.score, result.served) == ("passed", result.max_score, (used,)), result.feedback
    assert result.summary == f"right; your {used} is wrong"
    assert result.feedback.startswith(f"Your `{task}` is right; it used your `{used}`, which is wrong (see {used}).")


@pytest.mark.parametrize(("lesson", "folder", "tasks"), CORRECT)
def test_correct_student_in_another_style_passes(lesson: str, folder: str, tasks: tuple[str, ...]) -> None:
    results = graded(lesson, folder)
    assert {task: results[task].feedback for task in tasks if not results[task].passed} == {}


TASKS_WITH_MISTAKES = [(lesson, task) for lesson in LESSONS.values() for task in lesson.tasks if task.mistakes]


@pytest.mark.parametrize(("lesson", "task"), TASKS_WITH_MISTAKES,
                         ids=[f"{lesson.name}.{task.name}" for lesson, task in TASKS_WITH_MISTAKES])
def test_every_mistake_is_reproduced_and_named_by_its_own_values(lesson: Lesson, task: Task) -> None:
    for index, case in enumerate(task.cases):
        expected = REFERENCE.expected(lesson, task, index)
        reproduced = REFERENCE.mistakes(lesson, task, index)
        assert [m for m, _ in reproduced] == [m for m in task.mistakes if not m.seen], f"case {index}"
        for mistake, values in reproduced:
            verdict = task.kind.judge(expected, values, task.name, case)
            if verdict.passed:  # this case cannot tell the mistake from the right answer
                continue
            name = diagnose(verdict, lesson, task, index, values, REFERENCE).mistake
            assert name == mistake.id or (f"{lesson.name}.{task.name}", index, mistake.id, name) in AMBIGUOUS, (
                f"case {index}: {mistake.id} ({mistake.hint}) is named {name}")


def test_mistake_hints_are_unique_per_task() -> None:
    """Stored answers key a mistake by its id and hint: two entries of a task must differ in one of them."""
    for lesson, task in TASKS_WITH_MISTAKES:
        keys = [(m.id, m.hint) for m in task.mistakes]
        assert len(keys) == len(set(keys)), f"{lesson.name}.{task.name}"
