"""Params models of the numeric kinds (checker.checks.numbers), for rule files. Most
numeric kinds take no params (checker.checks.schema.NoParams): the vocabulary decides."""

from __future__ import annotations

from typing import Literal

from checker.checks.numbers import PartWholeParams
from checker.checks.schema import ParamsModel


class PartWholeModel(ParamsModel):
    carry_over_severity: Literal["error", "warning", "info"] = "warning"

    def compile(self) -> PartWholeParams:
        return PartWholeParams(self.carry_over_severity)
