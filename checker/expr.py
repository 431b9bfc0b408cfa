"""Rule conditions: a tiny, safe expression language.

Some rules carry a condition such as::

    plan_year == report_year + 1
    publication_date <= date(report_year + 1, deadline_month, deadline_day)
    year(document_date) != report_year
    not (a > 3 and b < 2) or c == 0

The source is parsed (LALR, by lark) into a tree of plain NamedTuples and evaluated by
the tree walker in this module; a plain reader of this module parses what rule files write
without importing lark, and hands lark anything else (``_Plain``). Nothing is ever handed
to Python's ``eval``: there are no attribute access, no indexing, no strings, no imports
and no user-defined functions, so a rule cannot run code.

Values
    ``int``, ``bool`` (``true``/``false``), ``date``, and *unknown* (``None``): a fact the
    document lacks.

Syntax, loosest binding first
    ``a or b``                      boolean or
    ``a and b``                     boolean and
    ``not a``                       boolean not
    ``a == b`` ``!=`` ``<`` ``<=`` ``>`` ``>=``   comparison
    ``a + b`` ``a - b``             addition, subtraction (left-associative)
    ``-a``                          negation
    ``2024`` ``true`` ``false`` ``name`` ``f(x, ...)`` ``( ... )``

    Names are lowercase ASCII, ``[a-z_][a-z0-9_]*``; ``and or not true false`` are
    reserved. Integer literals are non-negative decimals (write ``-1`` for negatives).
    Spaces, tabs and line breaks between tokens are ignored.

    Comparisons do not chain: ``a < b < c`` is a syntax error; write
    ``a < b and b < c``. (Python and C disagree on what it means; we refuse to guess.)

Types
    ``int + int``, ``int - int`` -> int;  ``date + int``, ``int + date``, ``date - int``
    -> date shifted by that many days;  ``date - date`` -> int (days);  ``-int`` -> int.
    ``< <= > >=`` compare two ints or two dates; ``== !=`` also compare two bools.
    ``and or not`` take bools. Booleans are not numbers: ``true + 1`` is an error.
    Anything else is a type error, reported when it is evaluated.

Functions (a fixed list; no other call is possible)
    ``date(y, m, d)``   the date; an impossible one (``date(2023, 2, 30)``) is an error
    ``year(d)`` ``month(d)`` ``day(d)``   the part of a date, as an int
    ``abs(x)``          absolute value of an int
    ``min(a, b)`` ``max(a, b)``   of two ints or two dates

Unknown values
    Arithmetic, comparison and function calls with an unknown operand are unknown, and
    ``not`` unknown is unknown. ``and``/``or`` follow three-valued (Kleene) logic:
    ``false and unknown`` is false, ``true or unknown`` is true, and otherwise unknown
    poisons the result. They evaluate left to right and stop at the first deciding
    operand (``false`` for ``and``, ``true`` for ``or``). A rule whose condition is
    unknown cannot decide and reports nothing.

Limits
    Sources over 1000 characters and expressions nested more than 50 levels deep (each
    operator, ``not``, negation or call is a level; chains like ``a + b + c`` and
    ``a and b and c`` are one level, bare parentheses none) are rejected.

Errors
    Every problem, at parse or evaluation time, raises :class:`ExpressionError` with a
    one-line message naming a 1-based column: the character offset in the source (line
    breaks count as one character).
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeGuard, cast

if TYPE_CHECKING:
    from lark import Lark, Token, Tree
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken
    from lark.parsers.lalr_interactive_parser import InteractiveParser

__all__ = [
    "And",
    "Arith",
    "Call",
    "Compare",
    "Const",
    "Expr",
    "ExpressionError",
    "Name",
    "Neg",
    "Not",
    "Or",
    "Term",
    "Value",
    "evaluate",
    "names_used",
    "parse_expression",
]

Value = int | bool | dt.date | None

MAX_SOURCE_LENGTH = 1000
MAX_DEPTH = 50


class ExpressionError(Exception):
    """A syntax, name, type or value error in a rule condition."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column

    def __reduce__(self) -> tuple[type[ExpressionError], tuple[str, int | None]]:
        # Keep ``column`` across process boundaries (parallel runs pickle errors).
        return (ExpressionError, (self.message, self.column))


# --- AST ---------------------------------------------------------------------------
# NamedTuples of str/int/bool/tuples only, so cached ASTs unpickle without lark.
# ``column`` (always the last field) is where error messages point; it is left out of
# equality so that ``a+1`` and ``a + 1`` compare equal (see _NODES below).


class Const(NamedTuple):
    value: int | bool
    column: int = 0


class Name(NamedTuple):
    name: str
    column: int = 0


class Neg(NamedTuple):
    operand: Expr
    column: int = 0


class Not(NamedTuple):
    operand: Expr
    column: int = 0


class Term(NamedTuple):
    """One ``+ x`` or ``- x`` step of an :class:`Arith` chain; ``column`` is the operator's."""

    op: Literal["+", "-"]
    operand: Expr
    column: int = 0


class Arith(NamedTuple):
    """``first op1 x1 op2 x2 ...``, left-associative; flat so long sums stay shallow."""

    first: Expr
    rest: tuple[Term, ...]
    column: int = 0


class Compare(NamedTuple):
    """``left op right``; ``column`` is the operator's."""

    op: Literal["==", "!=", "<", "<=", ">", ">="]
    left: Expr
    right: Expr
    column: int = 0


class And(NamedTuple):
    operands: tuple[Expr, ...]
    column: int = 0


class Or(NamedTuple):
    operands: tuple[Expr, ...]
    column: int = 0


class Call(NamedTuple):
    func: str
    args: tuple[Expr, ...]
    column: int = 0


Expr = Const | Name | Neg | Not | Arith | Compare | And | Or | Call
_NODES = (Const, Name, Neg, Not, Term, Arith, Compare, And, Or, Call)


def _same_node(a: tuple[object, ...], b: object) -> bool:
    return type(a) is type(b) and a[:-1] == b[:-1]


def _different_node(a: tuple[object, ...], b: object) -> bool:
    return not _same_node(a, b)


def _node_hash(node: tuple[object, ...]) -> int:
    return hash((type(node).__name__, node[:-1]))


# Equality by class and fields, without column. Set by name: a NamedTuple cannot take a base
# class that would define them, and mypy does not let a method be assigned.
for _node in _NODES:
    for _method, _function in (("__eq__", _same_node), ("__ne__", _different_node), ("__hash__", _node_hash)):
        setattr(_node, _method, _function)


# --- Parsing -----------------------------------------------------------------------

_GRAMMAR = r"""
?start: or_expr
?or_expr: and_expr (_OR and_expr)*
?and_expr: not_expr (_AND not_expr)*
?not_expr: NOT not_expr -> not_
         | comparison
?comparison: sum (COMP_OP sum)?
?sum: unary ((PLUS | MINUS) unary)*
?unary: MINUS unary -> neg
      | atom
?atom: INT -> int_
     | TRUE -> true
     | FALSE -> false
     | NAME -> name
     | NAME "(" (or_expr ("," or_expr)*)? ")" -> call
     | "(" or_expr ")"

NOT: "not"
_AND: "and"
_OR: "or"
TRUE: "true"
FALSE: "false"
COMP_OP: "==" | "!=" | "<=" | ">=" | "<" | ">"
PLUS: "+"
MINUS: "-"
NAME: /[a-z_][a-z0-9_]*/
INT: /[0-9]+/
%ignore /[ \t\r\n]+/
"""

_parser: Lark | None = None

# Tokens that can start an operand; when all are acceptable we just say "an expression".
_OPERAND_START = frozenset({"NAME", "INT", "TRUE", "FALSE", "NOT", "MINUS", "LPAR"})
_OPERATORS = frozenset({"COMP_OP", "PLUS", "MINUS", "_AND", "_OR"})
_PUNCTUATION = {"LPAR": "'('", "RPAR": "')'", "COMMA": "','"}


def _get_parser() -> Lark:
    global _parser
    if _parser is None:
        from lark import Lark  # lazy: a clean run with cached ASTs never needs lark

        from checker import cache

        # The basic lexer reserves keywords everywhere; the contextual one could lex
        # ``and`` as a name where no operator is acceptable. Building the LALR tables
        # takes ~70 ms of every run that validates rule files (--no-cache, a changed rule
        # file); lark's own cache, keyed by the grammar and lark's version, loads them
        # instead. It holds govlint's grammar, never a rule: --no-cache still validates
        # every rule afresh.
        options = {"parser": "lalr", "lexer": "basic", "propagate_positions": True}
        # The tables are a pickle that lark loads: only from this user's own cache.
        tables = cache.entry("expression-grammar.lark")
        _parser = None
        if cache.usable(tables):
            try:
                _parser = Lark(_GRAMMAR, cache=str(tables), **options)
            except OSError:
                pass
        if _parser is None:
            _parser = Lark(_GRAMMAR, **options)
    return _parser


def parse_expression(source: str, names: Collection[str]) -> Expr:
    """Parse ``source``; every name it uses must be in ``names``."""
    if len(source) > MAX_SOURCE_LENGTH:
        raise ExpressionError(
            f"expression is {len(source)} characters long; the limit is {MAX_SOURCE_LENGTH}"
        )
    plain = _Plain(source, frozenset(names)).expression()
    if plain is not None:
        return plain
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    parser = _get_parser()
    try:
        tree = parser.parse(source)
    except (UnexpectedCharacters, UnexpectedToken) as exc:  # the LALR parser's only two
        raise _syntax_error(parser, source, exc) from None
    return _Builder(frozenset(names)).build(tree, 1)


class _NotPlain(Exception):
    """What :class:`_Plain` leaves to lark: a syntax error (with lark's message), a name or
    call the builder reports, nesting deeper than the plain reader goes."""


# Tokens as lark's basic lexer makes them for a valid source: spaces between, a name is
# the longest run of name characters, a keyword is a name spelt as one.
_TOKEN = re.compile(r"[ \t\r\n]*(?:([0-9]+)|([a-z_][a-z0-9_]*)|(==|!=|<=|>=|<|>|[-+(),]))")
_SPACE = re.compile(r"[ \t\r\n]*")
_KEYWORDS = frozenset({"not", "and", "or", "true", "false"})
_COMPARISONS = frozenset({"==", "!=", "<=", ">=", "<", ">"})
_PLAIN_NESTING = 40  # below the depth limit, and far below Python's recursion limit


class _Plain:
    """A recursive-descent reader of the grammar above for sources that parse and build
    without an error: importing lark and loading its tables costs ~25 ms of a run that
    validates rule files, which only ever hold such sources. It returns the AST lark and
    :class:`_Builder` make (columns included: ``tests/test_expr.py`` compares the two on
    generated sources), or None for anything else, which lark then parses and reports
    with its own messages. As with the numerals (checker.extract.quantity), lark's grammar
    stays the definition of the language."""

    def __init__(self, source: str, names: frozenset[str]) -> None:
        self.names = names
        self.tokens: list[tuple[str, str, int]] = []  # (kind, text, column); kind: int, name, a keyword or the text
        position = 0
        while (m := _TOKEN.match(source, position)) is not None:
            number, word, symbol = m.groups()
            kind = "int" if number else (word if word in _KEYWORDS else "name") if word else symbol
            self.tokens.append((kind, m.group(m.lastindex or 0), m.start(m.lastindex or 0) + 1))
            position = m.end()
        self.complete = _SPACE.match(source, position).end() == len(source)  # type: ignore[union-attr]
        self.index = 0
        self.nesting = 0

    def expression(self) -> Expr | None:
        if not self.complete:
            return None
        try:
            expr, _ = self._or()
            if self.index != len(self.tokens):
                raise _NotPlain
            self._check_depth(expr, 1)
        except _NotPlain:
            return None
        return expr

    # Each method returns the expression and the column its text starts at, an opening
    # parenthesis around it included: a chain's ``column`` is where its first operand's
    # text starts, as lark's positions put it.

    def _peek(self) -> str:
        return self.tokens[self.index][0] if self.index < len(self.tokens) else "$END"

    def _take(self, kind: str) -> tuple[str, str, int]:
        if self._peek() != kind:
            raise _NotPlain
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _nested(self) -> None:
        self.nesting += 1
        if self.nesting > _PLAIN_NESTING:
            raise _NotPlain

    def _or(self) -> tuple[Expr, int]:
        self._nested()
        first, start = self._and()
        operands = [first]
        while self._peek() == "or":
            self.index += 1
            operands.append(self._and()[0])
        self.nesting -= 1
        return (first if len(operands) == 1 else Or(tuple(operands), start)), start

    def _and(self) -> tuple[Expr, int]:
        first, start = self._not()
        operands = [first]
        while self._peek() == "and":
            self.index += 1
            operands.append(self._not()[0])
        return (first if len(operands) == 1 else And(tuple(operands), start)), start

    def _not(self) -> tuple[Expr, int]:
        return self._prefixed("not", Not, self._not) if self._peek() == "not" else self._comparison()

    def _prefixed(
        self, kind: str, node: Callable[[Expr, int], Expr], operand: Callable[[], tuple[Expr, int]]
    ) -> tuple[Expr, int]:
        """``not x`` or ``-x``: the node's column is its operator's, where its text starts."""
        column = self._take(kind)[2]
        self._nested()
        inner, _ = operand()
        self.nesting -= 1
        return node(inner, column), column

    def _comparison(self) -> tuple[Expr, int]:
        left, start = self._sum()
        if self._peek() not in _COMPARISONS:
            return left, start
        _, op, column = self._take(self._peek())
        return Compare(cast(Any, op), left, self._sum()[0], column), start

    def _sum(self) -> tuple[Expr, int]:
        first, start = self._unary()
        rest: list[Term] = []
        while self._peek() in ("+", "-"):
            _, op, column = self._take(self._peek())
            rest.append(Term(cast(Any, op), self._unary()[0], column))
        return (Arith(first, tuple(rest), start) if rest else first), start

    def _unary(self) -> tuple[Expr, int]:
        return self._prefixed("-", Neg, self._unary) if self._peek() == "-" else self._atom()

    def _atom(self) -> tuple[Expr, int]:
        if self.index == len(self.tokens):
            raise _NotPlain
        kind, text, column = self.tokens[self.index]
        self.index += 1
        if kind == "int":
            return Const(int(text), column), column
        if kind in ("true", "false"):
            return Const(kind == "true", column), column
        if kind == "(":
            inner, _ = self._or()
            self._take(")")
            return inner, column
        if kind != "name":
            raise _NotPlain
        if self._peek() != "(":
            if text not in self.names:
                raise _NotPlain
            return Name(text, column), column
        self.index += 1
        args: list[Expr] = []
        if self._peek() != ")":
            args.append(self._or()[0])
            while self._peek() == ",":
                self.index += 1
                args.append(self._or()[0])
        self._take(")")
        if text not in _FUNCTIONS or len(args) != len(_FUNCTIONS[text].params):
            raise _NotPlain
        return Call(text, tuple(args), column), column

    def _check_depth(self, expr: Expr, depth: int) -> None:
        """The builder's limit: every node, chains one level, bare parentheses none."""
        if depth > MAX_DEPTH:
            raise _NotPlain
        match expr:
            case Neg(operand) | Not(operand):
                self._check_depth(operand, depth + 1)
            case Arith(first, rest):
                for operand in (first, *(term.operand for term in rest)):
                    self._check_depth(operand, depth + 1)
            case Compare(_, left, right):
                self._check_depth(left, depth + 1)
                self._check_depth(right, depth + 1)
            case And(operands) | Or(operands) | Call(_, operands):
                for operand in operands:
                    self._check_depth(operand, depth + 1)


def _syntax_error(
    parser: Lark, source: str, exc: UnexpectedCharacters | UnexpectedToken
) -> ExpressionError:
    from lark.exceptions import UnexpectedCharacters

    if isinstance(exc, UnexpectedCharacters):
        pos = cast(int, exc.pos_in_stream)  # lark types it by its base class's None; here the lexer's offset
        char = source[pos]
        # The lexer does not know what the parser wanted; replay the (valid) prefix.
        interactive = parser.parse_interactive(source[:pos])
        interactive.exhaust_lexer()
        message = f"unexpected character {char!r} at column {pos + 1}"
        message += f"; expected {_describe_expected(_accepts(interactive))}"
        if char == "=":
            message += " (use '==' to compare)"
        elif "A" <= char <= "Z":
            message += " (names and keywords are lowercase)"
        return ExpressionError(message, pos + 1)
    token = exc.token
    if token.type == "$END":
        column = len(source) + 1
        message = f"unexpected end of expression at column {column}"
    else:
        column = token.start_pos + 1
        message = f"unexpected {_short(token.value)!r} at column {column}"
    # accepts() is exact; exc.expected is LALR's merged look-ahead (too generous).
    accepted = _accepts(exc.interactive_parser)
    message += f"; expected {_describe_expected(accepted)}"
    if token.type == "COMP_OP" and not accepted & {"COMP_OP", "NAME"}:
        message += " (comparisons cannot be chained; join them with 'and')"
    return ExpressionError(message, column)


def _accepts(interactive: InteractiveParser) -> set[str]:
    """The terminals ``interactive`` can take next."""
    accepts: Callable[[], set[str]] = interactive.accepts  # lark leaves it unannotated
    return accepts()


def _describe_expected(terminals: Collection[str]) -> str:
    expected = set(terminals)
    parts: list[str] = []
    if "NAME" in expected:
        parts.append("an expression")
        expected -= _OPERAND_START
    if expected & _OPERATORS:
        parts.append("an operator")
    parts.extend(text for name, text in _PUNCTUATION.items() if name in expected)
    if "$END" in expected:
        parts.append("end of expression")
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " or " + parts[-1]


class _Builder:
    """Turns lark's parse tree into the AST, checking names, calls and depth."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def build(self, tree: Tree[Token], depth: int) -> Expr:
        column = tree.meta.start_pos + 1
        if depth > MAX_DEPTH:
            # Checked before recursing, so the walk itself stays shallow.
            raise ExpressionError(
                f"expression nested more than {MAX_DEPTH} levels deep at column {column}",
                column,
            )
        # Tokens and subtrees, at the places the grammar rule (tree.data) puts them.
        children: list[Any] = tree.children
        match tree.data:
            case "int_":
                return Const(int(children[0].value), column)
            case "true":
                return Const(True, column)
            case "false":
                return Const(False, column)
            case "name":
                return Name(self._check_name(children[0].value, column), column)
            case "neg":
                return Neg(self.build(children[1], depth + 1), column)
            case "not_":
                return Not(self.build(children[1], depth + 1), column)
            case "sum":
                rest = tuple(
                    Term(op.value, self.build(operand, depth + 1), op.start_pos + 1)
                    for op, operand in zip(children[1::2], children[2::2])
                )
                return Arith(self.build(children[0], depth + 1), rest, column)
            case "comparison":
                left, op, right = children
                return Compare(
                    op.value,
                    self.build(left, depth + 1),
                    self.build(right, depth + 1),
                    op.start_pos + 1,
                )
            case "and_expr":
                return And(tuple(self.build(c, depth + 1) for c in children), column)
            case "or_expr":
                return Or(tuple(self.build(c, depth + 1) for c in children), column)
            case "call":
                func = children[0].value
                args = tuple(self.build(c, depth + 1) for c in children[1:])
                self._check_call(func, len(args), column)
                return Call(func, args, column)
        raise AssertionError(f"unhandled grammar rule {tree.data!r}")

    def _check_name(self, name: str, column: int) -> str:
        if name not in self.names:
            known = ", ".join(sorted(self.names)) or "(none)"
            raise ExpressionError(
                f"unknown name {_short(name)!r} at column {column}"
                f"{_did_you_mean(name, self.names)}; known names: {known}",
                column,
            )
        return name

    @staticmethod
    def _check_call(func: str, argc: int, column: int) -> None:
        if func not in _FUNCTIONS:
            raise ExpressionError(
                f"unknown function {_short(func)!r} at column {column}"
                f"{_did_you_mean(func, _FUNCTIONS)}; functions: {', '.join(sorted(_FUNCTIONS))}",
                column,
            )
        params = _FUNCTIONS[func].params
        if argc != len(params):
            raise ExpressionError(
                f"{func}({', '.join(params)}) takes {len(params)} argument"
                f"{'' if len(params) == 1 else 's'}, got {argc}, at column {column}",
                column,
            )


def _did_you_mean(word: str, candidates: Collection[str]) -> str:
    import difflib  # only when a rule file has a typo

    close = difflib.get_close_matches(word, list(candidates), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --- Evaluation --------------------------------------------------------------------


def _type_name(value: Value) -> str:
    if isinstance(value, bool):  # before int: bool is an int subclass
        return "bool"
    if isinstance(value, int):
        return "int"
    return "date"


def _is_int(value: Value) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_env_value(name: str, value: object, column: int) -> Value:
    # datetime is a date subclass but does not compare with dates; refuse it up front.
    if value is None or isinstance(value, int) or (
        isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    ):
        return value
    raise ExpressionError(
        f"name {name!r} at column {column} has a value of unsupported type "
        f"{type(value).__name__} (expected int, bool or date)",
        column,
    )


def _shift(day: dt.date, days: int, column: int) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        raise ExpressionError(
            f"date out of range: {day.isoformat()} shifted by {days} days at column {column}",
            column,
        ) from None


def _arith(op: str, left: Value, right: Value, column: int) -> Value:
    if left is None or right is None:
        return None
    if _is_int(left) and _is_int(right):
        return left + right if op == "+" else left - right
    if isinstance(left, dt.date) and _is_int(right):
        return _shift(left, right if op == "+" else -right, column)
    if op == "+" and _is_int(left) and isinstance(right, dt.date):
        return _shift(right, left, column)
    if op == "-" and isinstance(left, dt.date) and isinstance(right, dt.date):
        return (left - right).days
    raise ExpressionError(
        f"cannot apply '{op}' to {_type_name(left)} and {_type_name(right)} at column {column}",
        column,
    )


_ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _compare(op: str, left: Value, right: Value, column: int) -> Value:
    if left is None or right is None:
        return None
    left_type, right_type = _type_name(left), _type_name(right)
    if left_type != right_type:
        raise ExpressionError(
            f"cannot compare {left_type} with {right_type} using '{op}' at column {column}",
            column,
        )
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    if left_type == "bool":
        raise ExpressionError(f"cannot order bools with '{op}' at column {column}", column)
    return _ORDERINGS[op](left, right)


def _make_date(y: int, m: int, d: int) -> dt.date:
    try:
        return dt.date(y, m, d)
    except (ValueError, OverflowError):
        raise ExpressionError(f"invalid date: year {y}, month {m}, day {d}") from None


class _Function(NamedTuple):
    params: tuple[str, ...]
    accepts: frozenset[str]  # type names; all arguments must share one of them
    wants: str  # ``accepts`` in words, for messages
    impl: Callable[..., Value]


_INT = frozenset({"int"})
_DATE = frozenset({"date"})

_FUNCTIONS: dict[str, _Function] = {
    "date": _Function(("y", "m", "d"), _INT, "ints", _make_date),
    "year": _Function(("d",), _DATE, "a date", lambda d: d.year),
    "month": _Function(("d",), _DATE, "a date", lambda d: d.month),
    "day": _Function(("d",), _DATE, "a date", lambda d: d.day),
    "abs": _Function(("x",), _INT, "an int", abs),
    "min": _Function(("a", "b"), _INT | _DATE, "two ints or two dates", min),
    "max": _Function(("a", "b"), _INT | _DATE, "two ints or two dates", max),
}


def _call(func: str, values: tuple[Value, ...], column: int) -> Value:
    if any(v is None for v in values):
        return None
    spec = _FUNCTIONS[func]
    types = {_type_name(v) for v in values}
    if len(types) != 1 or not types <= spec.accepts:
        got = ", ".join(_type_name(v) for v in values)
        raise ExpressionError(
            f"{func}() takes {spec.wants}, got ({got}) at column {column}", column
        )
    try:
        return spec.impl(*values)
    except ExpressionError as exc:  # add the position the impl cannot know
        raise ExpressionError(f"{exc.message} at column {column}", column) from None


def _truth(op: str, value: Value, column: int) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise ExpressionError(
        f"'{op}' needs true/false, got {_type_name(value)} at column {column}", column
    )


def evaluate(expr: Expr, env: Mapping[str, Value]) -> Value:
    """Evaluate ``expr`` with names bound by ``env``; ``None`` means unknown."""
    value: Value  # each case binds these afresh
    op: str
    match expr:
        case Const(value):
            return value
        case Name(name, column):
            if name not in env:
                raise ExpressionError(
                    f"no value given for name {name!r} at column {column}", column
                )
            return _check_env_value(name, env[name], column)
        case Neg(operand, column):
            value = evaluate(operand, env)
            if value is None:
                return None
            if _is_int(value):
                return -value
            raise ExpressionError(f"cannot negate {_type_name(value)} at column {column}", column)
        case Not(operand, column):
            value = _truth("not", evaluate(operand, env), column)
            return None if value is None else not value
        case Arith(first, rest):
            acc = evaluate(first, env)
            for term in rest:
                acc = _arith(term.op, acc, evaluate(term.operand, env), term.column)
            return acc
        case Compare(op, left, right, column):
            return _compare(op, evaluate(left, env), evaluate(right, env), column)
        case And(operands) | Or(operands):
            # Kleene logic: the deciding value (false for and, true for or) wins over
            # unknown; otherwise any unknown makes the result unknown.
            op = "and" if isinstance(expr, And) else "or"
            decisive = op == "or"
            unknown = False
            for operand in operands:
                value = _truth(op, evaluate(operand, env), operand.column)
                if value is decisive:
                    return decisive
                unknown = unknown or value is None
            return None if unknown else not decisive
        case Call(func, args, column):
            return _call(func, tuple(evaluate(arg, env) for arg in args), column)
    raise TypeError(f"not an expression node: {expr!r}")


def names_used(expr: Expr) -> frozenset[str]:
    """Every name ``expr`` reads (function names excluded)."""
    found: set[str] = set()
    stack: list[Expr] = [expr]
    while stack:
        match stack.pop():
            case Name(name):
                found.add(name)
            case Neg(operand) | Not(operand):
                stack.append(operand)
            case Arith(first, rest):
                stack.append(first)
                stack.extend(term.operand for term in rest)
            case Compare(_, left, right):
                stack += (left, right)
            case And(operands) | Or(operands) | Call(_, operands):
                stack.extend(operands)
    return frozenset(found)


_SHOWN = 40  # characters of an expression or token a message quotes: one short line


def _short(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def excerpt(source: str, column: int | None) -> str:
    """``source`` as an error message quotes it: whole if short, else the part around
    ``column`` (1-based), with … where it was cut."""
    if len(source) <= _SHOWN:
        return source
    start = max(0, min((column or 1) - 1 - _SHOWN // 2, len(source) - _SHOWN))
    end = start + _SHOWN
    return ("…" if start else "") + source[start:end] + ("…" if end < len(source) else "")
