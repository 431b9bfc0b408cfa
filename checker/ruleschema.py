"""Validation of rule files with pydantic, and compilation into checker.ruleset.Rule.

Imported only when the rule cache misses. Every error names the file, the line of the
rule, the rule's code and the field, in one line.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from checker.checks import KIND_NAMES, Text
from checker.checks.dates import DateRelationParams, YearRelationParams
from checker.checks.numbers import PartWholeParams
from checker.checks.patterns import PatternItem, PatternParams, TraditionalParams
from checker.checks.structure import NumberingParams, SectionContentParams, SectionParams, TitleParams
from checker.expr import ExpressionError, parse_expression
from checker.extract.vocabulary import PairDef, RateDef, Vocabulary, words_pattern
from checker.ruleset import Rule, RuleFileError, RuleSet, placeholders

PROFILES = ("annual", "summary")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as e:
        raise ValueError(f"regular expression {pattern!r} does not compile: {e}") from None


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    for p in patterns:
        _compile(p)
    return _compile("|".join(f"(?:{p})" for p in patterns))


class Bilingual(_Strict):
    zh: str
    en: str


class Example(_Strict):
    fail: str
    pass_: str = Field(alias="pass")


# --------------------------------------------------------------------------- per-kind params


class SectionModel(_Strict):
    heading: list[str] = Field(min_length=1)
    max_level: int = Field(2, ge=1, le=5)
    lead_in: list[str] = []
    lead_in_exclude: list[str] = []
    mention: list[str] = []
    mention_label: Bilingual = Bilingual(zh="仅顺带提及,不构成独立部分", en="only mentioned in passing")
    unclaimed_from: list[str] = []

    def compile(self) -> SectionParams:
        return SectionParams(
            heading=_alternation(self.heading),
            max_level=self.max_level,
            lead_in=_alternation(self.lead_in) if self.lead_in else None,
            lead_in_exclude=_alternation(self.lead_in_exclude) if self.lead_in_exclude else None,
            mention=_alternation(self.mention) if self.mention else None,
            mention_label=Text(self.mention_label.zh, self.mention_label.en),
            unclaimed_from=tuple(self.unclaimed_from),
        )


class SectionContentModel(_Strict):
    part: str
    require: list[str] = Field(min_length=1)

    def compile(self) -> SectionContentParams:
        return SectionContentParams(part=self.part, require=_alternation(self.require))


class TitleModel(_Strict):
    subject: list[str] = Field(min_length=1)

    def compile(self) -> TitleParams:
        return TitleParams(subject=_alternation(self.subject))


class NumberingModel(_Strict):
    levels: list[int] = [1, 2, 3, 4]

    @field_validator("levels")
    @classmethod
    def _known_levels(cls, levels: list[int]) -> list[int]:
        if any(level not in (1, 2, 3, 4, 5) for level in levels):
            raise ValueError("levels are 1 (一、), 2 ((一)), 3 (1.), 4 ((1)) and 5 (一是)")
        return levels

    def compile(self) -> NumberingParams:
        return NumberingParams(levels=frozenset(self.levels))


def _expression(source: str, kind: str) -> Any:
    try:
        return parse_expression(source, KIND_NAMES[kind])
    except ExpressionError as e:
        raise ValueError(f"condition {source!r}: {e.message}") from None


class YearRelationModel(_Strict):
    part: str
    title_pattern: str
    condition: str

    def compile(self) -> YearRelationParams:
        pattern = _compile(self.title_pattern)
        if pattern.groups < 1:
            raise ValueError("title_pattern needs a group that captures the year")
        return YearRelationParams(self.part, pattern, _expression(self.condition, "year-relation"))


class DateRelationModel(_Strict):
    roles: list[Literal["publication", "signature", "other"]] = Field(min_length=1)
    condition: str

    def compile(self) -> DateRelationParams:
        return DateRelationParams(frozenset(self.roles), _expression(self.condition, "date-relation"))


class PatternItemModel(_Strict):
    regex: str
    label: Bilingual


class PatternModel(_Strict):
    patterns: list[PatternItemModel] = Field(min_length=1)
    target: Literal["original", "view"] = "view"
    scope: Literal["text", "title"] = "text"
    max_line_length: int | None = Field(None, ge=1)
    group: Literal["match", "line", "block", "file"] = "match"
    max_labels: int = Field(6, ge=1, le=50)
    unless: list[str] = []
    fix: Literal["delete-match", "delete-line"] | None = None
    line_debris: list[str] = []  # pattern rules whose matches a line that delete-line deletes may hold

    def compile(self) -> PatternParams:
        if self.line_debris and self.fix != "delete-line":
            raise ValueError('line_debris needs fix = "delete-line"')
        return PatternParams(
            patterns=tuple(PatternItem(_compile(p.regex), Text(p.label.zh, p.label.en)) for p in self.patterns),
            target=self.target,
            scope=self.scope,
            max_line_length=self.max_line_length,
            group=self.group,
            max_labels=self.max_labels,
            unless=_alternation(self.unless) if self.unless else None,
            fix=self.fix,
            line_debris=tuple(self.line_debris),
        )


class TraditionalModel(_Strict):
    min_count: int = Field(5, ge=1)
    max_labels: int = Field(5, ge=1, le=50)

    def compile(self) -> TraditionalParams:
        return TraditionalParams(self.min_count, self.max_labels)


class PartWholeModel(_Strict):
    carry_over_severity: Literal["error", "warning", "info"] = "warning"

    def compile(self) -> PartWholeParams:
        return PartWholeParams(self.carry_over_severity)


class NoParamsModel(_Strict):
    """Kinds whose behaviour the vocabulary decides."""

    def compile(self) -> None:
        return None


class BuiltinModel(_Strict):
    """Findings the engine itself raises (E001: a file that cannot be read)."""

    def compile(self) -> None:
        return None


PARAMS: dict[str, type[_Strict]] = {
    "section": SectionModel,
    "section-content": SectionContentModel,
    "title": TitleModel,
    "numbering": NumberingModel,
    "year-relation": YearRelationModel,
    "date-relation": DateRelationModel,
    "pattern": PatternModel,
    "traditional": TraditionalModel,
    "builtin": BuiltinModel,
    "part-whole": PartWholeModel,
    **{
        kind: NoParamsModel
        for kind in ("rate", "full-rate", "breakdown", "bounds", "growth", "rate-change-unit", "metric-conflict")
    },
}

# Message variants a kind emits besides "default", and the placeholders its findings fill.
VARIANTS: dict[str, set[str]] = {
    "section": {"mentioned"},
    "title": {"missing", "incomplete"},
    "part-whole": {"breakdown"},
    "breakdown": {"exhaustive"},
    "bounds": {"decline"},
    "growth": {"delta"},
}
_RATE_ARGS = {"rate_name", "stated", "part", "whole", "computed"}
ARGS: dict[str, set[str]] = {
    "title": {"missing_zh", "missing_en"},
    "numbering": {"found", "expected", "level"},
    "year-relation": {"plan_year", "report_year", "expected"},
    "date-relation": {"date", "date_iso", "role_zh", "role_en", "report_year", "deadline", "deadline_iso"},
    "pattern": {"match", "count"},
    "traditional": {"count", "examples"},
    "builtin": {"reason"},
    "part-whole": {"part_role", "part", "whole_role", "whole"},
    "rate": _RATE_ARGS,
    "full-rate": _RATE_ARGS | {"shortfall"},
    "breakdown": {"sum", "total", "count"},
    "bounds": {"name", "stated"},
    "growth": {"before", "after", "stated", "computed"},
    "rate-change-unit": {"rate_name", "stated", "points"},
    "metric-conflict": {"metric", "first", "second"},
}


class RuleModel(_Strict):
    code: str = Field(pattern=r"^[A-Z][0-9]{3}$")
    name: str = Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
    kind: Literal[
        "section", "section-content", "title", "numbering", "year-relation", "date-relation", "pattern", "traditional",
        "builtin", "part-whole", "rate", "full-rate", "breakdown", "bounds", "growth", "rate-change-unit",
        "metric-conflict",
    ]
    severity: Literal["error", "warning", "info"]
    profiles: list[Literal["annual", "summary"]] = list(PROFILES)
    summary: str
    summary_en: str
    message: str
    message_en: str
    messages: dict[str, Bilingual] = {}
    help: str | None = None
    help_en: str | None = None
    explanation: str
    source: str
    example: Example
    params: dict[str, Any] = {}


class PairModel(_Strict):
    whole: list[str] = Field(min_length=1)
    part: list[str] = Field(min_length=1)
    carry_over_possible: bool = False


class RateModel(_Strict):
    name: list[str] = Field(min_length=1)
    part: list[str] = Field(min_length=1)
    whole: list[str] = Field(min_length=1)


class VocabularyModel(_Strict):
    units: dict[str, list[str]] = {}
    carry_over: list[str] = []
    bounded_rate: list[str] = []
    unbounded_rate: list[str] = []
    pair: list[PairModel] = []
    rate: list[RateModel] = []

    @field_validator("bounded_rate", "unbounded_rate")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        for p in patterns:
            _compile(p)
        return patterns


class RuleFile(_Strict):
    """A rule file holds rules, a vocabulary, or both."""

    rule: list[dict[str, Any]] = []
    vocabulary: VocabularyModel | None = None


def _merge_vocabularies(parts: list[VocabularyModel]) -> Vocabulary:
    unit_class: dict[str, str] = {}
    carry, bounded, unbounded = [], [], []
    pairs: list[PairDef] = []
    rates: list[RateDef] = []
    for v in parts:
        for cls, units in v.units.items():
            unit_class.update((u, cls) for u in units)
        carry += v.carry_over
        bounded += v.bounded_rate
        unbounded += v.unbounded_rate
        pairs += [PairDef(frozenset(p.whole), frozenset(p.part), p.carry_over_possible) for p in v.pair]
        rates += [RateDef(frozenset(r.name), frozenset(r.part), frozenset(r.whole)) for r in v.rate]
    roles = {w for p in pairs for w in p.whole | p.part} | {w for r in rates for w in r.whole | r.part}
    return Vocabulary(
        unit_class=unit_class,
        carry_over=words_pattern(carry),
        pairs=tuple(pairs),
        rates=tuple(rates),
        roles=words_pattern(roles),
        rate_names=words_pattern({n for r in rates for n in r.names}),
        bounded=_alternation(bounded) if bounded else None,
        unbounded=_alternation(unbounded) if unbounded else None,
    )


def _rule_line(text: str, code: object, occurrence: int = 0) -> int | None:
    """The line of the ``occurrence``-th (0-based) rule of ``code`` in the file."""
    found = re.finditer(rf'^\s*code\s*=\s*"{re.escape(str(code))}"', text, re.MULTILINE)
    m = next(itertools.islice(found, occurrence, None), None)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _where(path: Path, text: str, raw: dict[str, Any], occurrence: int = 0) -> str:
    code = raw.get("code", "?")
    line = _rule_line(text, code, occurrence)
    return f"{path}:{line}: rule {code}" if line else f"{path}: rule {code}"


def _first_error(e: ValidationError, prefix: str = "") -> str:
    err = e.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    field = f"{prefix}{loc}" if loc else prefix.rstrip(".")
    return f"field '{field}': {err['msg']}" if field else err["msg"]


def _compile_rule(path: Path, text: str, raw: dict[str, Any]) -> Rule:
    where = _where(path, text, raw)
    try:
        model = RuleModel.model_validate(raw)
    except ValidationError as e:
        raise RuleFileError(f"{where}: {_first_error(e)}") from None
    try:
        params = PARAMS[model.kind].model_validate(model.params).compile()  # type: ignore[attr-defined]
    except ValidationError as e:
        raise RuleFileError(f"{where}: {_first_error(e, 'params.')}") from None
    except ValueError as e:
        raise RuleFileError(f"{where}: field 'params': {e}") from None

    messages = {"default": Text(model.message, model.message_en)}
    messages.update({k: Text(v.zh, v.en) for k, v in model.messages.items()})
    unknown_variants = set(messages) - {"default"} - VARIANTS.get(model.kind, set())
    if unknown_variants:
        raise RuleFileError(f"{where}: field 'messages': kind {model.kind} has no message {sorted(unknown_variants)[0]!r}")
    allowed = ARGS.get(model.kind, set())
    for variant, msg in messages.items():
        for template in (msg.zh, msg.en):
            if bad := placeholders(template) - allowed:
                field = "message" if variant == "default" else f"messages.{variant}"
                known = ", ".join(sorted(allowed)) or "none"
                raise RuleFileError(f"{where}: field '{field}': unknown placeholder {{{sorted(bad)[0]}}} (known: {known})")
    help_text = Text(model.help, model.help_en or model.help) if model.help else None
    return Rule(
        code=model.code,
        name=model.name,
        kind=model.kind,
        severity=model.severity,
        summary=Text(model.summary, model.summary_en),
        messages=messages,
        help=help_text,
        explanation=model.explanation.strip(),
        source=model.source.strip(),
        example_fail=model.example.fail,
        example_pass=model.example.pass_,
        profiles=frozenset(model.profiles),
        file=str(path),
        params=params,
    )


def compile_rule_files(files: list[tuple[Path, bytes]]) -> RuleSet:
    rules: dict[str, Rule] = {}
    names: dict[str, Rule] = {}
    vocabularies: list[VocabularyModel] = []
    for path, content in files:
        try:
            text = content.decode("utf-8")
            data = tomllib.loads(text)
        except UnicodeDecodeError:
            raise RuleFileError(f"{path}: rule file is not UTF-8") from None
        except tomllib.TOMLDecodeError as e:
            raise RuleFileError(f"{path}: invalid TOML: {e}") from None
        try:
            parsed = RuleFile.model_validate(data)
        except ValidationError as e:
            raise RuleFileError(f"{path}: {_first_error(e)}") from None
        if not parsed.rule and parsed.vocabulary is None:
            raise RuleFileError(f"{path}: no [[rule]] and no [vocabulary]: nothing to load")
        if parsed.vocabulary is not None:
            vocabularies.append(parsed.vocabulary)
        for index, raw in enumerate(parsed.rule):
            rule = _compile_rule(path, text, raw)
            for seen, key in ((rules, rule.code), (names, rule.name)):
                if key in seen:
                    earlier = sum(r.get("code") == rule.code for r in parsed.rule[:index])  # the same code above
                    raise RuleFileError(
                        f"{_where(path, text, raw, earlier)}: duplicate {'code' if seen is rules else 'name'} {key!r} "
                        f"(first defined in {seen[key].file})"
                    )
            rules[rule.code] = rule
            names[rule.name] = rule
    for rule in rules.values():
        for field, codes, kind in (
            ("part", [getattr(rule.params, "part", None)], "section"),
            ("unclaimed_from", getattr(rule.params, "unclaimed_from", ()), "section"),
            ("line_debris", getattr(rule.params, "line_debris", ()), "pattern"),
        ):
            for code in codes:
                if code is not None and (code not in rules or rules[code].kind != kind):
                    raise RuleFileError(f"{rule.file}: rule {rule.code}: field 'params.{field}': {code!r} is not a {kind} rule")
    return RuleSet.of(list(rules.values()), _merge_vocabularies(vocabularies))
