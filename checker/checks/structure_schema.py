"""Params models of the structure kinds (checker.checks.structure), for rule files."""

from __future__ import annotations

from pydantic import Field, field_validator

from checker.checks.schema import Bilingual, ParamsModel, Strict, alternation, optional_alternation, regex
from checker.checks.structure import (
    Duty,
    HeadingMarkerParams,
    JoinedHeadingParams,
    NumberingParams,
    PartDutiesParams,
    PartGenericParams,
    SectionContentParams,
    SectionParams,
    TitleParams,
)


class SectionModel(ParamsModel):
    heading: list[str] = Field(min_length=1)
    max_level: int = Field(2, ge=1, le=5)
    lead_in: list[str] = []
    lead_in_exclude: list[str] = []
    mention: list[str] = []
    mention_label: Bilingual = Bilingual(zh="仅顺带提及,不构成独立部分", en="only mentioned in passing")
    unclaimed_from: list[str] = []
    part_name: Bilingual | None = None  # what outputs call the part (the HTML checklist)
    item_heading: list[str] = []
    item_about: list[str] = []
    example_heading: Bilingual | None = None
    year_offset: int = Field(0, ge=0, le=1)

    def compile(self) -> SectionParams:
        return SectionParams(
            heading=alternation(self.heading),
            max_level=self.max_level,
            lead_in=optional_alternation(self.lead_in),
            lead_in_exclude=optional_alternation(self.lead_in_exclude),
            mention=optional_alternation(self.mention),
            mention_label=self.mention_label.text(),
            unclaimed_from=tuple(self.unclaimed_from),
            part_name=self.part_name.text() if self.part_name else None,
            item_heading=optional_alternation(self.item_heading),
            item_about=optional_alternation(self.item_about),
            example_heading=self.example_heading.text() if self.example_heading else None,
            year_offset=self.year_offset,
        )


class SectionContentModel(ParamsModel):
    part: str
    require: list[str] = Field(min_length=1)

    def compile(self) -> SectionContentParams:
        return SectionContentParams(part=self.part, require=alternation(self.require))


class TitleModel(ParamsModel):
    subject: list[str] = Field(min_length=1)

    def compile(self) -> TitleParams:
        return TitleParams(subject=alternation(self.subject))


class NumberingModel(ParamsModel):
    levels: list[int] = [1, 2, 3, 4]

    @field_validator("levels")
    @classmethod
    def _known_levels(cls, levels: list[int]) -> list[int]:
        if any(level not in (1, 2, 3, 4, 5) for level in levels):
            raise ValueError("levels are 1 (一、), 2 ((一)), 3 (1.), 4 ((1)) and 5 (一是)")
        return levels

    def compile(self) -> NumberingParams:
        return NumberingParams(levels=frozenset(self.levels))


class JoinedHeadingModel(ParamsModel):
    max_labels: int = Field(6, ge=1, le=50)

    def compile(self) -> JoinedHeadingParams:
        return JoinedHeadingParams(self.max_labels)


class MarkerPatternModel(Strict):
    regex: str
    label: Bilingual


class HeadingMarkerModel(ParamsModel):
    patterns: list[MarkerPatternModel] = Field(min_length=1)

    def compile(self) -> HeadingMarkerParams:
        return HeadingMarkerParams(tuple((regex(p.regex), p.label.text()) for p in self.patterns))


class DutyModel(Strict):
    name: Bilingual
    words: list[str] = Field(min_length=1)


class PartDutiesModel(ParamsModel):
    part: str
    duties: list[DutyModel] = Field(min_length=1)
    min_duties: int = Field(2, ge=1)
    figures: list[str] = Field(min_length=1)

    def compile(self) -> PartDutiesParams:
        duties = tuple(Duty(d.name.text(), alternation(d.words)) for d in self.duties)
        return PartDutiesParams(self.part, duties, self.min_duties, alternation(self.figures))


class PartGenericModel(ParamsModel):
    part: str
    stock: list[str] = Field(min_length=1)
    filler: list[str] = Field(min_length=1)
    min_subject: int = Field(2, ge=1)

    def compile(self) -> PartGenericParams:
        return PartGenericParams(self.part, alternation(self.stock), alternation(self.filler), self.min_subject)
