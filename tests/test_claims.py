"""Claims: the patterns that must end the words before a number."""

from __future__ import annotations

import re._parser as sre_parse  # the width of a pattern: only here, to check a constant

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.extract import claims
from checker.extract.claims import _Ending

ENDINGS = {"rate name": claims._RATE_NAME, "rate before": claims._RATE_BEFORE, "change": claims._CHANGE}


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS.keys())
def test_reach_covers_the_longest_body(ending: _Ending) -> None:
    body = ending.pattern.pattern.removesuffix(r"\s*$")
    assert sre_parse.parse(body).getwidth()[1] == ending.reach


@given(
    st.sampled_from(list(ENDINGS.values())),
    st.text(alphabet="化解率满意度占比重均分别达到为保持在约近超过同比较上年去与期相比增长下降了,, 1%字", max_size=40),
)
def test_searching_the_end_finds_what_searching_everything_finds(ending: _Ending, text: str) -> None:
    found, expected = ending.search(text), ending.pattern.search(text)
    assert (found and (found.span(), found.groups())) == (expected and (expected.span(), expected.groups()))


def test_a_rate_name_before_its_verb() -> None:
    m = claims._RATE_NAME.search("今年全年矛盾纠纷化解成功率达 ")
    assert m is not None and m.group(1) == "全年矛盾纠纷化解成功率"  # ten letters and the rate word
