"""Params models of the kinds across reports (checker.checks.crossyear), for rule files."""

from __future__ import annotations

from pydantic import Field

from checker.checks.crossyear import CarryOverParams, CopiedParams, PlanParams, PriorFigureParams, TemplateParams
from checker.checks.schema import ParamsModel, optional_alternation


class PriorFigureModel(ParamsModel):
    """N210 compares figures exactly, and a growth at its stated precision (as N205)."""

    def compile(self) -> PriorFigureParams:
        return PriorFigureParams()


class PlanFollowedUpModel(ParamsModel):
    plan: str = "S104"
    not_measures: list[str] = ["S102"]
    generic: list[str] = []
    min_pairs: int = Field(4, ge=1)
    taken_up: float = Field(0.4, gt=0, le=1)
    max_listed: int = Field(5, ge=1)

    def compile(self) -> PlanParams:
        return PlanParams(
            self.plan,
            tuple(self.not_measures),
            optional_alternation(self.generic),
            self.min_pairs,
            self.taken_up,
            self.max_listed,
        )


class CopiedModel(ParamsModel):
    parts: list[str] = Field(["S102", "S104"], min_length=1)
    min_length: int = Field(50, ge=10)
    similarity: float = Field(90, gt=0, le=100)

    def compile(self) -> CopiedParams:
        return CopiedParams(tuple(self.parts), self.min_length, self.similarity)


class TemplateModel(ParamsModel):
    parts: list[str] = Field(["S102", "S103", "S104"], min_length=1)
    min_length: int = Field(50, ge=10)
    similarity: float = Field(90, gt=0, le=100)
    lsh_from: int = Field(500, ge=2)
    num_perm: int = Field(32, ge=16, le=512)
    lsh_threshold: float = Field(0.5, gt=0, lt=1)
    same_report: float = Field(0.5, gt=0, le=1)

    def compile(self) -> TemplateParams:
        return TemplateParams(
            tuple(self.parts),
            self.min_length,
            self.similarity,
            self.lsh_from,
            self.num_perm,
            self.lsh_threshold,
            self.same_report,
        )


class CarryOverModel(ParamsModel):
    """P401: the rows are named as the table rule names them."""

    table: str = "P201"
    carried: str = "carried"
    forward: str = "forward"

    def compile(self) -> CarryOverParams:
        return CarryOverParams(self.table, self.carried, self.forward)
