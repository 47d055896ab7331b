"""The reference solutions of the course's lessons (never shipped to students)."""
