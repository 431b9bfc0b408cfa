"""Issue 16, "the first hour of a new user": what a newcomer meets around the findings.
A test per item: unknown codes and empty runs never pass a CI gate, option values are
checked when read, the version, the outputs that fit the terminal and the reader."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from pytest_regressions.file_regression import FileRegressionFixture

from checker.api import lint_text
from checker.cli import main
from checker.config import ConfigError
from checker.ruleset import RuleSet
from conftest import ROOT

SEED_003 = ROOT / "seeds" / "003_e2cb0b1e9b765e18.txt"
SEED_004 = ROOT / "seeds" / "004_e7ca214a9da63628.txt"
SEED_000 = ROOT / "seeds" / "000_00ec3fcab6499c92.txt"


# --------------------------------------------------------------- 1. unknown rule codes


@pytest.mark.parametrize(
    ("flags", "said"),
    [
        (["--select", "D3O1"], "--select: no rule has the code or prefix 'D3O1' (did you mean D301?)"),
        (["--ignore", "S999"], "--ignore: no rule has the code or prefix 'S999'"),
        (["--extend-select", "X"], "--extend-select: no rule has the code or prefix 'X'"),
    ],
)
def test_an_unknown_code_on_the_command_line_is_a_usage_error(
    flags: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*flags, str(SEED_003)]) == 2
    err = capsys.readouterr().err
    assert said in err and len(err.splitlines()) == 1


def test_an_unknown_prefix_in_a_config_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "govlint.toml").write_text('select = ["S13"]\n', encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text(SEED_003.read_text(encoding="utf-8"), encoding="utf-8")
    assert main([str(report)]) == 2
    # S103 and S113 are one character away each; the suggestion is the closest difflib ranks first.
    assert "govlint.toml: select: no rule has the code or prefix 'S13' (did you mean S113?)" in capsys.readouterr().err
    with pytest.raises(ConfigError, match="S13"):
        lint_text("报告", path=tmp_path / "x.txt")


def test_known_codes_prefixes_and_builtin_codes_pass(tmp_path: Path) -> None:
    (tmp_path / "govlint.toml").write_text(
        'ignore = ["G00", "E002"]\n[severity]\nT40 = "info"\n[per-file-ignores]\n"*.txt" = ["ALL"]\n', encoding="utf-8"
    )
    assert lint_text("报告", path=tmp_path / "x.txt") == []


# --------------------------------------------------------------- 2. nothing to lint


def test_nothing_to_lint_fails_unless_allowed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    assert main([str(tmp_path)]) == 2
    out = capsys.readouterr()
    assert "nothing to lint" in out.err and "--allow-empty" in out.err and out.out == ""
    assert main(["--allow-empty", str(tmp_path)]) == 0


def test_unread_report_formats_are_named_once_with_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("2023年报告.doc", "b.wps", "c.ofd", "d.xlsx", "e.rtf"):
        (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "r.txt").write_text(SEED_003.read_text(encoding="utf-8"), encoding="utf-8")
    main([str(tmp_path)])
    notes = [line for line in capsys.readouterr().err.splitlines() if "not read" in line]
    assert len(notes) == 5
    doc = tmp_path / "2023年报告.doc"
    assert f"{doc} not read: legacy Word format (.doc)" in notes[0]
    assert f"soffice --headless --convert-to docx {shlex.quote(str(doc))}" in notes[0]
    assert "PDF" in notes[2]


# --------------------------------------------------------------- 5. option values


@pytest.mark.parametrize(
    ("flags", "said"),
    [
        (["--publication-deadline", "02-29"], "'02-29' is not a day of every year: use 02-28"),
        (["--publication-deadline", "13-01"], "expected MM-DD"),
        (["--select", ","], "expected rule codes or prefixes"),
        (["--ignore", ""], "expected rule codes or prefixes"),
    ],
)
def test_option_values_are_checked_when_read(flags: list[str], said: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*flags, str(SEED_003)])
    assert exit_.value.code == 2 and said in capsys.readouterr().err


def test_a_february_29_deadline_in_a_config_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "govlint.toml").write_text('publication-deadline = "02-29"\n', encoding="utf-8")
    (tmp_path / "r.txt").write_text("青山县2021年法治政府建设年度报告\n", encoding="utf-8")
    assert main([str(tmp_path / "r.txt")]) == 2
    assert "publication-deadline" in capsys.readouterr().err


# --------------------------------------------------------------- 7. --version


def test_version_names_govlint_and_its_rule_set(capsys: pytest.CaptureFixture[str]) -> None:
    import checker

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    govlint, rules = capsys.readouterr().out.splitlines()
    assert govlint == f"govlint {checker.__version__}"
    assert re.fullmatch(rf"rules {re.escape(checker.__version__)}\+[0-9a-f]{{12}} \(\d+ built-in rules\)", rules)
    with pytest.raises(SystemExit):
        main(["--help"])
    assert f"govlint {checker.__version__}" in capsys.readouterr().out


def test_the_package_version_is_read_from_one_place() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["hatch"]["version"]["path"] == "checker/version.py"


# --------------------------------------------------------------- 4. passing runs that say what they passed


def test_junit_fails_only_what_fails_the_run(capsys: pytest.CaptureFixture[str]) -> None:
    import xml.etree.ElementTree as ET

    assert main(["--format", "junit", str(SEED_003)]) == 0  # two warnings: the run passes
    root = ET.fromstring(capsys.readouterr().out)
    assert (root.get("tests"), root.get("failures")) == ("2", "0")
    assert all(case.find("system-out") is not None for case in root.iter("testcase"))
    assert main(["--format", "junit", "--fail-on", "warning", str(SEED_003)]) == 1
    assert ET.fromstring(capsys.readouterr().out).get("failures") == "2"


def test_a_baseline_run_says_how_many_findings_it_hid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = tmp_path / "baseline.json"
    assert main(["--write-baseline", str(baseline), str(SEED_003)]) == 0
    capsys.readouterr()
    assert main(["--baseline", str(baseline), str(SEED_003)]) == 0
    assert f"2 finding(s) hidden by the baseline {baseline}" in capsys.readouterr().err


def test_the_readme_says_how_to_see_warnings_of_a_passing_commit() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "verbose: true" in readme


# --------------------------------------------------------------- 9. the review page is documented


def test_the_html_review_page_is_in_help_and_in_the_readme_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "html (a review page" in " ".join(capsys.readouterr().out.split())
    usage = (ROOT / "README.md").read_text(encoding="utf-8").split("## Use", 1)[1].split("```")[1]
    assert "govlint --format html -o review.html" in usage


# --------------------------------------------------------------- 10. facts


def test_facts_of_several_files_are_one_json_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("青山县2023年法治政府建设年度报告\n全年受理案件120件。\n", encoding="utf-8")
    assert main(["facts", "--format", "json", str(tmp_path)]) == 0
    reports = json.loads(capsys.readouterr().out)
    assert [Path(r["path"]).name for r in reports] == ["a.txt", "b.txt"]
    assert all(r["facts"][0]["text"] == "120件" for r in reports)


def rate_names(text: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> list[tuple[str, str]]:
    import json

    report = tmp_path / "r.txt"
    report.write_text("青山县2023年法治政府建设年度报告\n" + text + "\n", encoding="utf-8")
    assert main(["facts", "--format", "json", str(report)]) == 0
    return [(f["name"], f["text"]) for f in json.loads(capsys.readouterr().out)[0]["facts"] if f["type"] == "rate"]


def test_respectively_gives_every_value_its_name(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = "全县扫黑除恶专项斗争的知晓率和满意率分别为93.5%和97.2%,调解成功率为90%。"
    assert rate_names(text, capsys, tmp_path) == [("知晓率", "93.5%"), ("满意率", "97.2%"), ("调解成功率", "90%")]
    text = "复议纠错率、诉讼败诉率分别为3%、2%。"
    assert rate_names(text, capsys, tmp_path) == [("复议纠错率", "3%"), ("诉讼败诉率", "2%")]


def test_a_rate_name_never_starts_inside_a_word(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = "据第三方测评,全区群众对扫黑除恶专项斗争的知晓率达到95%。"
    assert rate_names(text, capsys, tmp_path) == [("知晓率", "95%")]
    text = "群众对此项斗争的知晓率达到95%。"  # the clause's whole name fits: kept whole
    assert rate_names(text, capsys, tmp_path) == [("群众对此项斗争的知晓率", "95%")]


# --------------------------------------------------------------- 11. the rules table


def test_rules_table_fits_the_width_with_whole_summaries(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], ruleset: RuleSet
) -> None:
    from rich.cells import cell_len

    monkeypatch.setenv("GOVLINT_LANG", "zh")
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(cell_len(line.rstrip()) for line in lines) <= 80
    column = cell_len(lines[0][: lines[0].index("说明")])

    def summary_cells(line: str) -> str:  # what the line shows from the summary column on
        shown = 0
        for i, char in enumerate(line):
            if shown >= column:
                return line[i:]
            shown += cell_len(char)
        return ""

    folded = "".join(summary_cells(line).strip() for line in lines[1:])  # the summary column, pieces joined
    for rule in ruleset.rules:
        assert rule.summary.zh.replace(" ", "") in folded.replace(" ", "")


def test_rules_to_a_pipe_are_one_line_each(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], ruleset: RuleSet
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setenv("GOVLINT_LANG", "zh")
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 + len(ruleset.rules)
    for line, rule in zip(lines[1:], ruleset.rules):
        assert line.split()[0] == rule.code and rule.summary.zh in line


# --------------------------------------------------------------- 8. code frames fit the terminal

@pytest.mark.parametrize("columns", [80, 120])
def test_code_frames_fit_the_terminal(
    columns: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    file_regression: FileRegressionFixture,
) -> None:
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.chdir(ROOT)  # the snapshot names the seed as a user in a checkout would
    main(["--color", "never", str(SEED_000.relative_to(ROOT))])
    out = capsys.readouterr().out
    frames = [line for line in out.splitlines() if re.match(r"^ *\d+ \| ", line)]
    assert frames and max(cell_len(line) for line in frames) <= columns
    assert any(cell_len(line) > columns - 12 for line in frames)  # the width is used, not a fixed window
    file_regression.check(out, basename=f"frames_{columns}_columns", extension=".txt")


def test_code_frames_to_a_pipe_keep_their_fixed_window(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from rich.cells import cell_len

    from checker.report.human import WINDOW_CELLS

    monkeypatch.delenv("COLUMNS", raising=False)
    main(["--color", "never", str(SEED_000)])
    frames = [line.split(" | ", 1)[1] for line in capsys.readouterr().out.splitlines() if re.match(r"^ *\d+ \| ", line)]
    assert max(cell_len(line) for line in frames) > 80  # wider than a 80-column terminal would allow
    assert all(cell_len(line.strip("…")) <= WINDOW_CELLS for line in frames)


# --------------------------------------------------------------- 12. Word comments carry the whole finding


def word_comments(path: Path) -> list[tuple[str, str]]:
    """(the text a comment covers, the comment's text), in document order."""
    from test_annotate import comments, ranges

    notes = comments(path)
    return [(enclosed, notes[key][1]) for key, (enclosed, _paragraph, _run) in ranges(path).items()]


def test_every_place_of_a_finding_gets_its_comment(tmp_path: Path) -> None:
    from test_loaders import seed_docx

    seed = seed_docx(SEED_004, tmp_path / "004.docx")
    assert main(["annotate", "--select", "D301,D302,T402", str(seed), "-o", str(tmp_path / "out.docx")]) == 1
    found = word_comments(tmp_path / "out.docx")
    plan = [(enclosed, note) for enclosed, note in found if note.startswith("D301")]
    assert [enclosed for enclosed, _ in plan] == ["2021", "2021", "2021"]  # title: report year and plan; plan heading
    heading_note = plan[-1][1]
    assert heading_note.startswith("D301 plan-for-wrong-year: 计划年度 2021\n")  # the label, then its finding
    assert any(note.startswith(f"D301 plan-for-wrong-year: {heading_note.split(chr(10))[1]}") for _, note in plan)

    seed = seed_docx(SEED_000, tmp_path / "000.docx")
    main(["annotate", "--select", "T402", str(seed), "-o", str(tmp_path / "out.docx")])
    form = [enclosed for enclosed, note in word_comments(tmp_path / "out.docx") if "评论表单" in note]
    assert any("容:" in enclosed and "验 证 码:" in enclosed for enclosed in form)  # one range over the block


def test_word_comments_give_no_command_line_advice(tmp_path: Path) -> None:
    from test_loaders import seed_docx

    seed = seed_docx(SEED_000, tmp_path / "000.docx")
    main(["annotate", "--select", "D302", str(seed), "-o", str(tmp_path / "out.docx")])
    notes = [note for _, note in word_comments(tmp_path / "out.docx")]
    assert notes and all("--" not in note for note in notes)
    assert any("年度报告应在次年4月1日之前向社会公开" in note for note in notes)


# --------------------------------------------------------------- 14. mojibake by its bytes


def test_the_encoding_finders_find_nothing_in_clean_reports() -> None:
    from checker.checks.encoding import FINDERS

    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        if seed.name.startswith("001"):  # the seed with real mojibake
            continue
        text = seed.read_text(encoding="utf-8")
        assert [(name, text[s:e]) for name, find in FINDERS.items() for s, e in find(text)] == [], seed.name


SEED_003_LINES = (ROOT / "seeds" / "003_e2cb0b1e9b765e18.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("line", SEED_003_LINES[2:12])
def test_utf8_read_as_gbk_is_found_in_any_sentence(line: str) -> None:
    from checker.checks.encoding import utf8_read_as_gbk

    if len(line) < 6:
        pytest.skip("too short to hold a mangled pair")
    mangled = line.encode("utf-8").decode("gbk", "replace")
    assert list(utf8_read_as_gbk(mangled))


def test_gbk_out_of_step_spans_only_the_damaged_characters() -> None:
    from checker.checks.encoding import gbk_out_of_step

    for damaged, after in [("?。ㄒ唬?", "qiáng)化领导"), ("??茖W", "(xué)部署"), ("?。ǘ?", "qiáng)化措施")]:
        text = "前文没有问题。" + damaged + after
        assert [text[s:e] for s, e in gbk_out_of_step(text)] == [damaged]


def test_gbk_out_of_step_after_ascii_punctuation() -> None:
    """A repost of “中国元素！“十四五”时期”: the “?” of the unpaired byte, an ASCII “!”
    read on its own, then the bytes still out of step up to the lone trail byte “r”."""
    from checker.checks.encoding import gbk_out_of_step

    text = "推动中國元素?!笆奈濉睍r期的文化建设。"
    assert [text[s:e] for s, e in gbk_out_of_step(text)] == ["?!笆奈濉睍r"]
    for clean in ("为什么?!我们坚持依法行政。", "问题?1.加强组织领导", "是否完成?(一)强化领导"):
        assert list(gbk_out_of_step(clean)) == [], clean


# --------------------------------------------------------------- 6. a Chinese interface

# What may stay in Latin letters in Chinese output: names of things (formats, products,
# codes, flags, paths, commands in backticks) — never a phrase of English words.
_NAMES = re.compile(
    r"`[^`]*`|\{[^}]*\}|\[[^\]]*\]|--?[\w-]+|\S*[/\\]\S*|\S+\.(?:docx?|wps|ofd|rtf|xlsx?|txt|md|html?|pdf|toml|json|sarif|xml)"
    r"|[A-Z]\d{3}|\b[A-Z]{2,}\b|[a-z]+(?:-[a-z]+)+|\b(?:error|warning|info|annual|summary)\b|JSON Schema"
    r"|GitHub Actions|soffice [^))]*|govlint(?: (?:check|rules|explain|facts|annotate|schema|\d\S*))?"
)
_ENGLISH_PHRASE = re.compile(r"\b[A-Za-z]{2,}(?:[ ,:;]+[A-Za-z]{2,})+\b")


def english_left(text: str) -> list[str]:
    return _ENGLISH_PHRASE.findall(_NAMES.sub(" ", text))


def zh_run(argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    monkeypatch.setenv("GOVLINT_LANG", "zh")
    monkeypatch.setenv("COLUMNS", "200")
    try:
        main(argv)
    except SystemExit:
        pass
    out = capsys.readouterr()
    return out.out + out.err


def test_the_interface_is_chinese_throughout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from test_loaders import seed_docx

    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "2019年报告.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    report = "金石鎮(zhèn)2021年法治政府建设年度报告\n浏览量:{{ pvCount }}\n"
    (tmp_path / "old" / "r.txt").write_text(report, encoding="utf-8")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "govlint.toml").write_text('selct = ["S"]\n', encoding="utf-8")
    (tmp_path / "bad" / "r.txt").write_text("报告\n", encoding="utf-8")
    seed_docx(SEED_004, tmp_path / "r.docx")
    runs = [
        ["--help"], *([command, "--help"] for command in ("rules", "explain", "facts", "annotate", "schema")),
        [], ["--jobs", "0", "old"], ["--format", "xml", "old"], ["--frobnicate", "old"], ["--select", "D3O1", "old"],
        ["--publication-deadline", "02-29", "old"], ["empty"], ["old"], ["missing.txt"], ["bad/r.txt"],
        ["rules"], ["explain", "S103"], ["explain", "X999"], ["--version"],
        ["--diff", "old"], ["--fix", "old"], ["--write-baseline", "b.json", "old"], ["--baseline", "b.json", "old"],
        ["annotate", "r.docx"], ["annotate", "old/r.txt"], ["-o", "/nonexistent/x.json", "old"],
        ["facts", "missing.txt"],
    ]
    for argv in runs:
        shown = zh_run(argv, monkeypatch, capsys)
        assert shown.strip(), argv
        assert english_left(shown) == [], (argv, shown)


def test_english_on_request(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from checker.messages import ui_lang

    assert ui_lang(["--lang", "en", "x"], {}) == "en"
    assert ui_lang(["x"], {"LANG": "en_US.UTF-8"}) == "en"
    assert ui_lang(["x"], {"LANG": "zh_CN.UTF-8"}) == ui_lang(["x"], {}) == "zh"
    assert ui_lang(["x"], {"GOVLINT_LANG": "zh", "LANG": "en_US.UTF-8"}) == "zh"
    monkeypatch.delenv("GOVLINT_LANG")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "show this help message and exit" in capsys.readouterr().out


def test_explain_in_english_shows_the_english_explanation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "S103", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "## What it does" in out and "顺带提到" not in out
    assert main(["explain", "S103", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "## 说明" in out and "顺带提到" in out and "Why:" not in out


# --------------------------------------------------------------- 6. every reason in the catalogue

_SAID_ERRORS = {"LoadError", "LoadTimeout", "FixError", "AnnotateError", "BaselineError"}


def test_errors_are_said_from_the_catalogue() -> None:
    """Every reason a user can be shown for a file that cannot be read, fixed, annotated or
    used as a baseline is a catalogue entry in both languages: no error of these classes
    is built from a string of its own, and every key given to ``said`` exists."""
    import ast

    from checker.messages import CATALOGUE

    used: set[str] = set()
    for module in sorted((ROOT / "checker").rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "said" and isinstance(func.value, ast.Name):
                key = node.args[0]
                assert isinstance(key, ast.Constant), f"{module.name}:{node.lineno}: a said() key must be literal"
                used.add(key.value)
            elif isinstance(func, ast.Name) and func.id in _SAID_ERRORS:
                words = [a for a in node.args if isinstance(a, ast.Constant | ast.JoinedStr)]
                assert not words, f"{module.name}:{node.lineno}: {func.id} with words of its own, not the catalogue's"
    assert used and used <= CATALOGUE.keys(), used - CATALOGUE.keys()
    for key in used:
        zh, en = CATALOGUE[key]
        assert (zh and en and zh != en) or key.startswith("baseline-bad-value"), key
        assert not english_left(zh), (key, zh)


def test_unreadable_files_say_why_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    monkeypatch.chdir(tmp_path)
    (tmp_path / "binary.txt").write_bytes(b"abc\x00def")
    (tmp_path / "broken.txt").write_bytes("依法行政。".encode() + b"\xff\xfe\xfd" * 50)
    (tmp_path / "fake.pdf").write_bytes(b"not a pdf at all")
    (tmp_path / "fake.docx").write_bytes(b"not a zip archive")
    (tmp_path / "bom.txt").write_bytes(b"\xff\xfe" + b"\x00\xd8")
    os.mkfifo(tmp_path / "pipe.txt")
    names = sorted(p.name for p in tmp_path.iterdir())
    output = zh_run(["--format", "concise", "--no-cache", *names], monkeypatch, capsys)
    assert output.count("E001") == 6, output
    assert english_left(output) == [], output
