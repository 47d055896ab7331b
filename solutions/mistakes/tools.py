"""Ways to build a wrong version from the reference, changing it in one place only."""

from __future__ import annotations

import types
from typing import Any, Callable, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])


def rebind(function: F, doc: str, **helpers: Callable[..., Any]) -> F:
    """``function`` unchanged, except that it calls ``helpers`` instead of the module's functions of those names."""
    changed = types.FunctionType(function.__code__, {**function.__globals__, **helpers}, function.__name__,
                                 function.__defaults__, function.__closure__)
    changed.__kwdefaults__ = function.__kwdefaults__
    changed.__doc__ = doc
    return cast(F, changed)


def sharing_state(cls: type, doc: str, *names: str) -> type:
    """A subclass of ``cls`` whose attributes ``names`` hold one value for all its instances.

    It behaves like a student's class that keeps its state in a global or a class-level
    dict: each instance has its own settings, but the state is common.  The reference
    sets the state in ``__init__``, so every run starts from a clean state.
    """
    shared: dict[str, Any] = {}

    def attribute(name: str) -> property:
        return property(lambda self: shared[name], lambda self, value: shared.__setitem__(name, value))

    return type(cls.__name__, (cls,), {"__doc__": doc, **{name: attribute(name) for name in names}})
