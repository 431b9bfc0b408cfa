"""Validation of rule files with pydantic, and compilation into checker.rule.Rule.

Imported only when the rule cache misses. Every error names the file, the line of the
rule, the rule's code and the field, in one line.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from decimal import Decimal
from importlib import import_module
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args

from pydantic import Field, ValidationError, create_model, field_validator
from pydantic_core import PydanticCustomError

from checker.checks import KindSpec, Text
from checker.checks.registry import kinds
from checker.checks.schema import Bilingual, ParamsModel, Strict, alternation, regex
from checker.extract.vocabulary import (
    MAX_RATE_NAME_LETTERS,
    OutcomeDef,
    PairDef,
    RateDef,
    Vocabulary,
    change_ending,
    enumeration_pattern,
    growth_words,
    rate_endings,
    share_pattern,
    total_words_pattern,
    words_pattern,
)  # fmt: skip
from checker.rule import ProfileTitle, Rule, RuleFileError, placeholders

Profile = Literal["annual", "summary", "disclosure"]


class Example(Strict):
    fail: str
    pass_: str = Field(alias="pass")


def params_model(spec: KindSpec) -> type[ParamsModel]:
    """The pydantic model a kind's spec names (see checker.checks: why by name)."""
    module, _, name = spec.params.partition(":")
    model = getattr(import_module(module), name)
    if not (isinstance(model, type) and issubclass(model, ParamsModel)):
        raise TypeError(f"kind {spec.name}: {spec.params} is not a ParamsModel")
    return model


class RuleModel(Strict):
    code: str = Field(pattern=r"^[A-Z][0-9]{3}$")
    name: str = Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
    kind: str
    severity: Literal["error", "warning", "info"]
    profiles: list[Profile] = list(get_args(Profile))  # checker.rule.PROFILES, spelt out for pydantic
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
    params: dict[str, Any] = {}  # validated by the kind's own model

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        names = list(kinds())
        if kind not in names:
            expected = ", ".join(map(repr, names[:-1])) + f" or {names[-1]!r}"
            raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": expected})
        return kind


class PairModel(Strict):
    whole: list[str] = Field(min_length=1)
    part: list[str] = Field(min_length=1)
    carry_over_possible: bool = False


class RateModel(Strict):
    name: list[str] = Field(min_length=1)
    part: list[str] = Field(min_length=1)
    whole: list[str] = Field(min_length=1)
    sums_parts: bool = False


class OutcomeModel(Strict):
    whole: list[str] = Field(min_length=1)
    outcomes: list[str] = Field(min_length=1)


class VocabularyModel(Strict):
    units: dict[str, list[str]] = {}
    carry_over: list[str] = []
    role_negation: list[str] = []
    role_clause_end: list[str] = []
    share: list[str] = []
    closing: list[str] = []
    total_words: list[str] = []
    enumeration: list[str] = []
    durations: list[str] = []
    rate_name_endings: list[str] = []
    rate_verbs: list[str] = []
    change_bases: list[str] = []
    change_up: list[str] = []
    change_down: list[str] = []
    comparison: list[str] = []
    prior: list[str] = []
    prior_verbs: list[str] = []
    prior_compare: list[str] = []
    prior_compare_end: list[str] = []
    delta_up: list[str] = []
    delta_down: list[str] = []
    growth_from: list[str] = []
    growth_to: list[str] = []
    growth_to_up: list[str] = []
    growth_to_down: list[str] = []
    multiple_times: list[str] = []
    multiple_phrases: dict[str, Annotated[Decimal, Field(gt=0)]] = {}
    whole_markers: list[str] = []
    whole_marker_exceptions: list[str] = []
    outcome: list[OutcomeModel] = []
    bounded_rate: list[str] = []
    unbounded_rate: list[str] = []
    pair: list[PairModel] = []
    rate: list[RateModel] = []

    @field_validator("bounded_rate", "unbounded_rate")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        for p in patterns:
            regex(p)
        return patterns


class ProfileModel(Strict):
    """``[profile.<name>]``: a report whose title matches one of ``title`` is linted with
    the profile unless --profile or the config names one."""

    title: list[str] = Field(min_length=1)

    @field_validator("title")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        for p in patterns:
            regex(p)
        return patterns


class RuleFile(Strict):
    """A rule file holds rules, a vocabulary, profiles, or any of them."""

    rule: list[dict[str, Any]] = []
    vocabulary: VocabularyModel | None = None
    profile: dict[Profile, ProfileModel] = {}


def rule_file_schema() -> dict[str, Any]:
    """The JSON Schema of a rule file, for editors (``govlint schema``): ``[[rule]]`` tables
    as a union discriminated by ``kind``, each kind with its own ``params`` and message
    variants, and ``[vocabulary]``. What it cannot say (a regex that does not compile,
    a placeholder the kind does not fill, a part that is not a section rule) is still
    checked when the rules are loaded."""
    # Types built at run time from the registry: special forms subscripted by value.
    union: Any = Union.__getitem__(tuple(_rule_model(spec) for spec in kinds().values()))
    rule: Any = Annotated[union, Field(discriminator="kind")]
    file_model = create_model(
        "RuleFile",
        __base__=Strict,
        __doc__=RuleFile.__doc__,
        rule=(list[rule], []),
        vocabulary=(VocabularyModel | None, None),
        profile=(dict[Profile, ProfileModel], {}),
    )
    schema = file_model.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "title": "govlint rule file"}


def _rule_model(spec: KindSpec) -> type[RuleModel]:
    """RuleModel narrowed to one kind: its name, its params model, its message variants."""
    params = params_model(spec)
    params_default = ... if any(f.is_required() for f in params.model_fields.values()) else params()
    title = "".join(word.title() for word in spec.name.split("-"))
    variants: dict[str, Any] = {variant: (Bilingual | None, None) for variant in sorted(spec.variants)}
    messages = create_model(f"{title}Messages", __base__=Strict, **variants)
    known = ", ".join(f"{{{a}}}" for a in sorted(spec.args)) or "none"
    message = (str, Field(description=f"The diagnostic; placeholders: {known}"))
    # A Literal of a name known at run time: a type to pydantic, an object to a type checker
    # (pydantic ≥ 2.14 types create_model's fields as type forms).
    kind: Any = Literal.__getitem__(spec.name)
    return create_model(
        f"{title}Rule",
        __base__=RuleModel,
        __doc__=f"A rule of kind {spec.name}.",
        kind=(kind, ...),
        params=(params, params_default),
        messages=(messages, {}),
        message=message,
        message_en=message,
    )


def _merge_vocabularies(parts: list[VocabularyModel]) -> Vocabulary:
    unit_class: dict[str, str] = {}
    carry, bounded, unbounded, negation, clause_end, share, closing, total_words, enumeration, durations = (
        [] for _ in range(10)
    )
    rate_name_endings, rate_verbs, change_bases, change_up, change_down, comparison = ([] for _ in range(6))
    prior, prior_verbs, compare, compare_end, delta_up, delta_down = ([] for _ in range(6))
    growth_from, growth_to, to_up, to_down, times, markers, marker_exceptions = ([] for _ in range(7))
    phrases: dict[str, Decimal] = {}
    outcomes: list[OutcomeDef] = []
    pairs: list[PairDef] = []
    rates: list[RateDef] = []
    for v in parts:
        for cls, units in v.units.items():
            unit_class.update((u, cls) for u in units)
        carry += v.carry_over
        bounded += v.bounded_rate
        unbounded += v.unbounded_rate
        negation += v.role_negation
        clause_end += v.role_clause_end
        share += v.share
        closing += v.closing
        total_words += v.total_words
        enumeration += v.enumeration
        durations += v.durations
        rate_name_endings += v.rate_name_endings
        rate_verbs += v.rate_verbs
        change_bases += v.change_bases
        change_up += v.change_up
        change_down += v.change_down
        comparison += v.comparison
        prior += v.prior
        prior_verbs += v.prior_verbs
        compare += v.prior_compare
        compare_end += v.prior_compare_end
        delta_up += v.delta_up
        delta_down += v.delta_down
        growth_from += v.growth_from
        growth_to += v.growth_to
        to_up += v.growth_to_up
        to_down += v.growth_to_down
        times += v.multiple_times
        phrases.update(v.multiple_phrases)
        markers += v.whole_markers
        marker_exceptions += v.whole_marker_exceptions
        outcomes += [OutcomeDef(frozenset(o.whole), frozenset(o.outcomes)) for o in v.outcome]
        pairs += [PairDef(frozenset(p.whole), frozenset(p.part), p.carry_over_possible) for p in v.pair]
        rates += [RateDef(frozenset(r.name), frozenset(r.part), frozenset(r.whole), r.sums_parts) for r in v.rate]
    roles = {w for p in pairs for w in p.whole | p.part} | {w for r in rates for w in r.whole | r.part}
    roles |= {w for o in outcomes for w in o.whole | o.outcomes}
    _every_rate_name_ends_a_rate(rates, rate_name_endings)
    rate_name, rate_before = rate_endings(rate_name_endings, rate_verbs) or (None, None)
    return Vocabulary(
        unit_class=unit_class,
        carry_over=words_pattern(carry),
        pairs=tuple(pairs),
        rates=tuple(rates),
        roles=words_pattern(roles),
        rate_names=words_pattern({n for r in rates for n in r.names}),
        bounded=alternation(bounded) if bounded else None,
        unbounded=alternation(unbounded) if unbounded else None,
        role_negation=_ending_pattern(negation),
        role_clause_end=words_pattern(clause_end),
        share=share_pattern(share),
        share_words=words_pattern(share),
        outcomes=tuple(outcomes),
        closing=words_pattern(closing),
        total_words=total_words_pattern(total_words),
        enumeration=enumeration_pattern(enumeration),
        durations=words_pattern(durations),
        rate_name=rate_name,
        rate_before=rate_before,
        change=change_ending(change_bases, change_up + change_down),
        down=frozenset(change_down),
        comparison=tuple(dict.fromkeys(comparison)),
        growth=growth_words(
            prior,
            prior_verbs,
            compare,
            compare_end,
            change_bases,
            change_up + to_up + delta_up,
            change_down + to_down + delta_down,
            growth_from,
            growth_to,
            times,
            phrases,
            markers,
            marker_exceptions,
        ),
    )


def _every_rate_name_ends_a_rate(rates: list[RateDef], endings: list[str]) -> None:
    """A rate definition whose name no stated rate can have would never be checked:
    stop the load instead of ignoring it (a stated rate's name is at most
    MAX_RATE_NAME_LETTERS letters and one of ``rate_name_endings``)."""
    for rate in rates:
        for name in sorted(rate.names):
            ending = next((e for e in endings if name.endswith(e)), None)
            if ending is None or len(name) - len(ending) > MAX_RATE_NAME_LETTERS:
                known = "、".join(endings) or "none"
                raise RuleFileError(
                    f"[[vocabulary.rate]] name {name!r} can never match: a stated rate's name is at most "
                    f"{MAX_RATE_NAME_LETTERS} letters and an ending of rate_name_endings ({known})"
                )


def _ending_pattern(words: list[str]) -> re.Pattern[str] | None:
    """Any of ``words`` ending the text searched: search it with ``endpos``."""
    words_re = words_pattern(words)
    return re.compile(f"(?:{words_re.pattern})$") if words_re else None


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
    def where() -> str:  # searched for only when there is an error to report: a search of the file per rule
        return _where(path, text, raw)

    try:
        model = RuleModel.model_validate(raw)
    except ValidationError as e:
        raise RuleFileError(f"{where()}: {_first_error(e)}") from None
    spec = kinds()[model.kind]
    try:
        params = params_model(spec).model_validate(model.params).compile()
    except ValidationError as e:
        raise RuleFileError(f"{where()}: {_first_error(e, 'params.')}") from None
    except ValueError as e:
        raise RuleFileError(f"{where()}: field 'params': {e}") from None

    messages = {"default": Text(model.message, model.message_en)}
    messages.update({variant: text.text() for variant, text in model.messages.items()})
    unknown_variants = set(messages) - {"default"} - spec.variants
    if unknown_variants:
        raise RuleFileError(
            f"{where()}: field 'messages': kind {model.kind} has no message {sorted(unknown_variants)[0]!r}"
        )
    allowed = spec.args
    for variant, msg in messages.items():
        for template in (msg.zh, msg.en):
            if bad := placeholders(template) - allowed:
                field = "message" if variant == "default" else f"messages.{variant}"
                known = ", ".join(sorted(allowed)) or "none"
                raise RuleFileError(
                    f"{where()}: field '{field}': unknown placeholder {{{sorted(bad)[0]}}} (known: {known})"
                )
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


def compile_rule_files(files: list[tuple[Path, bytes]]) -> tuple[list[Rule], Vocabulary, tuple[ProfileTitle, ...]]:
    """Every rule of ``files`` (path, content), their vocabularies merged, and the titles
    that choose a profile (in file order: the first match wins)."""
    rules: dict[str, Rule] = {}
    names: dict[str, Rule] = {}
    vocabularies: list[VocabularyModel] = []
    profile_titles: dict[str, tuple[ProfileTitle, Path]] = {}
    for path, content in files:
        try:
            text = content.decode("utf-8-sig")  # a BOM (Windows Notepad) as config files accept it
            data = tomllib.loads(text)
        except UnicodeDecodeError:
            raise RuleFileError(f"{path}: rule file is not UTF-8") from None
        except tomllib.TOMLDecodeError as e:
            raise RuleFileError(f"{path}: invalid TOML: {e}") from None
        try:
            parsed = RuleFile.model_validate(data)
        except ValidationError as e:
            raise RuleFileError(f"{path}: {_first_error(e)}") from None
        if not parsed.rule and parsed.vocabulary is None and not parsed.profile:
            raise RuleFileError(f"{path}: no [[rule]], no [vocabulary] and no [profile]: nothing to load")
        if parsed.vocabulary is not None:
            vocabularies.append(parsed.vocabulary)
        for name, profile in parsed.profile.items():
            if name in profile_titles:
                raise RuleFileError(f"{path}: [profile.{name}] is also defined in {profile_titles[name][1]}")
            profile_titles[name] = (ProfileTitle(name, alternation(profile.title)), path)
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
            ("until", getattr(rule.params, "until", ()), "section"),
            ("parts", getattr(rule.params, "parts", ()), "section"),
            ("table", [getattr(rule.params, "table", None)], "table-identity"),
            ("plan", [getattr(rule.params, "plan", None)], "section"),  # the kinds across reports
            ("not_measures", getattr(rule.params, "not_measures", ()), "section"),
        ):
            for code in codes:
                if code is not None and (code not in rules or rules[code].kind != kind):
                    raise RuleFileError(
                        f"{rule.file}: rule {rule.code}: field 'params.{field}': {code!r} is not a {kind} rule"
                    )
    titles = tuple(title for title, _ in profile_titles.values())
    _table_names_known(rules)
    return list(rules.values()), _merge_vocabularies(vocabularies), titles


def _table_names_known(rules: dict[str, Rule]) -> None:
    """A table-text or carry-over rule names rows and columns of its table-identity rule's table."""
    for rule in rules.values():
        if rule.kind not in ("table-text", "carry-over"):
            continue
        table = rules[rule.params.table].params
        rows, columns = {r.name for r in table.rows}, {c.name for c in table.columns}
        if rule.kind == "carry-over":
            wanted = [(rule.params.carried, rows), (rule.params.forward, rows)]
        else:
            wanted = [(c.row, rows) for c in rule.params.claims] + [(c.column, columns) for c in rule.params.claims]
            wanted += [(s.column, columns) for s in rule.params.shares]
            wanted += [(name, rows) for s in rule.params.shares for whole in s.wholes for name in whole]
        for name, known in wanted:
            if name not in known:
                table_code = rule.params.table
                raise RuleFileError(f"{rule.file}: rule {rule.code}: {name!r} names no row or column of {table_code}")
