"""The compiled vocabulary of numeric claims (from ``[vocabulary]`` tables in rules/*.toml).

NamedTuples with compiled patterns: pickled with the rule set, so a warm run
neither re-reads nor re-validates it.
"""

from __future__ import annotations

import re
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
