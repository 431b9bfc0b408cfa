"""Numeric kinds: the arithmetic a report's own figures imply (docs/rules.md, "Numeric kinds").

Every check reads the facts the extract stage built (``doc.facts``). Arithmetic is in
``Decimal``; a stated value with d decimals is consistent when the true value, rounded
half-up *or* truncated to d decimals, equals it (XBRL calculation checks model stated
values the same way: many authors truncate). Approximate figures (余 多 近 约) take part in
bound checks only.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import NamedTuple

from checker.checks import Context, Finding, FindingLabel, KindSpec, Text
from checker.model import CountFact, Document, Facts, RateFact, Severity

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


def check_part_whole(doc: Document, params: PartWholeParams, ctx: Context) -> Iterator[Finding]:
    facts = _facts(doc)
    vocab = ctx.vocabulary
    for index, part in enumerate(facts.counts):
        if part.role is None or part.quantity.lower is None:
            continue
        whole = next(
            (
                w
                for w in reversed(facts.counts[max(0, index - LOOK_BACK) : index])
                if w.sentence == part.sentence
                and w.in_parens == part.in_parens
                and w.unit_class == part.unit_class
                and w.role is not None
                and w.role != part.role
                and vocab.pair_of(w.role, part.role) is not None
            ),
            None,
        )
        if whole is None or whole.role is None or whole.quantity.upper is None:
            continue
        if not _objects_agree(whole, part) or part.quantity.lower <= whole.quantity.upper:
            continue
        pair = vocab.pair_of(whole.role, part.role)
        paragraph = doc.paragraphs[part.paragraph].text
        carry = (pair is not None and pair.carry_over_possible) or (
            vocab.carry_over is not None and vocab.carry_over.search(paragraph) is not None
        )
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


# --------------------------------------------------------------------------- N202 / N206 rates


class RateCheck(NamedTuple):
    rate: RateFact
    part: CountFact
    whole: CountFact
    true_value: Decimal


def rate_checks(doc: Document, ctx: Context) -> list[tuple[RateFact, list[RateCheck]]]:
    """Each stated rate with a definition, and every (part, whole) reading of it found
    before it in its paragraph. Empty when the counts are not there to check."""
    vocabulary, checks = doc.derived("rate checks", lambda: (ctx.vocabulary, list(_rate_checks(doc, ctx))))
    return checks if vocabulary is ctx.vocabulary else list(_rate_checks(doc, ctx))


def _rate_checks(doc: Document, ctx: Context) -> Iterator[tuple[RateFact, list[RateCheck]]]:
    facts = _facts(doc)
    vocab = ctx.vocabulary
    starts = [c.span.start for c in facts.counts]
    endings = [(tuple(d.names), d) for d in vocab.rates] if facts.rates else []  # endswith takes a tuple
    for rate in facts.rates:
        definition = next((d for names, d in endings if rate.name.endswith(names)), None)
        if definition is None:
            continue
        end = bisect.bisect_left(starts, rate.span.start)
        before = [
            c
            for c in facts.counts[max(0, end - LOOK_BACK) : end]
            if c.paragraph == rate.paragraph
            and c.span.end <= rate.span.start
            and (rate.in_parens or not c.in_parens)
            and _exact(c)
        ]
        parts = [c for c in before if c.role in definition.part]
        if not parts:
            yield rate, []
            continue
        part = parts[-1]
        wholes = _whole_candidates(before, part, definition.whole)
        readings = [
            RateCheck(rate, part, whole, part.quantity.value * HUNDRED / whole.quantity.value)
            for whole in reversed(wholes)
            if whole.quantity.value > 0
        ]
        yield rate, readings


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
    return (
        FindingLabel(check.rate.span, Text("所述比率", "stated rate")),
        _count_label(check.part, f"{check.part.role} {check.part.text}", f"{check.part.role} {check.part.text}"),
        _count_label(check.whole, f"{check.whole.role} {check.whole.text}", f"{check.whole.role} {check.whole.text}"),
    )


def _rate_args(check: RateCheck) -> dict[str, object]:
    q = check.rate.quantity
    return {
        "rate_name": check.rate.name,
        "stated": check.rate.text,
        "part": fmt(check.part.quantity.value),
        "whole": fmt(check.whole.quantity.value),
        "computed": fmt(check.true_value, max(2, q.decimals)) + "%",
    }


def check_rate(doc: Document, params: object, ctx: Context) -> Iterator[Finding]:
    for rate, readings in rate_checks(doc, ctx):
        q = rate.quantity
        if not readings or (q.value == HUNDRED and readings[0].part.quantity.value < readings[0].whole.quantity.value):
            continue  # nothing to check, or N206's finding
        approximate = q.approx is not None
        # Precision first: any reading of the counts that matches the rate clears it.
        if any(consistent(q.value, q.decimals, r.true_value, approximate) for r in readings):
            continue
        yield Finding(span=rate.span, args=_rate_args(readings[0]), labels=_rate_labels(readings[0]))


def check_full_rate(doc: Document, params: object, ctx: Context) -> Iterator[Finding]:
    for rate, readings in rate_checks(doc, ctx):
        if rate.quantity.value != HUNDRED or not readings:
            continue
        if any(r.part.quantity.value >= r.whole.quantity.value for r in readings):
            continue
        check = readings[0]
        args = _rate_args(check) | {"shortfall": fmt(check.whole.quantity.value - check.part.quantity.value)}
        yield Finding(span=rate.span, args=args, labels=_rate_labels(check))


# --------------------------------------------------------------------------- N203 breakdowns


def check_breakdown(doc: Document, params: object, ctx: Context) -> Iterator[Finding]:
    for breakdown in _facts(doc).breakdowns:
        total = breakdown.total
        lower_sum = sum((p.quantity.lower or Decimal(0) for p in breakdown.parts), Decimal(0))
        labels = (
            FindingLabel(total.span, Text(f"总数 {total.text}", f"total {total.text}")),
            *(FindingLabel(p.span, Text("分项", "item")) for p in breakdown.parts[:8]),
        )
        args = {"sum": fmt(lower_sum), "total": total.text, "count": len(breakdown.parts)}
        if total.quantity.upper is not None and lower_sum > total.quantity.upper:
            yield Finding(span=breakdown.marker_span, args=args, labels=labels)
        elif (
            breakdown.exhaustive
            and _exact(total)
            and all(_exact(p) for p in breakdown.parts)
            and lower_sum != total.quantity.value
        ):
            yield Finding(span=breakdown.marker_span, variant="exhaustive", args=args, labels=labels)


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
    for change in facts.changes:
        if change.direction < 0 and change.quantity.value > HUNDRED:
            yield Finding(
                span=change.span,
                variant="decline",
                args={"name": "", "stated": change.text},
                labels=(FindingLabel(change.span, Text("降幅超过 100%", "decline over 100%")),),
            )


# --------------------------------------------------------------------------- N205 growth


def check_growth(doc: Document, params: object, ctx: Context) -> Iterator[Finding]:
    for growth in _facts(doc).growths:
        before, after = growth.before, growth.after
        if not (_exact(before) and _exact(after)) or before.quantity.value == 0:
            continue
        difference = after.quantity.value - before.quantity.value
        labels = [
            _count_label(before, f"由 {before.text}", f"from {before.text}"),
            _count_label(after, f"至 {after.text}", f"to {after.text}"),
        ]
        stated = growth.stated_percent
        if stated is not None and stated.quantity.approx is None:
            true_value = abs(difference) * HUNDRED / before.quantity.value
            wrong_direction = (difference < 0) != (stated.direction < 0) and difference != 0
            if wrong_direction or not consistent(stated.quantity.value, stated.quantity.decimals, true_value):
                yield Finding(
                    span=stated.span,
                    args={
                        "before": fmt(before.quantity.value),
                        "after": fmt(after.quantity.value),
                        "stated": stated.text,
                        "computed": ("+" if difference >= 0 else "−")
                        + fmt(true_value, max(1, stated.quantity.decimals))
                        + "%",
                    },
                    labels=(*labels, FindingLabel(stated.span, Text("所述变化", "stated change"))),
                )
        delta = growth.stated_delta
        if delta is not None and _exact(delta) and delta.quantity.value != abs(difference):
            yield Finding(
                span=delta.span,
                variant="delta",
                args={
                    "before": fmt(before.quantity.value),
                    "after": fmt(after.quantity.value),
                    "stated": delta.text,
                    "computed": fmt(abs(difference)),
                },
                labels=(*labels, _count_label(delta, "所述差额", "stated difference")),
            )


# --------------------------------------------------------------------------- N207 % for a rate's change


def check_rate_change_unit(doc: Document, params: object, ctx: Context) -> Iterator[Finding]:
    for change in _facts(doc).changes:
        if change.about_rate is None or change.quantity.unit != "%":
            continue
        yield Finding(
            span=change.span,
            args={"rate_name": change.about_rate, "stated": change.text, "points": fmt(change.quantity.value)},
            labels=(FindingLabel(change.span, Text("应为百分点", "should be percentage points")),),
        )


# --------------------------------------------------------------------------- N208 one metric, two values

_COMPARISON_WORDS = ("去年", "上年", "同期", "同比", "环比", "较", "比", "累计", "以来", "其中")


def check_metric_conflict(doc: Document, params: object, ctx: Context) -> Iterator[Finding]:
    first_seen: dict[tuple[str, str, str], CountFact] = {}
    reported: set[tuple[str, str, str]] = set()
    # A sentence (where it starts in the view) → whether it names another period or a subset;
    # asked once per sentence, not per count: one sentence can hold thousands of counts.
    comparative: dict[int, bool] = {}
    sentences: dict[int, dict[int, str]] = {}  # paragraph → its sentences' texts by start
    for fact in _facts(doc).counts:
        if fact.role is None or len(fact.object) < 2 or fact.unit_class is None or not _exact(fact) or fact.in_parens:
            continue
        compares = comparative.get(fact.sentence)
        if compares is None:
            text = _sentence_text(doc, fact, sentences)
            compares = comparative[fact.sentence] = any(word in text for word in _COMPARISON_WORDS)
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


def _sentence_text(doc: Document, fact: CountFact, sentences: dict[int, dict[int, str]]) -> str:
    """The text of the sentence ``fact`` stands in, looked up by where it starts (each
    paragraph's sentences are indexed once)."""
    paragraph = doc.paragraphs[fact.paragraph]
    by_start = sentences.get(fact.paragraph)
    if by_start is None:
        by_start = sentences[fact.paragraph] = {s.view_start: s.text for s in paragraph.sentences}
    return by_start.get(fact.sentence, paragraph.text)


# --------------------------------------------------------------------------- the numeric kinds

_NO_PARAMS = "checker.checks.schema:NoParams"  # the vocabulary decides what they check
_RATE_ARGS = frozenset({"rate_name", "stated", "part", "whole", "computed"})
KINDS = (
    KindSpec(
        "part-whole",
        check_part_whole,
        "checker.checks.numbers_schema:PartWholeModel",
        variants=frozenset({"breakdown"}),
        args=frozenset({"part_role", "part", "whole_role", "whole"}),
        reads_facts=True,
    ),
    KindSpec("rate", check_rate, _NO_PARAMS, args=_RATE_ARGS, reads_facts=True),
    KindSpec("full-rate", check_full_rate, _NO_PARAMS, args=_RATE_ARGS | {"shortfall"}, reads_facts=True),
    KindSpec(
        "breakdown",
        check_breakdown,
        _NO_PARAMS,
        variants=frozenset({"exhaustive"}),
        args=frozenset({"sum", "total", "count"}),
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
        variants=frozenset({"delta"}),
        args=frozenset({"before", "after", "stated", "computed"}),
        reads_facts=True,
    ),
    KindSpec(
        "rate-change-unit",
        check_rate_change_unit,
        _NO_PARAMS,
        args=frozenset({"rate_name", "stated", "points"}),
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
