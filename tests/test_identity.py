"""Who reports and on which year (checker.extract.identity), and where outputs show it."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from checker.cli import main
from checker.engine import lint_text
from checker.extract.identity import normalise_organisation, report_identity
from checker.model import Identity, SourceText
from checker.normalize import normalize
from checker.parse import parse
from checker.ruleset import RuleSet
from checker.selection import Options

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def identity(text: str) -> Identity:
    return report_identity(parse("r.txt", SourceText(text), normalize(text)))


def written_at(text: str, found: Identity) -> str:
    assert found.span is not None
    return text[found.span.start : found.span.end]


@pytest.mark.parametrize(
    ("text", "organisation", "source"),
    [
        # one line, every level
        ("江南省人民政府2023年法治政府建设年度报告\n正文", "江南省人民政府", "title"),
        ("江南省司法厅2023年法治政府建设年度报告\n正文", "江南省司法厅", "title"),
        ("青山市2023年度法治政府建设情况报告\n正文", "青山市人民政府", "title"),
        ("青山市司法局2023年度法治政府建设工作报告\n正文", "青山市司法局", "title"),
        ("青山区2023年法治政府建设年度报告\n正文", "青山区人民政府", "title"),
        ("青山县市场监督管理局2023年法治政府建设年度报告\n正文", "青山县市场监督管理局", "title"),
        ("白沙镇2023年法治政府建设年度报告\n正文", "白沙镇人民政府", "title"),
        ("白沙乡人民政府2023年法治政府建设年度报告\n正文", "白沙乡人民政府", "title"),
        ("白沙街道2023年法治政府建设年度报告\n正文", "白沙街道办事处", "title"),
        ("白沙街道办事处2023年法治政府建设年度报告\n正文", "白沙街道办事处", "title"),
        ("青山高新区2023年法治政府建设年度报告\n正文", "青山高新区", "title"),  # a functional area: no 人民政府
        ("青山经济开发区管委会2023年法治政府建设工作报告\n正文", "青山经济开发区管理委员会", "title"),
        ("青山县全面依法治县工作领导小组办公室2023年工作要点\n正文", "青山县全面依法治县工作领导小组办公室", "title"),
        # 关于 titles, with and without the issuer in them
        ("青山区政府关于2023年度法治政府建设情况的报告\n正文", "青山区人民政府", "title"),
        ("青山县人民政府办公室关于2023年度法治政府建设情况的报告\n正文", "青山县人民政府办公室", "title"),
        ("关于2023年度法治政府建设情况的报告\n2023年度,白沙街道在区委的领导下,坚持……", "白沙街道办事处", "opening"),
        # two lines: the issuer, then the report; the body split over two lines
        ("青山县司法局\n2023年度法治政府建设情况报告\n正文", "青山县司法局", "issuer"),
        ("青山县2022年度\n法治政府建设情况报告\n正文", "青山县人民政府", "title"),
        # a title that opens with its year, one without a year
        ("2023年度青山县法治政府建设工作报告\n正文", "青山县人民政府", "title"),
        ("白沙镇政法工作总结\n2023年,我镇坚持依法行政。", "白沙镇人民政府", "title"),
        # 公文 headers: 发文字号, issuing body (文件), the title
        ("龙府〔2024〕5号\n龙门县人民政府\n关于2023年度法治政府建设情况的报告\n正文", "龙门县人民政府", "issuer"),
        ("龙门县人民政府文件\n龙府〔2024〕5号\n关于2023年度法治政府建设情况的报告\n正文", "龙门县人民政府", "issuer"),
        ("龙府〔2024〕5号\n关于2023年度法治政府建设情况的报告\n市人民政府:\n正文", "龙府", "document-number"),
        ("中共龙门县委 龙门县政府\n关于2023年法治建设工作情况的报告\n正文", "中共龙门县委 龙门县人民政府", "issuer"),
        # the 落款 over the signature date, or beside it
        ("2023年,我县坚持依法行政。\n正文。\n青山县人民政府\n2024年2月20日\n", "青山县人民政府", "signature"),
        ("2023年,我局坚持依法行政。\n正文。\n青山县司法局 2024年2月20日\n", "青山县司法局", "signature"),
        # a 市府, written informally
        ("青山市府2023年法治政府建设工作报告\n正文", "青山市人民政府", "title"),
    ],
)
def test_organisation_and_where_it_was_read(text: str, organisation: str, source: str) -> None:
    found = identity(text)
    assert (found.organisation, found.organisation_source) == (organisation, source)
    assert found.written == written_at(text, found)  # the span holds exactly the name as written
    assert normalise_organisation(found.written) == organisation


@pytest.mark.parametrize(
    "text",
    [
        "2023年法治政府建设年度报告\n2023年,我们坚持依法行政。",  # no one named
        "关于2023年度法治政府建设情况的报告\n2023年,我县坚持依法行政。",  # 我县 is no name
        "全区2023年法治政府建设工作报告\n正文",  # a collective word
        "2023年度,我街道坚持依法行政,现将情况报告如下:\n一、2023年工作开展情况",  # no title, a pronoun
        "深入推进法治政府建设工作总结\n正文",  # a clause before the topic, not a name
        "2024年2月20日\n2023年,我局坚持依法行政。",  # a date at the top of the page: no 落款
        "2023年,我局坚持依法行政。\n全年受理案件12件,县政府\n2024年2月20日",  # a sentence over the date
        "",
    ],
)
def test_no_organisation_is_none_not_a_guess(text: str) -> None:
    found = identity(text)
    assert (found.organisation, found.written, found.span, found.organisation_source) == (None, None, None, None)


def test_the_year_and_the_document_number_come_with_it() -> None:
    text = "龙门县人民政府文件\n龙府〔2024〕5号\n龙门县人民政府关于2023年度法治政府建设情况的报告\n正文"
    found = identity(text)
    assert (found.year, found.year_source, found.document_number) == (2023, "title", "龙府〔2024〕5号")
    assert found.year_span is not None and text[found.year_span.start : found.year_span.end] == "2023"
    opening = identity("2022年,白沙镇在县委的领导下,坚持依法行政。\n一、主要举措")
    assert (opening.organisation, opening.year, opening.year_source) == ("白沙镇人民政府", 2022, "opening")
    assert identity("工作报告\n正文").year_source is None


def test_a_converted_report_keeps_its_original_characters() -> None:
    text = "金石鎮(zhèn)2021年法治政府建設(shè)年度報(bào)告\n正文"
    found = identity(text)
    assert (found.organisation, found.written) == ("金石镇人民政府", "金石鎮")


SEED_IDENTITIES = {
    "000": ("湄洲岛", "湄洲岛", "title", 2021),
    "001": ("金石镇人民政府", "金石鎮", "title", 2021),
    "002": ("李堡", "李堡", "title", 2020),
    "003": ("巫山县龙门街道办事处", "巫山县龙门街道办事处", "signature", 2023),  # the 落款 names it in full
    "004": ("大鹏新区政法办公室", "大鹏新区政法办公室", "title", 2021),
}


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_each_seed_names_its_organisation_and_year(seed: Path, ruleset: RuleSet) -> None:
    result = lint_text(seed.name, seed.read_text(encoding="utf-8"), ruleset, Options())
    assert result.identity is not None
    found = result.identity
    assert (found.organisation, found.written, found.organisation_source, found.year) == SEED_IDENTITIES[seed.name[:3]]
    assert "S114" not in {d.code for d in result.diagnostics}


def test_five_seeds_five_organisations() -> None:
    assert len({organisation for organisation, *_ in SEED_IDENTITIES.values()}) == len(SEEDS) == 5


def test_s114_points_at_the_title_or_the_whole_file(ruleset: RuleSet) -> None:
    options = Options(select=("S114",))
    text = "2023年法治政府建设年度报告\n2023年,我们坚持依法行政。\n"
    (finding,) = lint_text("r.txt", text, ruleset, options).diagnostics
    assert finding.span is not None and text[finding.span.start : finding.span.end] == "2023年法治政府建设年度报告"
    assert finding.severity == "info"
    (whole,) = lint_text("r.txt", "2023年,我们坚持依法行政。\n", ruleset, options).diagnostics
    assert whole.span is None


def run_cli(*args: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        main([*args])
    return out.getvalue()


def test_facts_shows_the_identity(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("青山区政府关于2023年度法治政府建设情况的报告\n全年受理案件12件。\n", encoding="utf-8")
    (item,) = json.loads(run_cli("facts", "--format", "json", "--no-cache", str(report)))
    assert item["report"] == {
        "organisation": "青山区人民政府",
        "organisation_written": "青山区政府",
        "organisation_source": "title",
        "year": 2023,
        "year_source": "title",
        "document_number": None,
        "organisation_at": "1:1",
        "year_at": "1:8",
    }
    assert list(item) == ["path", "report", "facts"]
    table = run_cli("facts", "--no-cache", str(report))
    assert "organisation: 青山区人民政府 (written “青山区政府”) from the title at 1:1" in table
    assert "year: 2023 from the title at 1:8" in table


def test_json_carries_the_identity_on_each_finding(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("白沙镇2023年法治政府建设年度报告\n浏览量:12\n", encoding="utf-8")
    records = json.loads(run_cli("--format", "json", "--no-cache", str(report)))
    assert records and all(
        r["report"]
        == {
            "organisation": "白沙镇人民政府",
            "organisation_written": "白沙镇",
            "organisation_source": "title",
            "year": 2023,
            "year_source": "title",
            "document_number": None,
        }
        for r in records
    )
