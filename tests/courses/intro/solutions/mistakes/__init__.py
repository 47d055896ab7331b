"""Known wrong versions of the course's tasks, used to name a student's mistake (never shipped)."""
