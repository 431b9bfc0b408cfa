"""Structure findings that the rule cases cannot state: the note of a missing part."""

from __future__ import annotations

from checker.engine import lint_text
from checker.ruleset import load_rules
from checker.selection import Options


def notes(text: str, code: str) -> list[str | None]:
    result = lint_text("report.txt", text, load_rules(), Options())
    return [d.note for d in result.diagnostics if d.code == code]


def test_missing_part_note_uses_the_report_year() -> None:
    text = "青山区2021年法治政府建设年度报告\n二、存在的不足和原因\n"
    assert notes(text, "S101") == ["本报告年度为2021年:标题可写作“一、2021年推进法治政府建设的主要举措和成效”"]
    assert notes(text, "S104") == ["本报告年度为2021年:标题可写作“四、2022年推进法治政府建设的主要安排”"]


def test_no_year_no_note() -> None:
    text = "二、存在的不足和原因\n执法培训不足。\n"
    assert notes(text, "S101") == [None] and notes(text, "S104") == [None]
