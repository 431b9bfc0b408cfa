"""The compiled vocabulary of numeric claims (from ``[vocabulary]`` tables in rules/*.toml).

NamedTuples with compiled patterns: pickled with the rule set, so a warm run
neither re-reads nor re-validates it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

# A letter of any script: Han in practice. Not [\u4e00-\u9fff]: re compiles a class of
# 21 000 characters one by one (~1 ms per pattern that holds it, on every run).
LETTER = r"[^\W\d_]"
MAX_RATE_NAME_LETTERS = 10  # letters of a rate's name before its ending (矛盾纠纷化解成功率)


class Ending(NamedTuple):
    """A pattern that ends a text: ``body`` (no whitespace in it, at most ``reach``
    characters) then only whitespace. re cannot search backwards, and these bodies start
    with a class, a repeat or an optional group: tried at every character of a gap they
    cost ~0.2 µs each. Searching from ``reach`` characters before the trailing whitespace
    finds the same match (tests/test_claims.py checks each reach against its body)."""

    pattern: re.Pattern[str]
    reach: int

    @classmethod
    def of(cls, body: str, reach: int) -> Ending:
        return cls(re.compile(body + r"\s*$"), reach)

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text, max(0, len(text.rstrip()) - self.reach))


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def rate_endings(endings: list[str], verbs: list[str]) -> tuple[Ending, Ending] | None:
    """A rate's name (up to 10 letters and an ending: 化解成功率) with the verb after it
    (达, 保持在), and the name alone, as endings of the words before a percentage."""
    if not endings:
        return None
    word = rf"({LETTER}{{0,{MAX_RATE_NAME_LETTERS}}}(?:{_alternatives(endings)}))"
    name_reach = MAX_RATE_NAME_LETTERS + max(map(len, endings))
    verb = rf"(?:{_alternatives(verbs)})?" if verbs else ""
    verb_reach = max(map(len, verbs), default=0)
    return Ending.of(word + r"(?:均|分别)?" + verb, name_reach + 2 + verb_reach), Ending.of(word, name_reach)


def change_ending(bases: list[str], words: list[str]) -> Ending | None:
    """A change word (增长, 下降) with what it compares to before it (同比, 较上年)."""
    if not words:
        return None
    base = rf"(?:{_alternatives(bases)})?[,]?" if bases else ""
    reach = (max(map(len, bases)) + 1 if bases else 0) + max(map(len, words)) + 1
    return Ending.of(base + rf"({_alternatives(words)})了?", reach)


class PairDef(NamedTuple):
    whole: frozenset[str]
    part: frozenset[str]
    carry_over_possible: bool  # e.g. 审结 > 收案 in court figures: last year's cases close this year


class RateDef(NamedTuple):
    names: frozenset[str]
    part: frozenset[str]
    whole: frozenset[str]
    # The numerator is every part named (纠错率: 撤销 + 变更 + 确认违法 + 责令履行), not one of them.
    sums_parts: bool = False


class OutcomeDef(NamedTuple):
    """The outcomes that partition a whole (审结 → 维持, 驳回, 撤销 …)."""

    whole: frozenset[str]
    outcomes: frozenset[str]


class GrowthWords(NamedTuple):
    """The shapes of two values of one figure and the change between them (growth, N205),
    compiled from the vocabulary's word lists (docs/rules.md, "The vocabulary")."""

    # Last year's value ends the words before a count: "与上年" "(上年" "上年同期为" "2023年"
    # (group ``year``).
    prior: re.Pattern[str]
    # A difference from last year ends them: "比上年减少" (group 1: the change word).
    prior_delta: re.Pattern[str]
    delta_word: re.Pattern[str]  # "增加" right before a difference: 增加15件
    from_words: tuple[str, ...]  # 由, 从: a quick test before ``growth_from``
    growth_from: re.Pattern[str]  # "由" "从2023年的" "由上年的" right before the first value (group ``year``)
    growth_to: re.Pattern[str]  # "增至" "增加到2024年的" between the two values (group ``year``)
    # "2024年" "2024年受理" right before this year's count stated after last year's (2023年受理80件、
    # 2024年100件): the year (group ``year``) and the words that restate the earlier's (``words``).
    year_then_words: re.Pattern[str]
    down: frozenset[str]  # every word above that goes down (减少, 少, 降)
    # Multiples, over the words of a clause before "N倍" with each number in it written #:
    # "是上年#的" (N ×), "增长" "比上年#增长" ((N + 1) ×); the words before a fixed phrase.
    times: re.Pattern[str] | None
    increase: re.Pattern[str] | None
    phrase_lead: re.Pattern[str] | None
    phrases: re.Pattern[str] | None  # 翻一番, 减少一半 …
    phrase_ratios: dict[str, Decimal]  # each phrase's current / prior
    phrase_ends: frozenset[str]  # the last letter of each phrase: a quick test before ``phrases``
    # "全年共受理200件": the words that mark a count as the total of its paragraph, and the
    # words that hold one without being one (公共, 共同), in one alternation.
    whole_markers: re.Pattern[str] | None
    whole_marker_words: frozenset[str]


def growth_words(
    prior: list[str],
    prior_verbs: list[str],
    compare: list[str],
    compare_end: list[str],
    change_bases: list[str],
    up: list[str],
    down: list[str],
    growth_from: list[str],
    growth_to: list[str],
    multiple_times: list[str],
    multiple_phrases: dict[str, Decimal],
    whole_markers: list[str],
    whole_marker_exceptions: list[str],
) -> GrowthWords | None:
    """Compile the growth shapes; None when a list they all need is empty. ``up`` and
    ``down`` hold every change word (the one-letter ones of 增至 and the 多/少 of 多10件 too)."""
    if not (prior and compare and up and down and growth_from and growth_to):
        return None
    prior_re, verbs = _alternatives(prior), _alternatives(prior_verbs)
    verb = f"(?:{verbs})?" if prior_verbs else ""
    change = _alternatives(up + down)
    compared_to = f"(?:{_alternatives(compare_end)})?" if compare_end else ""
    year = r"\d{4}年度?"
    # A base of a comparison: last year (上年, 2023年), maybe with its value (#) stated.
    base = rf"(?:{prior_re}|{year})的?#?"
    lead = rf"(?:(?:{_alternatives(compare)}){base}{compared_to},?" + (
        rf"|(?:{_alternatives(change_bases)}),?)?" if change_bases else ")?"
    )
    # The multiples use the change words of two letters and more (增长, not 增).
    long_up = [w for w in up if len(w) > 1]
    to = _alternatives(growth_to)
    times = (
        re.compile(rf"(?:^|#)(?:(?:{_alternatives(multiple_times)}){base}的|(?:{_alternatives(up)})(?:{to})(?:{base}的)?)$")
        if multiple_times
        else None
    )
    return GrowthWords(
        prior=re.compile(rf"(?:{prior_re})(?:{verbs}|的)?\s*$|(?P<year>\d{{4}})年{verb}\s*$"),
        prior_delta=re.compile(rf"(?:{_alternatives(compare)})(?:{prior_re}){compared_to},?({change})了?\s*$"),
        delta_word=re.compile(rf"(?:{_alternatives(long_up + [w for w in down if len(w) > 1])})了?\s*$"),
        from_words=tuple(growth_from),
        growth_from=re.compile(
            rf"(?:{_alternatives(growth_from)})(?:(?:{prior_re})的?|(?P<year>\d{{4}})年度?的?)?\s*$"
        ),
        growth_to=re.compile(rf"\s*(?:{change})(?:{to})(?:(?P<year>\d{{4}})年度?的?)?\s*"),
        year_then_words=re.compile(rf"(?P<year>\d{{4}})年度?{verb}(?P<words>{LETTER}{{0,16}})\s*$"),
        down=frozenset(down),
        times=times,
        increase=re.compile(rf"(?:^|#){lead}(?P<word>(?:{_alternatives(long_up)})了?)$") if long_up else None,
        phrase_lead=re.compile(rf"(?:^|#){lead}$"),
        phrases=words_pattern(list(multiple_phrases)),
        phrase_ratios=dict(multiple_phrases),
        phrase_ends=frozenset(phrase[-1] for phrase in multiple_phrases),
        whole_markers=words_pattern(whole_markers + whole_marker_exceptions) if whole_markers else None,
        whole_marker_words=frozenset(whole_markers),
    )


class Vocabulary(NamedTuple):
    unit_class: dict[str, str]  # unit → class; units of one class compare
    carry_over: re.Pattern[str] | None
    pairs: tuple[PairDef, ...]
    rates: tuple[RateDef, ...]
    roles: re.Pattern[str] | None  # every counting word, longest first
    rate_names: re.Pattern[str] | None  # every rate name with a definition, longest first
    bounded: re.Pattern[str] | None  # endings of rate names that lie in [0, 100]
    unbounded: re.Pattern[str] | None  # names that look bounded but are not (增长率)
    # Clause roles: a counting word negated right before it (不予受理, 未办结) or ending a
    # time clause right after it (受理后撤回) is not the role of the number that follows.
    role_negation: re.Pattern[str] | None = None
    role_clause_end: re.Pattern[str] | None = None
    # The words before a percentage that make it a share of a whole (占比, 占…的, 比例为).
    share: re.Pattern[str] | None = None
    share_words: re.Pattern[str] | None = None  # the share words alone: a quick test before ``share``
    outcomes: tuple[OutcomeDef, ...] = ()
    closing: re.Pattern[str] | None = None  # 其他, 其余: the last item of a complete list
    total_words: re.Pattern[str] | None = None  # ",共计" before a total that follows its items
    # "4个单位,分别是A、B、C": a count, the words that introduce its items, the list.
    enumeration: re.Pattern[str] | None = None
    durations: re.Pattern[str] | None = None  # 个月: a counting unit that starts a span of time
    rate_name: Ending | None = None  # 化解率达 before a percentage: a stated rate
    rate_before: Ending | None = None  # the name alone
    change: Ending | None = None  # 同比下降 before a percentage: a change
    down: frozenset[str] = frozenset()  # the change words that go down
    comparison: tuple[str, ...] = ()  # words that make a sentence about another period or a subset
    growth: GrowthWords | None = None  # prior values, from-to pairs, multiples, totals a share binds to

    def rate(self, name: str) -> RateDef | None:
        return next((r for r in self.rates if name in r.names), None)

    def pair_of(self, whole: str, part: str) -> PairDef | None:
        return next((p for p in self.pairs if whole in p.whole and part in p.part), None)

    def outcomes_of_one_whole(self, roles: list[str]) -> bool:
        """维持、驳回、撤销: every role a part of one pair, none a whole: items of a total."""
        wholes = {w for p in self.pairs for w in p.whole}
        return not wholes.intersection(roles) and any(all(r in p.part for r in roles) for p in self.pairs)

    def is_outcome(self, whole: str | None, role: str | None) -> bool:
        return any(whole in o.whole and role in o.outcomes for o in self.outcomes)

    def is_outcome_whole(self, role: str | None) -> bool:
        return any(role in o.whole for o in self.outcomes)

    def is_bounded(self, name: str) -> bool:
        if self.bounded is None or not self.bounded.search(name):
            return False
        return self.unbounded is None or not self.unbounded.search(name)


def share_pattern(words: list[str] | set[str] | frozenset[str]) -> re.Pattern[str] | None:
    """The words that end the text before a share: ``,占比为`` ``占全部案件的`` ``维持类占``
    (a label: the words since the last ,;: before the share word)."""
    share_words = words_pattern(words)
    if share_words is None:
        return None
    return re.compile(
        r"(?:^|(?<=[,;:]))\s*(?P<label>[^,;:。\d%\s]{0,12}?)"
        rf"(?P<word>{share_words.pattern})(?P<whole>[^,;:。\d%]{{1,12}}?的)?(?:比例|比重)?"
        r"(?:为|达到|达|约为|约|是)?\s*$"
    )


def total_words_pattern(words: list[str]) -> re.Pattern[str] | None:
    """The words between the last item of a list and the total after it (``,共计``)."""
    alternatives = words_pattern(words)
    return re.compile(rf"[,\s]*({alternatives.pattern})(?:为|是|达)?\s*") if alternatives else None


def enumeration_pattern(words: list[str]) -> re.Pattern[str] | None:
    """After a count: a noun (单位), the introducing word (分别是), the list to the clause end."""
    alternatives = words_pattern(words)
    if alternatives is None:
        return None
    return re.compile(rf"[^,;:。\d]{{0,12}}?[,:]?\s*(?:{alternatives.pattern}):?(?P<list>[^,;:。!?]{{3,200}})")


def words_pattern(words: list[str] | set[str] | frozenset[str]) -> re.Pattern[str] | None:
    """One alternation, longest word first, so 调处成功 wins over 调处."""
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))))


EMPTY = Vocabulary({}, None, (), (), None, None, None, None)
