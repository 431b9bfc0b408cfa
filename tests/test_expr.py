"""Tests for the rule-condition expression language (checker.expr)."""

from __future__ import annotations

import datetime as dt
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.expr import (
    And,
    Arith,
    Compare,
    Const,
    ExpressionError,
    Name,
    Neg,
    Not,
    Or,
    Term,
    Value,
    evaluate,
    names_used,
    parse_expression,
)

ROOT = Path(__file__).resolve().parents[1]
NAMES = frozenset(
    {"a", "b", "c", "u", "plan_year", "report_year", "doc_date", "pub_date", "flag"}
)
ENV: dict[str, Value] = {
    "a": 5,
    "b": 2,
    "c": 0,
    "u": None,
    "plan_year": 2025,
    "report_year": 2024,
    "doc_date": dt.date(2024, 3, 1),
    "pub_date": dt.date(2025, 1, 15),
    "flag": True,
}


def ev(source: str, env: dict[str, Value] | None = None) -> Value:
    return evaluate(parse_expression(source, NAMES), ENV if env is None else env)


def parse_error(source: str, names: frozenset[str] = NAMES) -> ExpressionError:
    with pytest.raises(ExpressionError) as info:
        parse_expression(source, names)
    return info.value


def eval_error(source: str, env: dict[str, Value] | None = None) -> ExpressionError:
    expr = parse_expression(source, NAMES)
    with pytest.raises(ExpressionError) as info:
        evaluate(expr, ENV if env is None else env)
    return info.value


# --- parsing -----------------------------------------------------------------------


def test_parse_shape() -> None:
    assert parse_expression("plan_year == report_year + 1", NAMES) == Compare(
        "==", Name("plan_year"), Arith(Name("report_year"), (Term("+", Const(1)),))
    )


def test_columns_are_recorded_but_not_compared() -> None:
    tight = parse_expression("a+1", NAMES)
    spaced = parse_expression("a  +  1", NAMES)
    assert tight == spaced
    assert isinstance(spaced, Arith)
    assert spaced.rest[0].column == 4
    assert spaced.rest[0].operand.column == 7


def test_sum_chain_is_flat_and_left_associative() -> None:
    expr = parse_expression("a - b - c + 1", NAMES)
    assert expr == Arith(
        Name("a"), (Term("-", Name("b")), Term("-", Name("c")), Term("+", Const(1)))
    )
    assert ev("10 - 3 - 2") == 5


def test_boolean_chains_are_flat() -> None:
    assert parse_expression("flag and flag and flag", NAMES) == And(
        (Name("flag"), Name("flag"), Name("flag"))
    )
    assert parse_expression("flag or flag or flag", NAMES) == Or(
        (Name("flag"), Name("flag"), Name("flag"))
    )


def test_parentheses_only_group() -> None:
    assert parse_expression("((a))", NAMES) == Name("a")
    assert parse_expression("(" * 200 + "a" + ")" * 200, NAMES) == Name("a")


def test_whitespace_and_line_breaks_are_ignored() -> None:
    assert ev(" a\n  >\t3 ") is True


def test_keywords_are_not_name_prefixes() -> None:
    names = {"android", "order", "nota", "true_x", "false1"}
    expr = parse_expression("android or order and nota == true_x + false1", names)
    assert names_used(expr) == names


def test_function_names_may_also_be_variables() -> None:
    expr = parse_expression("date(year, 1, 1) < date", {"year", "date"})
    assert names_used(expr) == {"year", "date"}
    assert evaluate(expr, {"year": 2024, "date": dt.date(2024, 6, 1)}) is True


def test_names_used() -> None:
    expr = parse_expression(
        "not (a > 3 and -b < abs(c)) or year(doc_date) == max(plan_year, 1) - u", NAMES
    )
    assert names_used(expr) == {"a", "b", "c", "doc_date", "plan_year", "u"}
    assert names_used(parse_expression("date(2024, 1, 1) == date(2024, 1, 1)", NAMES)) == set()


# --- evaluation: operators -----------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("2024", 2024),
        ("true", True),
        ("false", False),
        ("a", 5),
        ("a + b", 7),
        ("a - b", 3),
        ("b - a", -3),
        ("-a", -5),
        ("- -a", 5),
        ("-a + 1", -4),
        ("1 - -1", 2),
        ("007", 7),
        ("a == 5", True),
        ("a != 5", False),
        ("a < 5", False),
        ("a <= 5", True),
        ("a > 4", True),
        ("a >= 6", False),
        ("flag == true", True),
        ("flag != true", False),
        ("not flag", False),
        ("not not flag", True),
        ("flag and false", False),
        ("flag or false", True),
        ("false or false", False),
        ("plan_year == report_year + 1", True),
    ],
)
def test_int_and_bool_operators(source: str, expected: Value) -> None:
    assert ev(source) == expected
    assert type(ev(source)) is type(expected)  # True is not 1


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("date(2024, 2, 29)", dt.date(2024, 2, 29)),
        ("doc_date + 1", dt.date(2024, 3, 2)),
        ("1 + doc_date", dt.date(2024, 3, 2)),
        ("doc_date - 1", dt.date(2024, 2, 29)),
        ("doc_date + -1", dt.date(2024, 2, 29)),
        ("pub_date - doc_date", 320),
        ("doc_date - pub_date", -320),
        ("year(doc_date)", 2024),
        ("month(doc_date)", 3),
        ("day(doc_date)", 1),
        ("abs(b - a)", 3),
        ("abs(a)", 5),
        ("min(a, b)", 2),
        ("max(a, b)", 5),
        ("min(doc_date, pub_date)", dt.date(2024, 3, 1)),
        ("max(doc_date, pub_date)", dt.date(2025, 1, 15)),
        ("doc_date < pub_date", True),
        ("doc_date >= pub_date", False),
        ("doc_date == date(2024, 3, 1)", True),
        ("pub_date <= date(report_year + 1, 1, 31)", True),
        ("year(doc_date) != report_year", False),
        ("date(2024, 09, 01)", dt.date(2024, 9, 1)),
    ],
)
def test_dates_and_functions(source: str, expected: Value) -> None:
    assert ev(source) == expected


# --- precedence --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # or < and
        ("true or true and false", True),
        ("(true or true) and false", False),
        # and < not
        ("not false and false", False),
        ("not (false and false)", True),
        # not < comparison
        ("not a == 4", True),
        ("not flag == false", True),
        # comparison < additive
        ("a + 1 == 6", True),
        ("a == 4 + 1", True),
        # additive < unary minus
        ("-a + 10", 5),
        ("-(a + 10)", -15),
        ("not (a > 3 and b < 2) or c == 0", True),
    ],
)
def test_precedence(source: str, expected: Value) -> None:
    assert ev(source) == expected


def test_precedence_shape() -> None:
    assert parse_expression("not a == b + 1 or flag and flag", NAMES) == Or(
        (
            Not(Compare("==", Name("a"), Arith(Name("b"), (Term("+", Const(1)),)))),
            And((Name("flag"), Name("flag"))),
        )
    )
    assert parse_expression("-a + b", NAMES) == Arith(Neg(Name("a")), (Term("+", Name("b")),))


# --- unknown values ------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "u",
        "u + 1",
        "1 - u",
        "-u",
        "u == 1",
        "u != u",
        "doc_date < u",
        "doc_date + u",
        "not u",
        "date(u, 1, 1)",
        "year(u)",
        "abs(u)",
        "min(a, u)",
        "max(u, doc_date)",
        "u + 1 == a",
        "true and u",
        "u and true",
        "false or u",
        "u or false",
        "u == 1 and u == 2",
    ],
)
def test_unknown_propagates(source: str) -> None:
    assert ev(source) is None


@pytest.mark.parametrize(
    ("left", "right", "and_result", "or_result"),
    [
        ("true", "true", True, True),
        ("true", "false", False, True),
        ("false", "false", False, False),
        ("true", "u", None, True),
        ("false", "u", False, None),
        ("u", "u", None, None),
    ],
)
def test_kleene_logic(left: str, right: str, and_result: Value, or_result: Value) -> None:
    for a, b in ((left, right), (right, left)):
        assert ev(f"{a} and {b}") is and_result
        assert ev(f"{a} or {b}") is or_result


def test_unknown_operand_of_any_type_is_still_unknown() -> None:
    # None wins over the other operand's type: the caller only learns "cannot decide".
    assert ev("u + true") is None
    assert ev("u < flag") is None


def test_and_or_stop_at_the_deciding_operand() -> None:
    assert ev("false and a + true") is False
    assert ev("u or true or a + true") is True
    with pytest.raises(ExpressionError):
        ev("u and a + true")


# --- the plain reader against lark -------------------------------------------------


def _by_lark(source: str, names: frozenset[str] = NAMES) -> str:
    """What lark's parse and the builder make of ``source``, columns included; or the error."""
    from checker.expr import _Builder, _get_parser

    try:
        return repr(_Builder(names).build(_get_parser().parse(source), 1))
    except Exception as error:  # lark's syntax errors and the builder's ExpressionError
        return type(error).__name__


def _by_plain(source: str, names: frozenset[str] = NAMES) -> str | None:
    from checker.expr import _Plain

    expr = _Plain(source, names).expression()
    return None if expr is None else repr(expr)


_PIECES = [
    "a", "b", "flag", "plan_year", "zzz", "date", "year", "abs", "min", "mnth", "0", "7", "2024", "true", "false",
    "not", "and", "or", "nota", "==", "!=", "<", "<=", ">", ">=", "=", "+", "-", "(", ")", ",", ".", "A",
]  # fmt: skip
_GAPS = ["", " ", "  ", "\n", "\t"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_GAPS), st.sampled_from(_PIECES)), max_size=14), st.sampled_from(_GAPS))
def test_the_plain_reader_takes_only_what_lark_takes_and_builds_the_same(
    pieces: list[tuple[str, str]], end: str
) -> None:
    source = "".join(gap + piece for gap, piece in pieces) + end
    plain = _by_plain(source)
    assert plain is None or plain == _by_lark(source), source


def _expressions() -> st.SearchStrategy[str]:
    leaves = st.sampled_from(["a", "b", "plan_year", "0", "12", "true", "false"])

    def wrap(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        two = st.tuples(inner, inner)
        return st.one_of(
            inner.map(lambda x: f"({x})"),
            inner.map(lambda x: f"-{x}"),
            inner.map(lambda x: f"not {x}"),
            inner.map(lambda x: f"abs( {x} )"),
            two.map(lambda xy: f"{xy[0]}+{xy[1]}"),
            two.map(lambda xy: f"{xy[0]} - {xy[1]}"),
            two.map(lambda xy: f"{xy[0]} <= {xy[1]}"),
            two.map(lambda xy: f"{xy[0]} and {xy[1]}"),
            two.map(lambda xy: f"{xy[0]}\nor {xy[1]}"),
            two.map(lambda xy: f"min({xy[0]},{xy[1]})"),
        )

    return st.recursive(leaves, wrap, max_leaves=24)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_expressions())
def test_the_plain_reader_reads_what_rule_files_write_as_lark_does(source: str) -> None:
    by_lark = _by_lark(source)
    if by_lark.startswith("Unexpected"):  # a chained comparison the generator made: lark's to report
        assert _by_plain(source) is None
    else:
        assert _by_plain(source) == by_lark, source


def test_the_plain_reader_leaves_deep_nesting_to_lark() -> None:
    source = "(" * 100 + "a" + ")" * 100
    assert _by_plain(source) is None
    assert parse_expression(source, NAMES) == Name("a")


# --- errors: syntax ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "column", "fragment"),
    [
        ("", 1, "unexpected end of expression at column 1; expected an expression"),
        ("a +", 4, "unexpected end of expression at column 4; expected an expression"),
        ("a b", 3, "unexpected 'b' at column 3; expected an operator"),
        ("(a", 3, "unexpected end of expression at column 3; expected ')'"),
        ("(a b", 4, "unexpected 'b' at column 4; expected an operator, '(' or ')'"),
        ("date(1, 2", 10, "expected ')' or ','"),
        ("a == )", 6, "unexpected ')' at column 6"),
        ("not < 3", 5, "unexpected '<' at column 5"),
        ("a.b", 2, "unexpected character '.' at column 2"),
        ("a = 1", 3, "(use '==' to compare)"),
        ("A > 1", 1, "(names and keywords are lowercase)"),
        ("a > 1 && b", 7, "unexpected character '&' at column 7"),
        ("\u62a5\u544a > 1", 1, "unexpected character"),
        ("'x' == a", 1, "unexpected character \"'\" at column 1"),
        ("a > 1.5", 6, "unexpected character '.' at column 6"),
    ],
)
def test_syntax_errors(source: str, column: int, fragment: str) -> None:
    error = parse_error(source)
    assert error.column == column
    assert fragment in error.message
    assert str(error) == error.message
    assert "\n" not in error.message


@pytest.mark.parametrize("source", ["a < b < c", "a == b != c", "1 <= a <= 9"])
def test_chained_comparison_is_a_syntax_error(source: str) -> None:
    error = parse_error(source)
    assert "comparisons cannot be chained; join them with 'and'" in error.message


def test_parenthesised_comparison_of_comparisons_is_allowed() -> None:
    assert ev("(a < b) == false") is True


def test_keyword_is_not_a_name() -> None:
    error = parse_error("a and and", NAMES | {"and"})
    assert "unexpected 'and' at column 7" in error.message


# --- errors: names, functions, limits ------------------------------------------------


def test_unknown_name_suggests_closest() -> None:
    error = parse_error("plan_yaer == 2025")
    assert error.column == 1
    assert error.message.startswith(
        "unknown name 'plan_yaer' at column 1 (did you mean 'plan_year'?); known names: a, b, c,"
    )


def test_unknown_name_without_suggestion() -> None:
    error = parse_error("a + zzz", frozenset({"a", "b"}))
    assert error.message == "unknown name 'zzz' at column 5; known names: a, b"
    assert error.column == 5


def test_unknown_name_with_no_names() -> None:
    error = parse_error("x", frozenset())
    assert error.message == "unknown name 'x' at column 1; known names: (none)"


def test_unknown_function() -> None:
    error = parse_error("a == mnth(doc_date)")
    assert error.column == 6
    assert error.message == (
        "unknown function 'mnth' at column 6 (did you mean 'month'?); "
        "functions: abs, date, day, max, min, month, year"
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("date(2024, 1)", "date(y, m, d) takes 3 arguments, got 2, at column 1"),
        ("year()", "year(d) takes 1 argument, got 0, at column 1"),
        ("a + abs(a, b)", "abs(x) takes 1 argument, got 2, at column 5"),
        ("min(a)", "min(a, b) takes 2 arguments, got 1, at column 1"),
    ],
)
def test_wrong_arity(source: str, message: str) -> None:
    assert parse_error(source).message == message


def test_source_length_limit() -> None:
    parse_expression("a" + " " * 999, NAMES)
    error = parse_error("a" + " " * 1000)
    assert error.message == "expression is 1001 characters long; the limit is 1000"
    assert error.column is None


NESTERS = {
    "negation": lambda n: "-" * n + "a",
    "not": lambda n: "not " * n + "flag",
    "call": lambda n: "abs(" * n + "a" + ")" * n,
    "parenthesised sums": lambda n: "(a + " * n + "a" + ")" * n,
}


@pytest.mark.parametrize("nest", NESTERS.values(), ids=NESTERS.keys())
def test_nesting_limit(nest: Callable[[int], str]) -> None:
    parse_expression(nest(49), NAMES)
    error = parse_error(nest(60))
    assert "nested more than 50 levels deep" in error.message
    assert error.column is not None


def test_deep_nesting_never_raises_recursion_error() -> None:
    for source in ("(" * 499 + "a" + ")" * 499, "-" * 999 + "a", "not " * 249 + "flag"):
        try:
            parse_expression(source, NAMES)
        except ExpressionError:
            pass


def test_long_flat_chains_are_fine() -> None:
    assert ev("a" + " + a" * 249) == 5 * 250
    assert ev("true" + " and true" * 100) is True


# --- errors: evaluation --------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("a < doc_date", "cannot compare int with date using '<' at column 3"),
        ("a == flag", "cannot compare int with bool using '==' at column 3"),
        ("flag < true", "cannot order bools with '<' at column 6"),
        ("flag + 1", "cannot apply '+' to bool and int at column 6"),
        ("a - doc_date", "cannot apply '-' to int and date at column 3"),
        ("doc_date + pub_date", "cannot apply '+' to date and date at column 10"),
        ("-flag", "cannot negate bool at column 1"),
        ("-doc_date", "cannot negate date at column 1"),
        ("not a", "'not' needs true/false, got int at column 1"),
        ("flag and a", "'and' needs true/false, got int at column 10"),
        ("false or doc_date", "'or' needs true/false, got date at column 10"),
        ("year(a)", "year() takes a date, got (int) at column 1"),
        ("abs(doc_date)", "abs() takes an int, got (date) at column 1"),
        ("date(2024, flag, 1)", "date() takes ints, got (int, bool, int) at column 1"),
        ("min(a, doc_date)", "min() takes two ints or two dates, got (int, date) at column 1"),
        ("max(flag, flag)", "max() takes two ints or two dates, got (bool, bool) at column 1"),
        ("date(2023, 2, 30)", "invalid date: year 2023, month 2, day 30 at column 1"),
        ("a + date(2024, 13, 1)", "invalid date: year 2024, month 13, day 1 at column 5"),
        ("date(0, 1, 1)", "invalid date: year 0, month 1, day 1 at column 1"),
        (
            "date(99999999999999999999, 1, 1)",
            "invalid date: year 99999999999999999999, month 1, day 1 at column 1",
        ),
        (
            "date(9999, 12, 31) + 1",
            "date out of range: 9999-12-31 shifted by 1 days at column 20",
        ),
        (
            "doc_date - 99999999999999",
            "date out of range: 2024-03-01 shifted by -99999999999999 days at column 10",
        ),
    ],
)
def test_type_and_value_errors(source: str, message: str) -> None:
    error = eval_error(source)
    assert error.message == message
    assert error.column == int(message.rsplit(" ", 1)[1])


def test_missing_name_in_env() -> None:
    error = eval_error("a + b", {"a": 1})
    assert error.message == "no value given for name 'b' at column 5"


@pytest.mark.parametrize("value", ["2024", 1.5, dt.datetime(2024, 1, 1), [1]])
def test_unsupported_env_value(value: object) -> None:
    error = eval_error("a == a", {"a": value})  # type: ignore[dict-item]
    assert "has a value of unsupported type" in error.message
    assert error.column == 1


def test_expression_error_pickles_with_column() -> None:
    error = pickle.loads(pickle.dumps(ExpressionError("boom at column 3", 3)))
    assert (error.message, error.column, str(error)) == ("boom at column 3", 3, "boom at column 3")


# --- safety --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os')",
        "__import__(os)",
        "().__class__",
        "a.b",
        "a[0]",
        "a.__class__",
        "eval(a)",
        "exec(a)",
        "open(a)",
        "getattr(a, b)",
        "lambda: 1",
        "[x for x in a]",
        "a if b else c",
        "{}",
        "a; b",
        "a * 2",
        "a / 2",
        "a ** 2",
        "print",
    ],
)
def test_no_python_reachable(source: str) -> None:
    with pytest.raises(ExpressionError):
        parse_expression(source, NAMES)


# --- pickling and import cost ----------------------------------------------------------


SAMPLE = "not (a > 3 and -b < abs(c)) or pub_date <= date(report_year + 1, 1, 31) - u"


def test_ast_pickle_round_trip() -> None:
    expr = parse_expression(SAMPLE, NAMES)
    data = pickle.dumps(expr)
    assert b"lark" not in data
    clone = pickle.loads(data)
    assert clone == expr
    assert clone.operands[1].column == expr.operands[1].column  # type: ignore[union-attr]
    assert evaluate(clone, ENV) == evaluate(expr, ENV)
    assert hash(clone) == hash(expr)


def run_python(code: str) -> None:
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_import_does_not_import_lark() -> None:
    run_python("import checker.expr, sys; assert 'lark' not in sys.modules")


def test_unpickle_and_evaluate_without_lark(tmp_path: Path) -> None:
    expr = parse_expression(SAMPLE, NAMES)
    cache = tmp_path / "ast.pickle"
    cache.write_bytes(pickle.dumps(expr))
    run_python(
        "import pickle, sys, datetime as dt\n"
        "from checker.expr import evaluate\n"
        f"expr = pickle.loads(open({str(cache)!r}, 'rb').read())\n"
        "env = dict(a=5, b=2, c=0, u=0, report_year=2024, pub_date=dt.date(2025, 1, 1))\n"
        "assert evaluate(expr, env) is True\n"
        "assert 'lark' not in sys.modules\n"
    )


# --- properties ----------------------------------------------------------------------

TOKENS = [
    "a", "b", "flag", "u", "doc_date", "zz", "0", "1", "2024", "true", "false",
    "and", "or", "not", "+", "-", "==", "!=", "<", "<=", ">", ">=", "(", ")", ",",
    "date", "year", "month", "day", "abs", "min", "max", "=", ".", "[", "'", " ",
]  # fmt: skip

sources = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="abdefglmnortuy_0129 ()+-=<>!,.[]'", max_size=60),
    st.lists(st.sampled_from(TOKENS), max_size=30).map(" ".join),
)

env_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.dates(),
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=sources)
def test_parse_only_raises_expression_error(source: str) -> None:
    try:
        parse_expression(source, NAMES)
    except ExpressionError as error:
        assert error.message and "\n" not in error.message


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tokens=st.lists(st.sampled_from(TOKENS), max_size=25),
    values=st.fixed_dictionaries({n: env_values for n in ("a", "b", "flag", "u", "doc_date")}),
)
def test_evaluate_only_raises_expression_error(
    tokens: list[str], values: dict[str, Value]
) -> None:
    try:
        expr = parse_expression(" ".join(tokens), values.keys())
        result = evaluate(expr, values)
    except ExpressionError:
        return
    assert result is None or isinstance(result, (int, dt.date))
    assert names_used(expr) <= values.keys()
