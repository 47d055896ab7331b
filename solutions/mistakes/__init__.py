"""Known wrong implementations of the course's tasks, used to name a student's mistake.

Each is a near-copy of the reference with one typical mistake, so, like the
reference, none of this is ever shipped to students.
"""
