"""The lesson 1 reference reproduces every number printed in the seeds, exactly."""

from __future__ import annotations

from solutions import lesson1_linear as L1


def test_seed_000_first_four_gradients_and_epochs_exactly():
    history = L1.train([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0], 1.0, 0.01, 5)
    assert [r["grad"] for r in history[:4]] == [-2.0, -7.84, -16.2288, -23.657984]
    assert history[3]["w"] == 1.4972678400000001
    assert history[3]["loss"] == 4.043833995172248
    assert history[-1]["w"] == 1.9678868180008364
    assert history[-1]["loss"] == 0.016500103329782457
    assert len(history) == 20


def test_seed_004_progress_lines():
    history = L1.train([1, 2, 3], [2, 4, 6], 1.0, 0.01, 50)
    end_of_epoch = {r["epoch"]: r for r in history if r["x"] == 3}
    assert round(end_of_epoch[0]["w"], 2) == 1.26 and round(end_of_epoch[0]["loss"], 6) == 4.91924
    assert round(end_of_epoch[10]["w"], 2) == 1.96 and round(end_of_epoch[10]["loss"], 6) == 0.011707


def test_prediction_after_training_matches_seed():
    history = L1.train([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0], 1.0, 0.01, 5)
    assert L1.forward(4, history[-1]["w"]) == 7.871547272003346


def test_record_keys_and_epochs():
    history = L1.train([1.0, 2.0], [2.0, 4.0], 0.0, 0.1, 3)
    assert [r["epoch"] for r in history] == [0, 0, 1, 1, 2, 2]
    assert set(history[0]) == {"epoch", "x", "y", "grad", "w", "loss"}


def test_symbolic_answer_is_the_derivative():
    import sympy

    x, y, w = sympy.symbols("x y w")
    assert sympy.expand(L1.dloss_dw() - sympy.diff((x * w - y) ** 2, w)) == 0
