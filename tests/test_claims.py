"""Claims: the patterns that must end the words before a number, and the named steps
that bind numbers to their roles."""

from __future__ import annotations

import re._parser as sre_parse  # the width of a pattern: only here, to check a constant
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.extract.claims import _clause_before, _following_run, _list_items, extract
from checker.extract.quantity import find_quantities
from checker.extract.vocabulary import Ending
from checker.model import CountFact, Facts, RateFact, SourceText
from checker.normalize import normalize
from checker.parse import parse
from checker.rule import RuleFileError
from checker.ruleschema import compile_rule_files
from checker.ruleset import RuleSet

ROOT = Path(__file__).resolve().parent.parent
VOCABULARY_FILE = ROOT / "rules" / "vocabulary.toml"
_, VOCABULARY, _ = compile_rule_files([(VOCABULARY_FILE, VOCABULARY_FILE.read_bytes())])
ENDINGS = {"rate name": VOCABULARY.rate_name, "rate before": VOCABULARY.rate_before, "change": VOCABULARY.change}


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS.keys())
def test_reach_covers_the_longest_body(ending: Ending) -> None:
    body = ending.pattern.pattern.removesuffix(r"\s*$")
    assert sre_parse.parse(body).getwidth()[1] == ending.reach


@given(
    st.sampled_from(list(ENDINGS.values())),
    st.text(alphabet="化解率满意度占比重均分别达到为保持在约近超过同比较上年去与期相比增长下降了,, 1%字", max_size=40),
)
def test_searching_the_end_finds_what_searching_everything_finds(ending: Ending, text: str) -> None:
    found, expected = ending.search(text), ending.pattern.search(text)
    assert (found and (found.span(), found.groups())) == (expected and (expected.span(), expected.groups()))


def test_a_rate_name_that_can_never_match_stops_the_load(tmp_path: Path) -> None:
    extra = tmp_path / "local.toml"
    extra.write_text(
        '[[vocabulary.rate]]\nname = ["应诉比例"]\npart = ["出庭应诉"]\nwhole = ["开庭审理"]\n', encoding="utf-8"
    )
    files = [(VOCABULARY_FILE, VOCABULARY_FILE.read_bytes()), (extra, extra.read_bytes())]
    with pytest.raises(RuleFileError, match="'应诉比例' can never match"):
        compile_rule_files(files)


def test_a_province_adds_growth_words_without_python(tmp_path: Path) -> None:
    extra = tmp_path / "local.toml"
    extra.write_text(
        '[vocabulary]\nmultiple_times = ["等于"]\nmultiple_phrases = { "增加两番" = 4 }\nprior = ["前一年"]\n',
        encoding="utf-8",
    )
    _, vocab, _ = compile_rule_files([(VOCABULARY_FILE, VOCABULARY_FILE.read_bytes()), (extra, extra.read_bytes())])
    ruleset = RuleSet.of([], vocab)
    (times,) = facts_of("受理120件,等于上年40件的3倍。", ruleset).growths
    (phrase,) = facts_of("受理160件(前一年40件),增加两番。", ruleset).growths
    assert times.stated_multiple is not None and phrase.stated_multiple is not None
    assert (times.stated_multiple.ratio, phrase.before and phrase.before.text, phrase.stated_multiple.ratio) == (
        3,
        "40件",
        4,
    )


def test_a_rate_name_before_its_verb() -> None:
    assert VOCABULARY.rate_name is not None
    m = VOCABULARY.rate_name.search("今年全年矛盾纠纷化解成功率达 ")
    assert m is not None and m.group(1) == "全年矛盾纠纷化解成功率"  # ten letters and the rate word


# --------------------------------------------------------------------------- named steps


def facts_of(text: str, ruleset: RuleSet) -> Facts:
    return extract(parse("report.txt", SourceText(text), normalize(text)), ruleset.vocabulary)


def roles_of(text: str, ruleset: RuleSet) -> list[tuple[str, str | None]]:
    return [(c.text, c.role) for c in facts_of(text, ruleset).counts]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("受理后撤回30件", "撤回"),  # the verb after a time clause governs
        ("受理后转办30件", None),  # a time clause: the number is 转办's, no counting word
        ("不予受理12件", "不予受理"),  # negated: a role of its own
        ("尚未办结5件", "尚未办结"),
        ("受理申请33件", "受理"),
        ("受理,另有30件", None),  # a clause break between word and number
    ],
)
def test_role_in_clause(ruleset: RuleSet, text: str, expected: str | None) -> None:
    assert roles_of(text, ruleset)[-1][1] == expected


def test_respectively_pairs_roles_in_order(ruleset: RuleSet) -> None:
    facts = facts_of("全年受理、化解矛盾纠纷分别为300件、290件。", ruleset)
    assert [(c.text, c.role, c.object) for c in facts.counts] == [
        ("300件", "受理", "矛盾纠纷"),
        ("290件", "化解", "矛盾纠纷"),
    ]
    assert not facts.breakdowns  # roles, not parts of a total


def test_respectively_needs_as_many_values_as_words(ruleset: RuleSet) -> None:
    roles = roles_of("受理、办结分别为52件、50件、3件。", ruleset)
    assert roles == [("52件", "办结"), ("50件", "办结"), ("3件", "办结")]


def test_respectively_names_rates_in_order(ruleset: RuleSet) -> None:
    facts = facts_of("化解率、办结率分别为95%、98%。", ruleset)
    assert [(r.text, r.name) for r in facts.rates] == [("95%", "化解率"), ("98%", "办结率")]
    assert all(isinstance(r, RateFact) for r in facts.rates)


def test_respectively_outcomes_stay_items_of_the_total(ruleset: RuleSet) -> None:
    facts = facts_of("审结案件135件,维持、驳回、撤销分别为100件、20件、10件。", ruleset)
    assert [c.role for c in facts.counts] == ["审结", "维持", "驳回", "撤销"]
    assert [b.exhaustive for b in facts.breakdowns] == [True]


def test_list_items_split_he_only_between_counting_words(ruleset: RuleSet) -> None:
    vocab = ruleset.vocabulary
    assert _list_items("受理和办结申请", 10, vocab) == [("受理", 10), ("办结申请", 13)]
    assert _list_items("调解、和解案件", 0, vocab) == [("调解", 0), ("和解案件", 3)]


def test_following_run_stops_at_words() -> None:
    text = "分别为52件、57件和3件,化解率95%"
    run = _following_run(text, find_quantities(text), 3)
    assert [text[q.start : q.end] for q in run] == ["52件", "57件", "3件"]
    assert _following_run(text, find_quantities(text), 0) == []  # no number right after


def test_counts_are_count_facts(ruleset: RuleSet) -> None:
    assert all(isinstance(c, CountFact) for c in facts_of("受理、办结分别为5件、4件。", ruleset).counts)


@pytest.mark.parametrize(
    ("text", "name", "part", "base"),
    [
        ("共办理案件60件,其中维持类45件,占比75%。", "占比", "45件", "60件"),
        ("共受理投诉400件,其中食品类140件,占全部案件的35%。", "占全部案件的", "140件", "400件"),
        ("全年办理案件300宗,涉案金额5亿元,其中调解结案120宗,占比40%。", "占比", "120宗", "300宗"),
        ("登记纠纷500起,化解175起,占总数的35%。", "占总数的", "175起", "500起"),
        ("审结案件100件,其中维持类占60%。", "其中维持类占", None, None),
        ("调解结案120宗,占比40%。", "占比", "120宗", None),
    ],
)
def test_share_part_and_base(ruleset: RuleSet, text: str, name: str, part: str | None, base: str | None) -> None:
    (share,) = facts_of(text, ruleset).shares
    bases = [b.text for b in share.bases]
    assert (share.name, share.part and share.part.text, bases[0] if bases else None) == (name, part, base)


def test_share_of_a_named_whole_may_be_of_any_larger_count(ruleset: RuleSet) -> None:
    (share,) = facts_of("共有调解组织50个,受理纠纷500件,办结480件,其中化解175件,占总数的35%。", ruleset).shares
    assert [b.text for b in share.bases] == ["480件", "500件"]


def test_share_word_without_a_count_before_stays_a_rate(ruleset: RuleSet) -> None:
    facts = facts_of("城区案件数量下降,占比75%。", ruleset)
    assert not facts.shares and [r.name for r in facts.rates] == ["占比"]


def test_qizhong_total_is_of_the_items_unit_class(ruleset: RuleSet) -> None:
    (breakdown,) = facts_of("共办理案件300宗,涉案金额5亿元,其中刑事案件120宗、民事案件80宗。", ruleset).breakdowns
    assert breakdown.total.text == "300宗" and [p.text for p in breakdown.parts] == ["120宗", "80宗"]


@pytest.mark.parametrize(
    ("text", "shape", "before", "after", "percent", "delta"),
    [
        ("由40件增至50件,增长25%。", "from-to", "40件", "50件", "25%", None),
        ("受理120件,与上年100件相比增长20%。", "prior", "100件", "120件", "20%", None),
        ("受理120件(上年96件),同比上升25%。", "prior", "96件", "120件", "25%", None),
        ("2024年办理66件、2023年60件,同比增长10%。", "prior", "60件", "66件", "10%", None),
        ("受理90件,比上年减少10件,下降10%。", "delta", None, "90件", "10%", "10件"),
        ("刑事案件48件,同比下降20%,同比减少12件。", "delta", None, "48件", "20%", "12件"),
    ],
)
def test_growth_shapes(
    ruleset: RuleSet, text: str, shape: str, before: str | None, after: str, percent: str, delta: str | None
) -> None:
    (g,) = facts_of(text, ruleset).growths
    found = (g.shape, g.before and g.before.text, g.after.text, g.stated_percent and g.stated_percent.text)
    assert (*found, g.stated_delta and g.stated_delta.text) == (shape, before, after, percent, delta)


@pytest.mark.parametrize(
    ("text", "shape", "before", "after", "percent", "delta"),
    [
        ("2023年受理80件、2024年100件,同比增长25%。", "prior", "80件", "100件", "25%", None),
        ("2023年全区受理复议案件80件,2024年受理复议案件100件,同比增长25%。", "prior", "80件", "100件", "25%", None),
        ("2023年办理复议案件60件,2024年办理75件,增加15件。", "prior", "60件", "75件", None, "15件"),
        ("受理120件(上年100件),增加20件,增长20%。", "prior", "100件", "120件", "20%", "20件"),
        ("从2023年的40件增加到2024年的50件,增长25%。", "from-to", "40件", "50件", "25%", None),
        ("由上年的120件下降至90件,下降25%。", "from-to", "120件", "90件", "25%", None),
    ],
)
def test_prior_first_and_stated_differences(
    ruleset: RuleSet, text: str, shape: str, before: str, after: str, percent: str | None, delta: str | None
) -> None:
    test_growth_shapes(ruleset, text, shape, before, after, percent, delta)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "multiple", "ratio", "before", "after"),
    [
        ("受理120件,是上年40件的3倍。", "3倍", 3, "40件", "120件"),
        ("受理90件(上年30件),增长2倍。", "2倍", 3, "30件", "90件"),
        ("受理75件,比上年30件增长了1.5倍。", "1.5倍", Decimal("2.5"), "30件", "75件"),
        ("检查156次,是上年52次的三倍。", "三倍", 3, "52次", "156次"),
        ("受理80件,比上年40件增长一倍。", "一倍", 2, "40件", "80件"),
        ("由35件增长到105件,增长到3倍。", "3倍", 3, "35件", "105件"),
        ("由25件增至50件,翻了一番。", "翻了一番", 2, "25件", "50件"),
        ("2024年64件、2023年16件,翻两番。", "翻两番", 4, "16件", "64件"),
        ("由86件减少到43件,减少一半。", "减少一半", Decimal("0.5"), "86件", "43件"),
        ("受理120件,比上年增加80件,增长2倍。", "2倍", 3, None, "120件"),
    ],
)
def test_multiples(
    ruleset: RuleSet, text: str, multiple: str, ratio: Decimal | int, before: str | None, after: str
) -> None:
    (g,) = facts_of(text, ruleset).growths
    assert g.stated_multiple is not None
    found = (g.stated_multiple.text, g.stated_multiple.ratio, g.before and g.before.text, g.after.text)
    assert found == (multiple, ratio, before, after)


@pytest.mark.parametrize(
    "text",
    [
        "受理120件(上年40件),是全省平均水平的1.5倍。",  # another base
        "受理120件(上年40件),调解成功率是上年的1.5倍。",  # another figure
        "受理120件,上年40件,行政诉讼案件增长2倍。",  # another object
        "受理120件(上年40件),下降2倍。",  # a decline is no multiple
        "受理120件,是上年的3倍。",  # no prior value: a multiple, nothing to pair
    ],
)
def test_no_multiple_of_last_year(ruleset: RuleSet, text: str) -> None:
    assert not any(g.stated_multiple for g in facts_of(text, ruleset).growths)


def test_clause_before_writes_numbers_as_hash() -> None:
    text = "全年受理120件,是上年40件的3倍"
    numbers = [q for q in find_quantities(text) if q.unit != "倍"]
    assert _clause_before(text, numbers, [n.start for n in numbers], text.index("3倍")) == "是上年#的"
    assert _clause_before("受理120件是上年的3倍", find_quantities("受理120件")[:1], [2], 10) == "受理#是上年的"


@pytest.mark.parametrize(
    ("text", "base", "bound"),
    [
        ("全年共受理申请200件,办结50件,占25%。", "200件", "certain"),  # 受理 → 办结
        ("全年共办理案件320件,适用简易程序80件,占25%。", "320件", "certain"),  # no counting word
        ("全年共受理申请200件,出庭应诉50件,占25%。", "200件", "likely"),  # 出庭应诉 is not a part of 受理
        ("累计排查纠纷400起。成功化解360起,占90%。", "400起", "likely"),  # another sentence
        ("全年共受理申请200件,共审结180件,调解结案50件,占25%。", None, None),  # two totals
        ("受理申请200件,调解结案50件,占25%。", None, None),  # no total word
        ("公共法律服务中心接待200件,调解50件,占25%。", None, None),  # 公共 is no 共
        ("全年共受理申请20件,调解结案50件,占25%。", None, None),  # a smaller "total"
    ],
)
def test_share_bound_to_the_one_total(ruleset: RuleSet, text: str, base: str | None, bound: str | None) -> None:
    (share,) = facts_of(text, ruleset).shares
    assert ([b.text for b in share.bases][:1] or [None])[0] == base and share.bound_to_total == bound


@pytest.mark.parametrize(
    "text",
    [
        "2024年办理66件、2022年60件,增长10%。",  # not last year
        "2023年受理复议案件80件,2024年受理诉讼案件100件,增长25%。",  # another object
        "2023年受理80件、2024年审结100件,增长25%。",  # another role
        "从2024年的40件增加到2023年的50件,增长25%。",  # years backwards
        "受理120件,办结110件。上年100件,同比增长20%。",  # another sentence
        "受理120件,上年100件,办结110件,同比增长20%。",  # a count between the prior and the change
        "受理120件,审结上年110件,同比增长9%。",  # not a prior: 上年 is the object's
        "刑事案件48件,同比下降20%,其中减少12件。",  # words between the percentage and the difference
        "刑事案件48件,同比下降20%,减少出庭12人次。",  # a difference of another unit class
    ],
)
def test_no_growth_without_a_clear_prior(ruleset: RuleSet, text: str) -> None:
    assert not facts_of(text, ruleset).growths


@pytest.mark.parametrize(
    ("text", "prior", "current"),
    [
        ("2023年群众满意率为90%,2024年为93%,提高3个百分点。", "90%", "93%"),  # the earlier year first
        ("2024年群众满意率为93%,2023年为90%,提高3个百分点。", "90%", "93%"),
        ("群众满意率由90%提高到93%,提高3个百分点。", "90%", "93%"),
        ("群众满意率由上年的90%提高到93%,提高3个百分点。", "90%", "93%"),
    ],
)
def test_rate_points_either_order(ruleset: RuleSet, text: str, prior: str, current: str) -> None:
    (fact,) = facts_of(text, ruleset).rate_points
    assert (fact.prior.text, fact.rate.text, fact.rate.name.removeprefix("年")) == (prior, current, "群众满意率")


def test_rate_points(ruleset: RuleSet) -> None:
    (fact,) = facts_of("群众满意率为92%,上年为90%,提高2个百分点。", ruleset).rate_points
    assert (fact.rate.name, fact.prior.text, fact.points.text, fact.points.direction) == (
        "群众满意率",
        "90%",
        "2个百分点",
        1,
    )


@pytest.mark.parametrize(
    ("text", "marker", "total", "parts", "exhaustive"),
    [
        ("受理诉求300件,其中城管类120件、民生类100件、其他80件。", "其中", "300件", ["120件", "100件", "80件"], True),
        ("受理诉求300件,其中城管类120件、民生类100件。", "其中", "300件", ["120件", "100件"], False),
        ("化解婚姻纠纷40件、邻里纠纷30件,共计70件。", "共计", "70件", ["40件", "30件"], True),
        ("办结案件60件,维持40件、驳回15件、撤销3件。", "outcomes", "60件", ["40件", "15件", "3件"], False),
        ("审结案件80件,其中维持50件,驳回20件。", "其中", "80件", ["50件", "20件"], False),
    ],
)
def test_breakdown_shapes(
    ruleset: RuleSet, text: str, marker: str, total: str, parts: list[str], exhaustive: bool
) -> None:
    (b,) = facts_of(text, ruleset).breakdowns
    assert (b.marker, b.total.text, [p.text for p in b.parts], b.exhaustive) == (marker, total, parts, exhaustive)


def test_total_word_reads_only_the_list_before_it(ruleset: RuleSet) -> None:
    (b,) = facts_of("受理纠纷100件,化解40件、调处30件,共计70件。", ruleset).breakdowns
    assert [p.text for p in b.parts] == ["40件", "30件"]


@pytest.mark.parametrize(
    ("text", "items", "joined"),
    [
        ("共有4个单位,分别是甲局、乙局、丙局。", ("甲局", "乙局", "丙局"), 0),
        ("出台2项制度,即《关于A、B的办法》、《C规定》。", ("□", "□"), 0),
        ("设立3个组,分别是综合组、督查组和保障组。", ("综合组", "督查组和保障组"), 1),
    ],
)
def test_enumerations(ruleset: RuleSet, text: str, items: tuple[str, ...], joined: int) -> None:
    (fact,) = facts_of(text, ruleset).enumerations
    assert (fact.items, fact.joined) == (items, joined)


@pytest.mark.parametrize(
    "text",
    [
        "共有4个单位,分别是甲局、乙局等。",
        "共有4个单位,包括甲局、乙局。",
        "共有约4个单位,分别是甲局、乙局。",
        "共有40个单位,分别是甲局、乙局。",
    ],
)
def test_no_enumeration(ruleset: RuleSet, text: str) -> None:
    assert not facts_of(text, ruleset).enumerations


def test_a_span_of_months_is_no_count(ruleset: RuleSet) -> None:
    assert roles_of("前10个月判决败诉233件。", ruleset) == [("233件", "败诉")]


def test_a_fraction_of_a_counted_unit_is_an_average_not_a_count(ruleset: RuleSet) -> None:
    assert roles_of("法官人均结案233.13件,其中500件以上1人。", ruleset) == [("500件以上", None), ("1人", None)]
    assert [c.text for c in facts_of("完成数据采集1.6万件,罚款2.5万元。", ruleset).counts] == ["1.6万件", "2.5万元"]


def test_a_share_after_a_list_of_counts_is_not_of_its_last_item(ruleset: RuleSet) -> None:
    assert not facts_of("类型分别有209件、184件、71件,占总量的55.8%。", ruleset).shares


def test_totals_are_found_once_per_paragraph_whatever_the_shares(
    ruleset: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    from checker.extract import claims

    calls = [0]
    original = claims._a_total

    def counted(*args: object) -> bool:
        calls[0] += 1
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(claims, "_a_total", counted)
    text = "全年共受理申请9000件," + ",".join(f"调解{i}件,占{i}%" for i in range(1, 301)) + "。"
    facts = facts_of(text, ruleset)
    assert calls[0] == len(facts.counts)  # not once per share and count: hostile input stays linear
    assert all(s.bases and s.bases[0].text == "9000件" for s in facts.shares)
