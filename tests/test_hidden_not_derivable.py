"""Hidden inputs cannot be derived from what `grade release` ships (issue 13, finding 13).

A student holds the release: the course modules without their hidden cases.  From
them they can run every public generator: a module's random generators, continued
past the public draws; ``default_rng`` with a small seed (what a public helper such
as lesson 4's ``problem(seed, ...)`` or ``optimizer_case(..., seed=...)`` draws
from); and the module's own helpers called with small integer arguments.  They can
also shift and scale public data (``3.0 * X6 + 1.0``).  For every hidden case of
every lesson, none of its arrays may be found that way.

Before issue 13 this test failed twice over: lesson 6's hidden ``X3``, ``W13``,
``B1`` and ``T1`` were the next draws of the public ``default_rng(6)`` (found in its
continued stream), and lesson 4's hidden ``X7`` was ``problem(2, 7, 3)``'s (found among
the helper's outputs and in ``default_rng(2)``'s stream); ``3.0 * X6 + 1.0``, ``W9 + 1.0``
and ``-W24`` were affine in public arrays, and lesson 5's hidden schedules came from
``default_rng(3)`` to ``(6)``.  :func:`test_the_search_finds_what_the_old_course_leaked`
rebuilds those old inputs from the release and checks that the search finds them.
"""

from __future__ import annotations

import ast
import copy
import inspect
import itertools
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pytest

from grader.checks import Fn
from grader.courses import builtin
from grader.workflows.release import build_release

LESSONS = builtin().lessons

SEEDS = 256  # default_rng(0) ... default_rng(255): the small seeds
DRAWS = 4096  # per seed and distribution
CONTINUED = 1 << 16  # draws of a public generator past the ones the module made
SMALL = 10  # helpers are called with every integer argument in 0 ... 9
REL = 1e-9


def numeric_arrays(value: Any) -> Iterator[np.ndarray]:
    """Every array of numbers inside a case argument, flattened (lists, tuples, dicts and Fn params walked)."""
    if isinstance(value, Fn):
        yield from numeric_arrays(dict(value.params))
    elif isinstance(value, dict):
        for item in value.values():
            yield from numeric_arrays(item)
    elif isinstance(value, (np.ndarray, list, tuple)):
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError):  # a tuple of mixed things: walk into it
            yield from (a for item in value for a in numeric_arrays(item))
        else:
            if array.size:
                yield array.ravel()


def case_arrays(c: Any) -> list[np.ndarray]:
    return [a for value in (*c.args, dict(c.kwargs)) for a in numeric_arrays(value)]


class Finder:
    """Looks a hidden array up among public sources: as an affine image of a window of one, or (draws only) as is.

    An array of three numbers or more matches a window ``w`` of a source when it is ``a·w + c``
    (``a`` ≠ 0): the key ``(w[2] − w[0]) / (w[1] − w[0])`` of each window is indexed, so
    millions of draws are searched at once.  Shorter arrays are matched exactly, and only among
    random draws: one or two literal numbers are guessable anyway, and shared by chance.
    """

    def __init__(self, sources: list[np.ndarray], draws: list[np.ndarray]) -> None:
        self.sources = sources + draws
        self.draws = draws
        keys, where = [], []
        for index, s in enumerate(self.sources):
            with np.errstate(divide="ignore", invalid="ignore"):
                key = (s[2:] - s[:-2]) / (s[1:-1] - s[:-2])
            ok = np.flatnonzero(np.isfinite(key))
            keys.append(key[ok])
            where.append(np.stack([np.full(ok.size, index), ok], axis=1))
        order = np.argsort(np.concatenate(keys))
        self.keys = np.concatenate(keys)[order]
        self.where = np.concatenate(where)[order]
        self.values = np.sort(np.concatenate(draws))

    def found(self, h: np.ndarray) -> bool:
        """Whether ``h`` can be derived from the sources."""
        if h.size >= 3 and h[1] != h[0]:
            key = (h[2] - h[0]) / (h[1] - h[0])
            tol = REL * max(1.0, abs(key))
            lo, hi = np.searchsorted(self.keys, [key - tol, key + tol])
            return any(self._affine(h, self.sources[i][o:o + h.size]) for i, o in self.where[lo:hi])
        lo, hi = np.searchsorted(self.values, [h[0] - REL * abs(h[0]), h[0] + REL * abs(h[0])])
        if lo == hi:
            return False
        return any(d[o:o + h.size].size == h.size and np.allclose(d[o:o + h.size], h, rtol=REL, atol=0)
                   for d in self.draws for o in np.flatnonzero(np.isclose(d, h[0], rtol=REL, atol=0)))

    @staticmethod
    def _affine(h: np.ndarray, w: np.ndarray) -> bool:
        if w.size < h.size or w[1] == w[0]:
            return False
        a = (h[1] - h[0]) / (w[1] - w[0])
        return bool(np.allclose(a * w + (h[0] - a * w[0]), h, rtol=REL, atol=REL * np.abs(h).max()))


def released_namespaces(release: Path) -> dict[str, dict[str, Any]]:
    """Each lesson module of the release, run as a student would run it."""
    spaces = {}
    for name in LESSONS:
        path = release / builtin().files[name].checks
        namespace: dict[str, Any] = {"__name__": f"released_{name}"}
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # the kit's own course
        spaces[name] = namespace
    return spaces


def public_arrays(namespace: dict[str, Any]) -> Iterator[np.ndarray]:
    """The module's data and its public cases' arguments."""
    for value in namespace.values():
        yield from numeric_arrays(value)
    for task in namespace["TASKS"]:
        for c in task.cases:
            yield from case_arrays(c)


def helper_outputs(namespace: dict[str, Any]) -> Iterator[np.ndarray]:
    """What each function of the module whose parameters are integers returns for small ones."""
    for function in (v for v in namespace.values() if inspect.isfunction(v) and v.__module__ == namespace["__name__"]):
        params = [p for p in inspect.signature(function).parameters.values() if p.default is p.empty]
        if not params or any(p.annotation != "int" for p in params):
            continue
        for args in itertools.product(range(SMALL), repeat=len(params)):
            yield from numeric_arrays(function(*args))


def random_draws(spaces: dict[str, dict[str, Any]]) -> Iterator[np.ndarray]:
    """The public generators continued, and default_rng of every small seed, as normal and uniform draws."""
    public = [v for space in spaces.values() for v in space.values() if isinstance(v, np.random.Generator)]
    for rng, count in [(g, CONTINUED) for g in public] + [(np.random.default_rng(s), DRAWS) for s in range(SEEDS)]:
        yield copy.deepcopy(rng).standard_normal(count)
        yield copy.deepcopy(rng).random(count)


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    return build_release(out=tmp_path_factory.mktemp("release") / "kit")


@pytest.fixture(scope="module")
def spaces(release) -> dict[str, dict[str, Any]]:
    return released_namespaces(release)


@pytest.fixture(scope="module")
def finder(spaces) -> Finder:
    sources = [a for space in spaces.values() for a in (*public_arrays(space), *helper_outputs(space))]
    return Finder(sources, list(random_draws(spaces)))


def hidden_cases() -> Iterator[tuple[str, str, int, Any]]:
    for lesson in LESSONS.values():
        for task in lesson.tasks:
            for index, c in enumerate(task.cases):
                if c.hidden:
                    yield lesson.name, task.name, index, c


def test_no_array_of_a_hidden_case_can_be_derived_from_the_release(finder):
    found = [f"{lesson}.{task} case {index}: array {k} {np.round(a[:4], 4)}"
             for lesson, task, index, c in hidden_cases() for k, a in enumerate(case_arrays(c)) if finder.found(a)]
    assert sum(1 for _ in hidden_cases()) >= 69  # every hidden case of the six lessons was looked at
    assert found == []


def test_the_search_finds_what_the_old_course_leaked(finder, spaces):
    """The hidden inputs of the course before issue 13, rebuilt from the release, are found."""
    l4, l6 = spaces["lesson4_regression"], spaces["lesson6_linear_layer"]
    after_public = copy.deepcopy(l6["rng"])  # lesson 6's old hidden W13, B1, X3, T1 were its next draws
    w13, b1, x3, t1 = (after_public.normal(size=n) for n in (3, 1, 3, 1))
    x7, _, w7 = l4["problem"](2, 7, 3)
    old = [w13, b1, x3, t1, x7, w7, 3.0 * l4["X6"] + 1.0, l4["W9"] + 1.0, -l6["W24"],
           np.random.default_rng(3).normal(size=(2, 2))]  # lesson 5's old hidden schedule, seed=3
    assert [k for k, a in enumerate(old) if not finder.found(a.ravel())] == []


def seeds(source: str) -> dict[str, set[str]]:
    """The integer literals of a course module large enough to be seeds (no count, size or epoch comes near
    :data:`SEEDS`; smaller seeds are searched above), each with the ways it could be written."""
    return {ast.get_source_segment(source, n) or "": {str(n.value), hex(n.value), f"{n.value:_}", f"{n.value:_x}"}
            for n in ast.walk(ast.parse(source))
            if isinstance(n, ast.Constant) and type(n.value) is int and n.value >= SEEDS}


def test_the_hidden_seeds_are_not_in_the_release(release):
    hidden: dict[str, set[str]] = {}
    for path in (builtin().path(p) for f in builtin().files.values() for p in (f.checks, f.hidden) if p):
        hidden.update(seeds(path.read_text(encoding="utf-8")))
    assert len(hidden) >= 3  # lessons 4, 5 and 6 draw their hidden data from seeds of their own
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in release.rglob("*") if p.is_file()).lower()
    assert [s for s, ways in hidden.items() if any(way.lower() in text for way in ways | {s})] == []
