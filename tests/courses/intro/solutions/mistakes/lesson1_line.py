"""Known wrong versions of lesson 1's tasks (none yet: the derivative's mistakes are named by the grader)."""
