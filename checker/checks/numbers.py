"""Numeric kinds: the arithmetic a report's own figures imply (docs/rules.md, "Numeric kinds").

Every check reads the facts the extract stage built (``doc.facts``). Arithmetic is in
``Decimal``; a stated value with d decimals is consistent when the true value, rounded
half-up *or* truncated to d decimals, equals it (XBRL calculation checks model stated
values the same way: many authors truncate). Approximate figures (余 多 近 约) take part in
bound checks only.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterator
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import NamedTuple

from checker.checks import Context, Finding, FindingLabel, KindSpec, Text
from checker.checks.tables import check_table_parts, check_table_rates, check_table_totals
from checker.extract.vocabulary import PairDef, RateDef
from checker.model import (
    CountFact,
    Document,
    Facts,
    GrowthFact,
    MultipleFact,
    Quantity,
    RateFact,
    Severity,
    ShareFact,
)

HUNDRED = Decimal(100)
# How many counts before a part or a rate may hold its whole: a figure further back than
# this is about something else, and the bound keeps hostile input linear.
LOOK_BACK = 40
# A rate stated with 约/近/左右 is checked within this many percentage points.
APPROX_TOLERANCE = Decimal(1)


def _facts(doc: Document) -> Facts:
    assert doc.facts is not None, "the extract stage runs before numeric rules"
    return doc.facts


def fmt(value: Decimal, decimals: int | None = None) -> str:
    """A number as a reader writes it: no exponent, no trailing zeros unless asked."""
    if decimals is not None:
        return f"{value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):f}"
    text = f"{value.normalize():f}"
    return text


def consistent(stated: Decimal, decimals: int, true_value: Decimal, approximate: bool = False) -> bool:
    if approximate:
        return abs(true_value - stated) <= APPROX_TOLERANCE
    quantum = Decimal(1).scaleb(-decimals)
    return stated in (
        true_value.quantize(quantum, rounding=ROUND_HALF_UP),
        true_value.quantize(quantum, rounding=ROUND_DOWN),
    )


def _exact(fact: CountFact) -> bool:
    return fact.quantity.approx is None


def _count_label(fact: CountFact, zh: str, en: str) -> FindingLabel:
    return FindingLabel(fact.span, Text(zh, en))


# --------------------------------------------------------------------------- N201 part > whole


class PartWholeParams(NamedTuple):
    carry_over_severity: Severity  # severity when carry-over can explain the excess


def _objects_agree(whole: CountFact, part: CountFact) -> bool:
    """The part counts the whole's object: it names none of its own, or the same one."""
    return not part.object or not whole.object or part.object in whole.object or whole.object in part.object


def _mentions_carry_over(doc: Document, paragraph: int, ctx: Context) -> bool:
    """Whether the paragraph names a carry-over (结转, 累计 …): searched once per paragraph,
    not once per finding (a one-line report of thousands of excesses was quadratic)."""
    carry_over = ctx.vocabulary.carry_over
    if carry_over is None:
        return False
    return doc.derived(("carry-over", paragraph), lambda: carry_over.search(doc.paragraphs[paragraph].text) is not None)


@functools.lru_cache(maxsize=8)
def _wholes_of(pairs: tuple[PairDef, ...]) -> dict[str, frozenset[str]]:
    """Each part's role → the roles of the wholes it is a part of (itself left out): what
    ``vocabulary.pair_of(whole, part) is not None and whole != part`` asks, as one set
    (built once per rule set: it costs more than the check of a report's counts)."""
    wholes: dict[str, set[str]] = {}
    for pair in pairs:
        for part in pair.part:
            wholes.setdefault(part, set()).update(pair.whole)
    return {part: frozenset(roles - {part}) for part, roles in wholes.items()}


def check_part_whole(doc: Document, params: PartWholeParams, ctx: Context) -> Iterator[Finding]:
    facts = _facts(doc)
    vocab = ctx.vocabulary
    wholes_of = _wholes_of(vocab.pairs)
    for index, part in enumerate(facts.counts):
        if part.role is None or part.quantity.lower is None:
            continue
        wholes = wholes_of.get(part.role)
        if not wholes:
            continue  # a role that is no part of a pair: no count before it is its whole
        whole = next(
            (
                w
                for w in reversed(facts.counts[max(0, index - LOOK_BACK) : index])
                if w.role in wholes
                and w.sentence == part.sentence
                and w.in_parens == part.in_parens
                and w.unit_class == part.unit_class
            ),
            None,
        )
        if whole is None or whole.role is None or whole.quantity.upper is None:
            continue
        if not _objects_agree(whole, part) or part.quantity.lower <= whole.quantity.upper:
            continue
        pair = vocab.pair_of(whole.role, part.role)
        carry = (pair is not None and pair.carry_over_possible) or _mentions_carry_over(doc, part.paragraph, ctx)
        yield Finding(
            span=part.span,
            args={"part_role": part.role, "part": part.text, "whole_role": whole.role, "whole": whole.text},
            labels=(
                _count_label(part, f"{part.role} {part.text}", f"{part.role} {part.text}"),
                _count_label(whole, f"{whole.role} {whole.text}", f"{whole.role} {whole.text}"),
            ),
            severity=params.carry_over_severity if carry else None,
            note=Text(
                "段落提到结转/累计,超出部分可能是上年结转",
                "the paragraph mentions carry-over: the excess may be last year's cases",
            )
            if carry
            else None,
        )
    for breakdown in facts.breakdowns:
        total = breakdown.total
        for part in breakdown.parts:
            if (
                total.quantity.upper is not None
                and part.quantity.lower is not None
                and part.quantity.lower > total.quantity.upper
            ):
                yield Finding(
                    span=part.span,
                    variant="breakdown",
                    args={"part": part.text, "whole": total.text},
                    labels=(
                        _count_label(part, "其中一项", "one item"),
                        _count_label(total, "总数", "total"),
                    ),
                )
    yield from check_table_parts(doc, vocab, params.carry_over_severity)


# --------------------------------------------------------------------------- N202 / N206 rates


class RateCheck(NamedTuple):
    rate: RateFact
    parts: tuple[CountFact, ...]  # the numerator: one count, or every outcome a summing rate names
    whole: CountFact
    true_value: Decimal
    # The numerator may be short of the truth: a summing rate (纠错率) whose list of outcomes
    # may be partial, so the rate it gives is a lower bound.
    at_least: bool = False

    @property
    def part_value(self) -> Decimal:
        return sum((p.quantity.value for p in self.parts), Decimal(0))


def rate_checks(doc: Document, ctx: Context) -> list[tuple[RateFact, list[RateCheck]]]:
    """Each stated rate with a definition, and every (part, whole) reading of it found
    in its paragraph. Empty when the counts are not there to check."""
    vocabulary, checks = doc.derived("rate checks", lambda: (ctx.vocabulary, list(_rate_checks(doc, ctx))))
    return checks if vocabulary is ctx.vocabulary else list(_rate_checks(doc, ctx))


def _rate_checks(doc: Document, ctx: Context) -> Iterator[tuple[RateFact, list[RateCheck]]]:
    facts = _facts(doc)
    vocab = ctx.vocabulary
    starts = [c.span.start for c in facts.counts]
    # Each rate name with its definition, longest first: 按期办结率 before 办结率.
    names = sorted(((n, d) for d in vocab.rates for n in d.names), key=lambda nd: -len(nd[0])) if facts.rates else []
    for index, rate in enumerate(facts.rates):
        definition = next((d for name, d in names if rate.name.endswith(name)), None)
        if definition is None:
            continue
        at = bisect.bisect_left(starts, rate.span.start)
        readings = _readings(rate, definition, _counts_before(facts.counts, at, rate))
        if not readings:
            # "出庭应诉率为95%,开庭审理40件,出庭应诉38件": a rate stated before its counts,
            # in its own sentence, up to the next rate (the counts before a rate are its own).
            following = facts.rates[index + 1] if index + 1 < len(facts.rates) else None
            stop = following.span.start if following is not None else None
            readings = _readings(rate, definition, _counts_after(facts.counts, at, rate, stop))
        yield rate, readings


def _counts_before(counts: list[CountFact], at: int, rate: RateFact) -> list[CountFact]:
    return [
        c
        for c in counts[max(0, at - LOOK_BACK) : at]
        if c.paragraph == rate.paragraph
        and c.span.end <= rate.span.start
        and (rate.in_parens or not c.in_parens)
        and _exact(c)
    ]


def _counts_after(counts: list[CountFact], at: int, rate: RateFact, stop: int | None) -> list[CountFact]:
    return [
        c
        for c in counts[at : at + LOOK_BACK]
        if c.sentence == rate.sentence
        and (stop is None or c.span.end <= stop)
        and (rate.in_parens or not c.in_parens)
        and _exact(c)
    ]


def _readings(rate: RateFact, definition: RateDef, counts: list[CountFact]) -> list[RateCheck]:
    """Every (numerator, denominator) reading of ``rate`` among ``counts``, nearest first."""
    parts = [c for c in counts if c.role in definition.part]
    if not parts:
        return []
    part = parts[-1]
    readings = []
    for whole in reversed(_whole_candidates(counts, part, definition.whole)):
        if whole.quantity.value <= 0:
            continue
        if definition.sums_parts:
            # The sum of the outcomes named is a lower bound; each one alone may be the
            # total of the others (纠错10件,其中撤销6件、变更4件).
            summed = _summed_parts(parts, whole)
            numerators = [(summed, True), *(((p,), False) for p in summed if len(summed) > 1)]
        else:
            numerators = [((part,), False)]
        for numerator, at_least in numerators:
            value = sum((p.quantity.value for p in numerator), Decimal(0))
            readings.append(RateCheck(rate, numerator, whole, value * HUNDRED / whole.quantity.value, at_least))
    return readings


def _summed_parts(parts: list[CountFact], whole: CountFact) -> tuple[CountFact, ...]:
    """The outcomes of ``whole`` named after it, one count per role (the nearest)."""
    by_role: dict[str | None, CountFact] = {}
    for c in parts:
        if c.span.start > whole.span.end and c.unit_class == whole.unit_class:
            by_role[c.role] = c
    return tuple(sorted(by_role.values(), key=lambda c: c.span.start))


def _whole_candidates(before: list[CountFact], part: CountFact, roles: frozenset[str]) -> list[CountFact]:
    """Possible denominators of a rate whose numerator is ``part``, nearest last: counts
    with a whole's role in the part's sentence (else anywhere earlier in the paragraph),
    and the role-less count right before the part ("矛盾纠纷979起,成功调处970起")."""
    earlier = [c for c in before if c.span.end <= part.span.start and c.unit_class == part.unit_class]
    named = [c for c in earlier if c.role in roles]
    same_sentence = [c for c in named if c.sentence == part.sentence]
    candidates = same_sentence or named
    if earlier and earlier[-1].role is None and earlier[-1].sentence == part.sentence:
        candidates = [*candidates, earlier[-1]]
    return sorted(candidates, key=lambda c: c.span.start)


def _rate_labels(check: RateCheck) -> tuple[FindingLabel, ...]:
    zh_sum, en_sum = (" (计入分子)", " (numerator)") if len(check.parts) > 1 else ("", "")
    return (
        FindingLabel(check.rate.span, Text("所述比率", "stated rate")),
        *(_count_label(p, f"{p.role} {p.text}{zh_sum}", f"{p.role} {p.text}{en_sum}") for p in check.parts),
        _count_label(check.whole, f"{check.whole.role} {check.whole.text}", f"{check.whole.role} {check.whole.text}"),
    )


def _numerator(check: RateCheck) -> str:
    """``5`` or ``(5+3+2) = 10``: the arithmetic of a summed numerator shown."""
    if len(check.parts) == 1:
        return fmt(check.part_value)
    return "(" + "+".join(fmt(p.quantity.value) for p in check.parts) + f"={fmt(check.part_value)})"


def _rate_args(check: RateCheck) -> dict[str, object]:
    q = check.rate.quantity
    return {
        "rate_name": check.rate.name,
        "stated": check.rate.text,
        "part": _numerator(check),
        "whole": fmt(check.whole.quantity.value),
        "computed": fmt(check.true_value, max(2, q.decimals)) + "%",
    }


def check_rate(doc: Document, params: object, ctx: Context) -> Iterator[Finding]:
    for rate, readings in rate_checks(doc, ctx):
        q = rate.quantity
        if not readings or (q.value == HUNDRED and readings[0].part_value < readings[0].whole.quantity.value):
            continue  # nothing to check, or N206's finding
        approximate = q.approx is not None
        # Precision first: any reading of the counts that matches the rate clears it, and
        # a rate above what a partial list of outcomes gives may count the unnamed ones.
        if any(
            consistent(q.value, q.decimals, r.true_value, approximate) or (r.at_least and q.value > r.true_value)
            for r in readings
        ):
            continue
        yield Finding(span=rate.span, args=_rate_args(readings[0]), labels=_rate_labels(readings[0]))
    for share in _facts(doc).shares:
        checks = share_checks(share)
        if checks and not any(bound_consistent(share.quantity, c.true_value) for c in checks):
            yield Finding(
                span=share.span,
                variant="share",
                args=_rate_args(checks[0]),
                labels=_share_labels(checks[0]),
                # Bound to the one total of its paragraph: in another sentence, or of a counting
                # word that is not the total's part, it may be of another whole.
                severity="warning" if share.bound_to_total == "likely" else None,
                note=_BOUND_NOTE if share.bound_to_total is not None else None,
            )
    yield from check_table_rates(doc, ctx.vocabulary, consistent)


_BOUND_NOTE = Text(
    "未写明整体:按本段唯一标明“共/累计/全年”的总数计算",
    "no whole named: computed against the one total (共/累计/全年) of the paragraph",
)


def share_checks(share: ShareFact) -> list[RateCheck]:
    """The arithmetic of a share with a count: part / base, for each base it may have."""
    part = share.part
    if part is None or not _exact(part):
        return []
    return [
        RateCheck(share, (part,), base, part.quantity.base_value * HUNDRED / base.quantity.base_value)
        for base in share.bases
        if _exact(base) and base.quantity.base_value > 0
    ]


def _share_labels(check: RateCheck) -> tuple[FindingLabel, ...]:
    part, whole = check.parts[0], check.whole
    return (
        FindingLabel(check.rate.span, Text("所述占比", "stated share")),
        _count_label(part, f"部分 {part.text}", f"part {part.text}"),
        _count_label(whole, f"整体 {whole.text}", f"whole {whole.text}"),
    )


def bound_consistent(q: Quantity, true_value: Decimal) -> bool:
    """A stated percentage against the true one, its approximation marker read as a bound:
    ``35%以上`` holds for 35.4% and 80%, ``近90%`` for 89.6%, ``约30%`` within a point."""
    if q.approx is None:
        return consistent(q.value, q.decimals, true_value)
    quantum = Decimal(1).scaleb(-q.decimals)
    rounded = true_value.quantize(quantum, rounding=ROUND_HALF_UP)
    if q.lower is not None and q.upper is None:
        return rounded >= q.lower
    if q.upper is not None and q.lower is None:
        return rounded <= q.upper
    return consistent(q.value, q.decimals, true_value, approximate=True)


def check_full_rate(doc: Document, params: object, ctx: Context) -> Iterator[Finding]:
    for rate, readings in rate_checks(doc, ctx):
        if rate.quantity.value != HUNDRED or not readings:
            continue
        if any(r.part_value >= r.whole.quantity.value or r.at_least for r in readings):
            continue
        check = readings[0]
        args = _rate_args(check) | {"shortfall": fmt(check.whole.quantity.value - check.part_value)}
        yield Finding(span=rate.span, args=args, labels=_rate_labels(check))


# --------------------------------------------------------------------------- N203 breakdowns


def check_breakdown(doc: Document, params: object, ctx: Context) -> Iterator[Finding]:
    for breakdown in _facts(doc).breakdowns:
        total = breakdown.total
        lower_sum = sum((p.quantity.lower or Decimal(0) for p in breakdown.parts), Decimal(0))
        shown = "+".join(fmt(p.quantity.value) for p in breakdown.parts[:8]) + (
            "+…" if len(breakdown.parts) > 8 else ""
        )
        arithmetic = f"{shown} = {fmt(lower_sum)}"
        labels = (
            FindingLabel(
                total.span, Text(f"总数 {total.text};分项 {arithmetic}", f"total {total.text}; items {arithmetic}")
            ),
            *(FindingLabel(p.span, Text("分项", "item")) for p in breakdown.parts[:8]),
        )
        args = {"sum": fmt(lower_sum), "total": total.text, "count": len(breakdown.parts)}
        if total.quantity.upper is not None and lower_sum > total.quantity.upper:
            variant = "outcomes" if breakdown.marker == "outcomes" else "default"
            yield Finding(span=breakdown.marker_span, variant=variant, args=args, labels=labels)
        elif (
            breakdown.exhaustive
            and _exact(total)
            and all(_exact(p) for p in breakdown.parts)
            and lower_sum != total.quantity.value
        ):
            yield Finding(span=breakdown.marker_span, variant="exhaustive", args=args, labels=labels)
    yield from check_share_lists(doc)
    yield from check_table_totals(doc)


def check_share_lists(doc: Document) -> Iterator[Finding]:
    """Shares of one whole named by labels in one sentence (维持类占60%,驳回类占30%…):
    together they never pass 100% (each rounded: half a unit of its last digit each)."""
    by_sentence: dict[int, list[ShareFact]] = {}
    for share in _facts(doc).shares:
        if share.part is None and not share.names_whole and share.quantity.approx is None:
            by_sentence.setdefault(share.sentence, []).append(share)
    for shares in by_sentence.values():
        if len(shares) < 2:
            continue
        total = sum((s.quantity.value for s in shares), Decimal(0))
        slack = sum((Decimal(1).scaleb(-s.quantity.decimals) / 2 for s in shares), Decimal(0))
        if total - slack > HUNDRED:
            yield Finding(
                span=shares[0].span,
                variant="shares",
                args={"sum": fmt(total) + "%", "total": "100%", "count": len(shares)},
                labels=tuple(
                    FindingLabel(s.span, Text(f"{s.name} {s.text}", f"{s.name} {s.text}")) for s in shares[:8]
                ),
            )


# --------------------------------------------------------------------------- N204 bounds


def check_bounds(doc: Document, params: object, ctx: Context) -> Iterator[Finding]:
    facts = _facts(doc)
    for rate in facts.rates:
        value = rate.quantity.lower if rate.quantity.lower is not None else rate.quantity.value
        if ctx.vocabulary.is_bounded(rate.name) and value > HUNDRED:
            yield Finding(
                span=rate.span,
                args={"name": rate.name, "stated": rate.text},
                labels=(FindingLabel(rate.span, Text("超过 100%", "over 100%")),),
            )
    for share in facts.shares:
        if share.quantity.value > HUNDRED:
            yield Finding(
                span=share.span,
                args={"name": share.name, "stated": share.text},
                labels=(FindingLabel(share.span, Text("超过 100%", "over 100%")),),
            )
    for change in facts.changes:
        if change.direction < 0 and change.quantity.value > HUNDRED:
            yield Finding(
                span=change.span,
                variant="decline",
                args={"name": "", "stated": change.text},
                labels=(FindingLabel(change.span, Text("降幅超过 100%", "decline over 100%")),),
            )


# --------------------------------------------------------------------------- N205 growth


def prior_value(growth: GrowthFact) -> Decimal | None:
    """The earlier value of a growth: stated (由A, 上年Y), or this year's value less the
    stated difference (X件,比上年减少D件: X + D). None when it is not exact."""
    if growth.before is not None:
        return growth.before.quantity.value if _exact(growth.before) else None
    delta = growth.stated_delta
    if delta is None or not _exact(delta):
        return None
    return growth.after.quantity.value - growth.direction * delta.quantity.value


def _growth_labels(growth: GrowthFact, prior: Decimal) -> list[FindingLabel]:
    before, after = growth.before, growth.after
    if growth.shape == "from-to" and before is not None:
        return [
            _count_label(before, f"由 {before.text}", f"from {before.text}"),
            _count_label(after, f"至 {after.text}", f"to {after.text}"),
        ]
    labels = [_count_label(after, f"本年 {after.text}", f"this year {after.text}")]
    if before is not None:
        return [*labels, _count_label(before, f"上年 {before.text}", f"last year {before.text}")]
    delta = growth.stated_delta
    assert delta is not None
    sign = "+" if growth.direction > 0 else "−"
    arithmetic = (
        f"{fmt(after.quantity.value)} {'−' if growth.direction > 0 else '+'} {fmt(delta.quantity.value)} = {fmt(prior)}"
    )
    return [
        *labels,
        _count_label(
            delta, f"比上年 {sign}{delta.text}:上年 = {arithmetic}", f"{sign}{delta.text} on last year: {arithmetic}"
        ),
    ]


def check_growth(doc: Document, params: object, ctx: Context) -> Iterator[Finding]:
    for growth in _facts(doc).growths:
        after = growth.after
        prior = prior_value(growth)
        if prior is None or not _exact(after) or prior <= 0:
            continue
        difference = after.quantity.value - prior
        labels = _growth_labels(growth, prior)
        stated = growth.stated_percent
        if stated is not None and stated.quantity.approx is None:
            true_value = abs(difference) * HUNDRED / prior
            wrong_direction = (difference < 0) != (stated.direction < 0) and difference != 0
            if wrong_direction or not consistent(stated.quantity.value, stated.quantity.decimals, true_value):
                yield Finding(
                    span=stated.span,
                    args={
                        "before": fmt(prior),
                        "after": fmt(after.quantity.value),
                        "stated": stated.text,
                        "computed": ("+" if difference >= 0 else "−")
                        + fmt(true_value, max(1, stated.quantity.decimals))
                        + "%",
                    },
                    labels=(*labels, FindingLabel(stated.span, Text("所述变化", "stated change"))),
                )
        if growth.stated_multiple is not None:
            yield from _check_multiple(growth, growth.stated_multiple, prior, labels)
        delta = growth.stated_delta
        if growth.shape != "delta" and delta is not None and _exact(delta) and delta.quantity.value != abs(difference):
            yield Finding(
                span=delta.span,
                variant="delta",
                args={
                    "before": fmt(prior),
                    "after": fmt(after.quantity.value),
                    "stated": delta.text,
                    "computed": fmt(abs(difference)),
                },
                labels=(*labels, _count_label(delta, "所述差额", "stated difference")),
            )


def _check_multiple(
    growth: GrowthFact, multiple: MultipleFact, prior: Decimal, labels: list[FindingLabel]
) -> Iterator[Finding]:
    """是上年的N倍 (current / prior = N), 增长N倍 ((N + 1): the standard reading), 翻一番
    (2), 减少一半 (½): the multiple as written, against the two values, within its rounding
    (or its bound: 3倍以上, 近2倍)."""
    after = growth.after.quantity.value
    ratio = after / prior
    q = multiple.quantity
    if bound_consistent(q, ratio - multiple.added):
        return
    computed = fmt(Decimal(fmt(ratio, max(1, q.decimals))))  # 2.4, 2.5, 3: no trailing zero
    args = {
        "before": fmt(prior),
        "after": fmt(after),
        "stated": multiple.word + multiple.text,
        "computed": computed,
        "expected": (expected := fmt(multiple.ratio)),
    }
    arithmetic = f"{fmt(after)} / {fmt(prior)} = {computed}"
    if multiple.added and bound_consistent(q, ratio):
        # 由30件增至90件,增长3倍: the figures are 3 times, 增长3倍 reads 4 times.
        yield Finding(
            span=multiple.span,
            variant="multiple-plus-one",
            args=args,
            labels=(*labels, FindingLabel(multiple.span, Text(f"即 {expected} 倍", f"that is {expected} times"))),
            severity="warning",
        )
        return
    zh = f"所述倍数;{arithmetic} 倍" + (f"(增长N倍即 N+1 倍:{expected} 倍)" if multiple.added else "")
    en = f"stated multiple; {arithmetic} times" + (f" (增长N倍 is N+1 times: {expected})" if multiple.added else "")
    yield Finding(
        span=multiple.span,
        variant="multiple",
        args=args,
        labels=(*labels, FindingLabel(multiple.span, Text(zh, en))),
    )


# --------------------------------------------------------------------------- N207 % for a rate's change


def check_rate_change_unit(doc: Document, params: object, ctx: Context) -> Iterator[Finding]:
    yield from check_rate_points(doc)
    for change in _facts(doc).changes:
        if change.about_rate is None or change.quantity.unit != "%":
            continue
        yield Finding(
            span=change.span,
            args={"rate_name": change.about_rate, "stated": change.text, "points": fmt(change.quantity.value)},
            labels=(FindingLabel(change.span, Text("应为百分点", "should be percentage points")),),
        )


def check_rate_points(doc: Document) -> Iterator[Finding]:
    """满意率为92%,上年为90%,提高3个百分点: the points must be the difference of the rates."""
    for fact in _facts(doc).rate_points:
        rate, prior, points = fact.rate.quantity, fact.prior.quantity, fact.points.quantity
        if rate.approx is not None or prior.approx is not None or points.approx is not None:
            continue
        difference = rate.value - prior.value
        wrong_direction = difference != 0 and (difference < 0) != (fact.points.direction < 0)
        if not wrong_direction and consistent(points.value, points.decimals, abs(difference)):
            continue
        sign = "+" if difference >= 0 else "−"
        yield Finding(
            span=fact.points.span,
            variant="points",
            args={
                "rate_name": fact.rate.name,
                "stated": fact.points.text,
                "points": sign + fmt(abs(difference)),
                "prior": fact.prior.text,
                "current": fact.rate.text,
            },
            labels=(
                FindingLabel(fact.rate.span, Text(f"本年 {fact.rate.text}", f"this year {fact.rate.text}")),
                FindingLabel(fact.prior.span, Text(f"上年 {fact.prior.text}", f"last year {fact.prior.text}")),
                FindingLabel(
                    fact.points.span,
                    Text(
                        f"所述变化;实际 {sign}{fmt(abs(difference))} 个百分点",
                        f"stated change; the rates differ by {sign}{fmt(abs(difference))} points",
                    ),
                ),
            ),
        )


# --------------------------------------------------------------------------- N208 one metric, two values


def check_metric_conflict(doc: Document, params: object, ctx: Context) -> Iterator[Finding]:
    first_seen: dict[tuple[str, str, str], CountFact] = {}
    reported: set[tuple[str, str, str]] = set()
    # A sentence (where it starts in the view) → whether it names another period or a subset;
    # asked once per sentence, not per count: one sentence can hold thousands of counts.
    comparative: dict[int, bool] = {}
    for fact in _facts(doc).counts:
        if fact.role is None or len(fact.object) < 2 or fact.unit_class is None or not _exact(fact) or fact.in_parens:
            continue
        compares = comparative.get(fact.sentence)
        if compares is None:
            text = _sentence_text(doc, fact)
            compares = comparative[fact.sentence] = any(word in text for word in ctx.vocabulary.comparison)
        if compares:
            continue  # a figure for another period or a subset
        key = (fact.role, fact.object, fact.unit_class)
        earlier = first_seen.setdefault(key, fact)
        if earlier is fact or earlier.quantity.value == fact.quantity.value or key in reported:
            continue
        reported.add(key)
        yield Finding(
            span=fact.span,
            args={"metric": fact.role + fact.object, "first": earlier.text, "second": fact.text},
            labels=(
                _count_label(fact, "此处", "here"),
                _count_label(earlier, "前文", "earlier"),
            ),
        )


def _sentence_text(doc: Document, fact: CountFact) -> str:
    """The text of the sentence ``fact`` stands in (it names where the sentence starts),
    sliced from its paragraph's: no Sentence, with its span, is built for it."""
    paragraph = doc.paragraphs[fact.paragraph]
    start, ends = fact.sentence - paragraph.view_start, paragraph.sentence_ends
    i = bisect.bisect_right(ends, start)  # the sentence that starts at ``start`` ends at ends[i]
    if i == len(ends) or start != (ends[i - 1] if i else 0):
        return paragraph.text  # no sentence starts there
    return paragraph.text[start : ends[i]]


# --------------------------------------------------------------------------- N209 counted enumerations


def check_enumeration(doc: Document, params: object, ctx: Context) -> Iterator[Finding]:
    for fact in _facts(doc).enumerations:
        stated = int(fact.stated.quantity.value)
        named = len(fact.items)
        if named <= stated <= named + fact.joined:
            continue
        yield Finding(
            span=fact.stated.span,
            args={"stated": fact.stated.text, "named": named},
            labels=(
                _count_label(fact.stated, f"所述数量 {fact.stated.text}", f"stated count {fact.stated.text}"),
                FindingLabel(fact.list_span, Text(f"列出 {named} 项", f"{named} items listed")),
            ),
        )


# --------------------------------------------------------------------------- the numeric kinds

_NO_PARAMS = "checker.checks.schema:NoParams"  # the vocabulary decides what they check
_RATE_ARGS = frozenset({"rate_name", "stated", "part", "whole", "computed"})
KINDS = (
    KindSpec(
        "part-whole",
        check_part_whole,
        "checker.checks.numbers_schema:PartWholeModel",
        variants=frozenset({"breakdown", "table"}),
        args=frozenset({"part_role", "part", "whole_role", "whole", "where"}),
        reads_facts=True,
    ),
    KindSpec(
        "rate", check_rate, _NO_PARAMS, variants=frozenset({"share", "table"}), args=_RATE_ARGS | {"where"},
        reads_facts=True,
    ),
    KindSpec("full-rate", check_full_rate, _NO_PARAMS, args=_RATE_ARGS | {"shortfall"}, reads_facts=True),
    KindSpec(
        "breakdown",
        check_breakdown,
        _NO_PARAMS,
        variants=frozenset({"exhaustive", "shares", "outcomes", "table"}),
        args=frozenset({"sum", "total", "count", "where"}),
        reads_facts=True,
    ),
    KindSpec(
        "bounds",
        check_bounds,
        _NO_PARAMS,
        variants=frozenset({"decline"}),
        args=frozenset({"name", "stated"}),
        reads_facts=True,
    ),
    KindSpec(
        "growth",
        check_growth,
        _NO_PARAMS,
        variants=frozenset({"delta", "multiple", "multiple-plus-one"}),
        args=frozenset({"before", "after", "stated", "computed", "expected"}),
        reads_facts=True,
    ),
    KindSpec(
        "rate-change-unit",
        check_rate_change_unit,
        _NO_PARAMS,
        variants=frozenset({"points"}),
        args=frozenset({"rate_name", "stated", "points", "prior", "current"}),
        reads_facts=True,
    ),
    KindSpec(
        "enumeration-count",
        check_enumeration,
        _NO_PARAMS,
        args=frozenset({"stated", "named"}),
        reads_facts=True,
    ),
    KindSpec(
        "metric-conflict",
        check_metric_conflict,
        _NO_PARAMS,
        args=frozenset({"metric", "first", "second"}),
        reads_facts=True,
    ),
)
