"""Small errors are explained, not shrugged off (issue 16, item 4).

A relative error beyond the tolerance but below 1e-4 is far beyond float64
rounding: the feedback says so and names the task's usual causes of such
errors (its own, or the kit's), graded through ``grade check`` on the reference
solutions with one function changed at the end of the file.  A larger error,
a right answer and a hidden case read as before.
"""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, grade

L5, L6 = "lesson5_optimizers", "lesson6_linear_layer"
FAR_BEYOND = ("is small, but far beyond rounding: float64 rounds at about 1e-16 and the grader allows 1e-06, "
              "so your computation differs from the right one somewhere.")
KIT_CAUSES = ("an error this small usually comes from a constant slightly off (eps, a learning rate), "
              "float32 instead of float64, or a formula rearranged in a way that loses precision")

ADAM_EPS = """
class Adam(Adam):
    def __init__(self, lr=0.001, betas=(0.9, 0.999), eps={eps}):
        super().__init__(lr, betas, eps)
"""
SCALED = """
_right_{name} = {name}


def {name}(*args):
    result = _right_{name}(*args)
    return {scaled}
"""


def submission(folder: Path, lesson: str, change: str = "") -> Path:
    """The reference solution of ``lesson`` with ``change`` appended, written in ``folder``."""
    path = folder / f"{lesson}.py"
    path.write_text((ROOT / "solutions" / f"{lesson}.py").read_text(encoding="utf-8") + change, encoding="utf-8")
    return path


def check(path: Path, task: str) -> str:
    """What ``grade check PATH --task TASK`` prints."""
    result = grade("check", str(path), "--task", task)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def test_adam_with_eps_off_is_far_beyond_rounding_and_names_the_optimizers_causes(tmp_path: Path) -> None:
    out = check(submission(tmp_path, L5, ADAM_EPS.format(eps=1e-2)), "Adam")
    assert "Adam #1 (defaults), step 1: [0] expected 0.3465841921, got 0.3465765768 (relative error 2.2e-05)\n" \
           f"        A relative error of 2.2e-05 {FAR_BEYOND}" in out
    assert ("an error this small usually comes from eps of another value (PyTorch's default is 1e-8, 1e-10 for "
            "Adagrad), eps in another place (it is added after the square root), a missing bias correction, the "
            "bias correction off by one step (t counts the steps taken, this one included), or float32 instead "
            "of float64") in out


def test_a_value_near_miss_names_the_gradients_causes(tmp_path: Path) -> None:
    out = check(submission(tmp_path, L6, SCALED.format(name="linear_backward",
                                                       scaled="result[0] * (1 + 1e-5), result[1]")), "linear_backward")
    assert "(relative error 1.0e-05)\n" f"        A relative error of 1.0e-05 {FAR_BEYOND}" in out
    assert ("an error this small usually comes from a mean over the wrong count (the inputs, or out − 1, in place "
            "of the out outputs), float32 instead of float64, or a formula rearranged in a way that loses "
            "precision") in out


def test_a_task_without_causes_of_its_own_gets_the_kits(tmp_path: Path) -> None:
    out = check(submission(tmp_path, L6, SCALED.format(name="mse_loss", scaled="result * (1 + 1e-5)")), "mse_loss")
    assert f"A relative error of 1.0e-05 {FAR_BEYOND}" in out
    assert KIT_CAUSES in out


def test_a_value_off_by_1e_3_is_a_plain_wrong_value(tmp_path: Path) -> None:
    out = check(submission(tmp_path, L6, SCALED.format(name="mse_loss", scaled="result * (1 + 1e-3)")), "mse_loss")
    assert "FAIL  mse_loss" in out and "(relative error 1.0e-03)" in out
    assert "far beyond rounding" not in out and "usually comes from" not in out


def test_an_exact_pass_is_unchanged(tmp_path: Path) -> None:
    out = check(submission(tmp_path, L5), "Adam")
    assert "PASS  Adam    4/4  Adam(lr, betas, eps) follows torch.optim.Adam" in out
    assert "rounding" not in out and "usually comes from" not in out


def test_a_hidden_near_miss_says_only_the_kits_words(tmp_path: Path) -> None:
    """eps = 1.1e-8 passes the public cases and misses the hidden tiny gradients by about 6e-5 relative: the
    student reads that case's label, and neither the sentence, the causes, nor a number of their run."""
    out = check(submission(tmp_path, L5, ADAM_EPS.format(eps=1.1e-8)), "Adam")
    assert ("FAIL  Adam    0/4  Adam(lr, betas, eps) follows torch.optim.Adam  [hidden check failed]\n"
            "        a hidden check (tiny gradients (1e-9)) failed: your code returned a wrong answer. It passes "
            "the public cases, so test it on other data too\n") in out
    assert "rounding" not in out and "usually comes from" not in out and "relative error" not in out
