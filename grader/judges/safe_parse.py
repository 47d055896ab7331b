"""Untrusted answer text → sympy expression, without eval, exec or sympify.

The text is read by Python's :mod:`ast` parser and the tree is walked with a
whitelist: numbers, the task's symbols, ``+ - * / **`` (``^`` too), unary signs,
brackets, the functions in :data:`FUNCTIONS` and the constants ``E`` and ``pi``,
with an optional ``sympy.``, ``sp.``, ``np.``, ``numpy.`` or ``math.`` prefix (``np.e``, ``np.maximum`` as
NumPy spells them); ``sigmoid(z)`` reads as
``1/(1 + exp(-z))`` (:func:`sigmoid`). Decimals become exact fractions from
their text (``0.33`` → 33/100). Every size limit is checked before sympy computes
anything (exponentials nested too deep are refused as the tree is read, before
sympy builds them), so no answer can make the parser hang or exhaust memory.
"""

from __future__ import annotations

import ast
import difflib
import math
import operator
import re
import warnings
from collections.abc import Callable, Sequence
from decimal import Decimal

import sympy

MAX_LENGTH = 5000  # characters
MAX_BRACKET_DEPTH = 100  # nested brackets, counted on the raw text
MAX_NODES = 2000  # syntax-tree nodes
MAX_TREE_DEPTH = 150  # syntax-tree levels
MAX_DIGITS = 50  # digits of one number as written
MAX_EXPONENT = 10_000  # size of a numeric exponent
MAX_RESULT_BITS = 3_400  # a power of numbers may give at most ~1000 digits
MAX_EXPONENTIAL_NESTING = 3  # exp(exp(exp(x))) is the most allowed

CONSTANTS: dict[str, sympy.Expr] = {"E": sympy.E, "pi": sympy.pi}
PREFIXES = frozenset({"sympy", "sp", "numpy", "np", "math"})  # a prefix a student may write before a known name
NUMERIC = frozenset({"numpy", "np", "math"})  # the prefixes whose spellings ALIASES reads
ALIASES = {"e": "E", "maximum": "Max", "minimum": "Min", "absolute": "abs", "fabs": "abs", "arcsin": "asin",
           "arccos": "acos", "arctan": "atan"}  # NumPy's and math's spellings of known names
CALCULUS = frozenset({"diff", "Derivative", "integrate", "Integral", "Subs", "limit", "Limit"})
_ANY = 10_000  # "any number of arguments"


class AnswerError(ValueError):
    """An answer that cannot be read; the message is shown to a beginner as is.

    ``mistake`` names a known mistake when there is one (``"used_diff"``).
    """

    def __init__(self, message: str, mistake: str | None = None) -> None:
        super().__init__(message)
        self.mistake = mistake


def _power(base: sympy.Expr, exponent: sympy.Expr, where: str) -> sympy.Expr:
    """``base**exponent``, refused when sympy would compute a huge number."""
    if exponent.is_Rational:
        if abs(exponent) > MAX_EXPONENT:
            raise AnswerError(f"in {where} the exponent is too large (the limit is {MAX_EXPONENT})")
        if base.is_number and abs(exponent) * _bits(base) > MAX_RESULT_BITS:
            raise AnswerError(f"{where} is too large a number to work with (more than 1000 digits)")
    return sympy.Pow(base, exponent)


def _bits(number: sympy.Expr) -> float:
    """Roughly how many bits sympy needs to write a number it computes exactly."""
    if number.is_Rational:
        return math.log2(max(abs(int(number.p)), int(number.q)))
    if number.is_Pow and number.exp.is_Rational:
        return abs(number.exp) * _bits(number.base)
    if number.is_Mul:
        return sum(_bits(factor) for factor in number.args)
    return 0  # pi, E, sums and functions of numbers stay unevaluated


def sigmoid(z: sympy.Expr) -> sympy.Expr:
    """The logistic function σ(z) = 1/(1 + exp(−z)), as the judge reads ``sigmoid(z)``."""
    return 1 / (1 + sympy.exp(-z))


def _plain(function: Callable[..., sympy.Expr]) -> Callable[..., sympy.Expr]:
    """A sympy function called as ``make(*args, where=text)`` like the power-building ones."""
    return lambda *args, where: function(*args)


# name -> (how to build it from its arguments, fewest arguments, most arguments)
FUNCTIONS: dict[str, tuple[Callable[..., sympy.Expr], int, int]] = {
    "exp": (_plain(sympy.exp), 1, 1),
    "log": (_plain(sympy.log), 1, 2),
    "ln": (_plain(sympy.log), 1, 1),
    "sigmoid": (_plain(sigmoid), 1, 1),
    "sqrt": (lambda x, where: _power(x, sympy.S.Half, where), 1, 1),
    "square": (lambda x, where: _power(x, sympy.Integer(2), where), 1, 1),
    "power": (lambda x, n, where: _power(x, n, where), 2, 2),
    "root": (lambda x, n, where: _power(x, 1 / n, where), 2, 2),
    "Abs": (_plain(sympy.Abs), 1, 1),
    "abs": (_plain(sympy.Abs), 1, 1),
    "sign": (_plain(sympy.sign), 1, 1),
    "Heaviside": (_plain(sympy.Heaviside), 1, 1),
    "Max": (_plain(sympy.Max), 1, _ANY),
    "Min": (_plain(sympy.Min), 1, _ANY),
    **{name: (_plain(getattr(sympy, name)), 1, 1) for name in (
        "sin", "cos", "tan", "cot", "sec", "csc", "asin", "acos", "atan",
        "sinh", "cosh", "tanh", "coth", "sech", "csch", "asinh", "acosh", "atanh")},
}

SPECIAL_NAMES = {
    "zoo": "your answer contains zoo, which sympy writes for a division by zero",
    "nan": "your answer contains nan (not a number), which usually comes from 0/0",
    "oo": "your answer contains oo (infinity); a derivative here is a finite formula",
    "I": "your answer contains I (the imaginary unit); derivatives here are real formulas",
}

_UNICODE = str.maketrans({"−": "-", "·": "*", "×": "*", "²": "**2", "³": "**3"})
_IMPLICIT_PRODUCT = re.compile(r"\d[A-Za-z_]|[\w)]\s+[\w(]")
_LONG_NUMBER = re.compile(r"\d{%d,}" % (MAX_DIGITS + 1))
_EXPONENTIAL = (sympy.exp, sympy.sinh, sympy.cosh)
_EXPONENTIAL_CALLS = frozenset({"exp", "sinh", "cosh", "sigmoid"})  # the functions that build one of those
_NOT_ALLOWED = {
    ast.Compare: "comparisons (==, <, >) are not allowed: give only the formula",
    ast.BoolOp: "'and'/'or' are not allowed: give only the formula",
    ast.IfExp: "'if ... else' is not allowed: give only the formula",
    ast.Subscript: "indexing such as x[0] is not allowed: use the task's symbol names",
    ast.Lambda: "lambda is not allowed: give the formula itself",
    ast.Tuple: "give one formula, not several separated by commas",
    ast.List: "give one formula, not a list",
    ast.Set: "give one formula, not a set",
    ast.Dict: "give one formula, not a dictionary",
    ast.ListComp: "'for' loops (comprehensions) are not allowed: give the formula itself",
    ast.SetComp: "'for' loops (comprehensions) are not allowed: give the formula itself",
    ast.DictComp: "'for' loops (comprehensions) are not allowed: give the formula itself",
    ast.GeneratorExp: "'for' loops (comprehensions) are not allowed: give the formula itself",
    ast.JoinedStr: "text in quotes is not allowed: give the formula itself",
    ast.NamedExpr: "assignments (:=) are not allowed: give only the formula",
}
_OPERATIONS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_OTHER_OPERATORS = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|",
                    ast.LShift: "<<", ast.RShift: ">>", ast.Invert: "~", ast.Not: "not"}


def parse_answer(text: str, symbols: Sequence[sympy.Symbol] | None) -> sympy.Expr:
    """Read a student's formula safely.

    ``symbols`` are the task's symbols (matched by name; any other name is an
    error that names it). ``None`` lets any name be a symbol (for test data).
    Raises :class:`AnswerError` with a message for the student. The limits keep
    the work bounded, but sympy may still need a second or two to build a large
    answer (``Max`` of 100 sums): the derivative judge reads answers in its
    time-limited child process.
    """
    text = _check_text(text)
    tree = _read_tree(text)
    names = None if symbols is None else {s.name: sympy.Symbol(s.name) for s in symbols}
    try:
        expr = _Builder(text, names).build(tree.body)
        _check_result(expr)
    except (RecursionError, MemoryError):
        raise AnswerError("your answer is too large or too deeply nested to read") from None
    return expr


def _check_text(text: str) -> str:
    """Normalise the raw text and apply the limits that need no parsing."""
    if not isinstance(text, str):
        raise AnswerError(f"expected the formula as text, got {type(text).__name__}")
    text = " ".join(text.translate(_UNICODE).split()).replace("^", "**")
    if not text:
        raise AnswerError("your answer is empty")
    if len(text) > MAX_LENGTH:
        raise AnswerError(f"your answer is too long ({len(text)} characters; the limit is {MAX_LENGTH})")
    if _bracket_depth(text) > MAX_BRACKET_DEPTH:
        raise AnswerError(f"your answer has more than {MAX_BRACKET_DEPTH} brackets inside each other")
    if _LONG_NUMBER.search(text):
        raise AnswerError(f"a number in your answer has more than {MAX_DIGITS} digits")
    return text


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    return deepest


def _read_tree(text: str) -> ast.Expression:
    """Parse with Python's grammar and check the tree's size and depth."""
    try:
        with warnings.catch_warnings():  # "2(x)" warns "'int' object is not callable"
            warnings.simplefilter("ignore")
            tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        raise AnswerError(_syntax_message(text, error)) from None
    except (ValueError, RecursionError, MemoryError):
        raise AnswerError("your answer is too deeply nested, or has characters that cannot be read") from None
    nodes, depth = _tree_size(tree)
    if nodes > MAX_NODES or depth > MAX_TREE_DEPTH:
        raise AnswerError("your answer is too long or too deeply nested to check; write it more simply")
    return tree


def _syntax_message(text: str, error: SyntaxError) -> str:
    hints = []
    if _IMPLICIT_PRODUCT.search(text):
        hints.append("write * for every product (2*x, not 2x or 2 x)")
    if "=" in text:
        hints.append("give only the formula, without a name and '=' in front")
    return "could not read your answer: " + ("; ".join(hints) if hints else str(error.msg))


def _tree_size(tree: ast.AST) -> tuple[int, int]:
    """Number of nodes and depth of a syntax tree, without recursion."""
    nodes = deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        nodes += 1
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return nodes, deepest


def _check_result(expr: sympy.Expr) -> None:
    if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise AnswerError("your answer divides by zero (or is otherwise undefined)")
    if _exponential_nesting(expr) > MAX_EXPONENTIAL_NESTING:
        raise _nesting_error()


def _nesting_error() -> AnswerError:
    return AnswerError(f"your answer nests exponentials (exp, or powers with a symbol in the exponent) "
                       f"more than {MAX_EXPONENTIAL_NESTING} deep; write it more simply")


def _exponential_nesting(expr: sympy.Basic) -> int:
    inner = max((_exponential_nesting(arg) for arg in expr.args), default=0)
    exponential = isinstance(expr, _EXPONENTIAL) or (expr.is_Pow and bool(expr.exp.free_symbols))
    return inner + exponential


class _Builder:
    """Builds a sympy expression from a whitelisted syntax tree."""

    def __init__(self, text: str, names: dict[str, sympy.Symbol] | None) -> None:
        self.text = text
        self.names = names
        self.exponentials = 0  # exp-like calls around the node being built (refused before sympy nests them)

    def build(self, node: ast.AST) -> sympy.Expr:
        handlers = {ast.Constant: self._constant, ast.Name: self._name, ast.Attribute: self._attribute,
                    ast.UnaryOp: self._unary, ast.BinOp: self._binary, ast.Call: self._call}
        handler = handlers.get(type(node))
        if handler is None:
            raise AnswerError(_NOT_ALLOWED.get(type(node), f"'{self._source(node)}' is not allowed in a formula"))
        return handler(node)

    def _source(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.text, node) or ""

    def _constant(self, node: ast.Constant) -> sympy.Expr:
        value = node.value
        if isinstance(value, bool) or value is None or value is Ellipsis:
            raise AnswerError(f"{value!r} is not a number or a symbol")
        if isinstance(value, int):
            if value.bit_length() > MAX_DIGITS * 10 // 3:
                raise AnswerError(f"a number in your answer has more than {MAX_DIGITS} digits")
            return sympy.Integer(value)
        if isinstance(value, float):
            return _decimal(self._source(node))
        if isinstance(value, complex):
            raise AnswerError("complex numbers (such as 2j) are not used here")
        raise AnswerError("text in quotes is not allowed inside the formula")

    def _name(self, node: ast.Name) -> sympy.Expr:
        name = node.id
        if self.names is None:  # any name is a symbol, apart from the reserved ones
            return self._known(name) if name in _RESERVED else sympy.Symbol(name)
        return self.names[name] if name in self.names else self._known(name)

    def _known(self, name: str) -> sympy.Expr:
        """A name that is not a task symbol: a constant, or an error that explains it."""
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in CALCULUS:
            raise _calculus_error(name)
        if name in FUNCTIONS:
            raise AnswerError(f"{name} is a function: write {name}(...)")
        if name in SPECIAL_NAMES:
            raise AnswerError(SPECIAL_NAMES[name])
        raise AnswerError(_unknown_symbol(name, list(self.names or ())))

    def _attribute(self, node: ast.Attribute) -> sympy.Expr:
        name = _prefixed(node)
        if name in CONSTANTS or name in FUNCTIONS or name in CALCULUS:
            return self._known(name)
        raise self._attribute_error(node)

    def _attribute_error(self, node: ast.Attribute) -> AnswerError:
        return AnswerError(f"'{self._source(node)}' is not allowed: write plain names such as exp(...) or pi")

    def _unary(self, node: ast.UnaryOp) -> sympy.Expr:
        if isinstance(node.op, ast.USub):
            return -self.build(node.operand)
        if isinstance(node.op, ast.UAdd):
            return self.build(node.operand)
        raise _operator_error(node.op)

    def _binary(self, node: ast.BinOp) -> sympy.Expr:
        if not isinstance(node.op, (ast.Pow, *_OPERATIONS)):
            raise _operator_error(node.op)
        left, right = self.build(node.left), self.build(node.right)
        if isinstance(node.op, ast.Pow):
            return _power(left, right, self._source(node))
        return _OPERATIONS[type(node.op)](left, right)

    def _call(self, node: ast.Call) -> sympy.Expr:
        name = self._function_name(node.func)
        if name in CALCULUS:
            raise _calculus_error(name)
        if name not in FUNCTIONS:
            raise AnswerError(_unknown_function(name))
        make, least, most = FUNCTIONS[name]
        if node.keywords or any(isinstance(arg, ast.Starred) for arg in node.args):
            raise AnswerError(f"{name}(...) takes plain arguments only (no name=... or *)")
        if not least <= len(node.args) <= most:
            count = str(least) if least == most else f"{least} or {most}" if most < _ANY else f"at least {least}"
            raise AnswerError(f"{name}(...) takes {count} argument{'' if count.endswith('1') else 's'}, "
                              f"not {len(node.args)}")
        exponential = name in _EXPONENTIAL_CALLS
        self.exponentials += exponential
        if self.exponentials > MAX_EXPONENTIAL_NESTING:
            raise _nesting_error()
        args = [self.build(arg) for arg in node.args]
        self.exponentials -= exponential
        try:
            return make(*args, where=self._source(node))
        except AnswerError:
            raise
        except (ValueError, TypeError, ArithmeticError):  # sympy refuses, e.g. Max(sqrt(-1), 1)
            raise AnswerError(f"{self._source(node)} is not defined: {name}(...) cannot take that value") from None

    def _function_name(self, func: ast.AST) -> str:
        if isinstance(func, ast.Attribute):
            name = _prefixed(func)
            if name is not None:
                return name
            raise self._attribute_error(func)
        if isinstance(func, ast.Name) and not self._is_value(func.id):
            return func.id
        called = self._source(func) if isinstance(func, (ast.Name, ast.Constant)) else f"({self._source(func)})"
        raise AnswerError(f"{called}(...) reads as calling {called} like a function: "
                          f"to multiply, write {called}*(...)")

    def _is_value(self, name: str) -> bool:
        """Whether a name stands for a symbol or constant (so ``name(...)`` is a forgotten ``*``)."""
        return name in CONSTANTS or (name not in _RESERVED if self.names is None else name in self.names)


_RESERVED = frozenset(CONSTANTS) | frozenset(FUNCTIONS) | CALCULUS | frozenset(SPECIAL_NAMES)


def _prefixed(node: ast.Attribute) -> str | None:
    """The name that ``sympy.name``, ``np.name``, ``math.name`` (a prefix of :data:`PREFIXES`) stands for, in
    the parser's spelling (``np.e`` is ``E``, ``np.maximum`` is ``Max``); None without such a prefix."""
    if not (isinstance(node.value, ast.Name) and node.value.id in PREFIXES):
        return None
    return ALIASES.get(node.attr, node.attr) if node.value.id in NUMERIC else node.attr


def _decimal(text: str) -> sympy.Rational:
    """The exact value of a decimal as written: "0.33" → 33/100, "5.1e-2" → 51/1000."""
    value = Decimal(text.replace("_", ""))  # Python has already checked it is a float literal
    if abs(value.adjusted()) > MAX_DIGITS:
        raise AnswerError(f"the number {text} is too large or too small to work with")
    numerator, denominator = value.as_integer_ratio()
    return sympy.Rational(numerator, denominator)


def _operator_error(op: ast.AST) -> AnswerError:
    return AnswerError(f"the operator {_OTHER_OPERATORS.get(type(op), type(op).__name__)} is not allowed: "
                       f"use + - * / and ** (or ^) for powers")


def _calculus_error(name: str) -> AnswerError:
    return AnswerError(f"your answer uses {name}(...): differentiate by hand and write the result as a formula",
                       mistake="used_diff")


def _unknown_symbol(name: str, symbols: list[str]) -> str:
    message = f"{name} is not a symbol of this task"
    suggestion = _suggest(name, symbols + list(CONSTANTS))
    if suggestion:
        return f"{message}; did you mean {suggestion}?"
    return f"{message} (its symbols are {', '.join(symbols)})" if symbols else message


def _unknown_function(name: str) -> str:
    suggestion = _suggest(name, list(FUNCTIONS))
    if suggestion:
        return f"{name}(...) is not available in answers; did you mean {suggestion}?"
    return f"{name}(...) is not available in answers; you can use {', '.join(sorted(FUNCTIONS, key=str.lower))}"


def _suggest(name: str, candidates: list[str]) -> str | None:
    same_letters = [c for c in candidates if c.lower() == name.lower()]
    close = same_letters or difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return close[0] if close else None
