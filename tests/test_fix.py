"""`govlint --fix` / `--diff`: only certain fixes, written atomically in the file's own encoding."""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from checker import fix as fix_module
from checker.cli import main
from checker.engine import lint_path, lint_text
from checker.fix import fix_file, fix_text
from checker.model import Edit
from checker.ruleset import RuleSet
from checker.selection import Options
from conftest import ROOT

SEEDS = {n: next((ROOT / "seeds").glob(f"{n}_*.txt")) for n in ("000", "001", "003", "004")}
FIXED_CODES = {"T402", "T403"}

REPORT = """金石鎮(zhèn)2021年法治政府建設(shè)年度報(bào)告
日期:2022年11月28日 来源:政法委 浏览量:{{ pvCount }}
| | |
全年受理矛盾纠纷120件,成功化解126件,分享经验3次。
浏览量:{{ pvCount }}
| | |
扫一扫在手机打开当前页
金石镇人民政府
"""
# The first block of chrome holds the page's date and source: it stays whole, for a person.
FIXED = """金石鎮2021年法治政府建設年度報告
日期:2022年11月28日 来源:政法委 浏览量:{{ pvCount }}
| | |
全年受理矛盾纠纷120件,成功化解126件,分享经验3次。
金石镇人民政府
"""


def codes(path: Path, ruleset: RuleSet) -> Counter[str]:
    return Counter(d.code for d in lint_path(path, ruleset, Options()).diagnostics)


def has_error(path: Path, ruleset: RuleSet) -> bool:
    return any(d.severity == "error" for d in lint_path(path, ruleset, Options()).diagnostics)


@pytest.mark.parametrize("number", sorted(SEEDS))
def test_fixed_seed_has_nothing_fixable_left(number: str, tmp_path: Path, ruleset: RuleSet) -> None:
    path = tmp_path / SEEDS[number].name
    shutil.copy(SEEDS[number], path)
    before = codes(path, ruleset)
    assert before.keys() & FIXED_CODES

    status = main(["--fix", "--format", "json", str(path)])
    assert status == (1 if has_error(path, ruleset) else 0)  # the exit status of what remains
    after = codes(path, ruleset)
    assert "T403" not in after
    assert not fix_file(path, ruleset, Options(), write=False).changed  # a second --fix changes nothing
    # Nothing but chrome and pinyin went: every other finding is still there.
    assert {c: n for c, n in after.items() if c not in FIXED_CODES} == {
        c: n for c, n in before.items() if c not in FIXED_CODES
    }


def test_fix_removes_only_what_is_certain(ruleset: RuleSet) -> None:
    fixed, counts = fix_text(REPORT, "r.txt", ruleset, Options())
    assert fixed == FIXED
    assert counts == {"T403": 3, "T402": 3}
    # A numeric inconsistency, a placeholder in a sentence, a long line: never touched.
    text = "浏览量:{{ pvCount }}全年受理120件,化解126件。" + "依法行政" * 20 + "\n"
    assert fix_text(text, "r.txt", ruleset, Options()) == (text, Counter())


def test_findings_carry_the_edits(ruleset: RuleSet) -> None:
    """The lint's findings hold the fixes: --fix applies them and nothing else."""
    diagnostics = lint_text("r.txt", REPORT, ruleset, Options()).diagnostics
    fixes = {(d.code, REPORT.count("\n", 0, d.span.start) + 1): d.fix for d in diagnostics if d.span}
    pinyin = fixes[("T403", 1)]
    assert pinyin is not None and pinyin.applicability == "safe"
    assert [REPORT[e.start : e.end] for e in pinyin.edits] == ["(zhèn)", "(shè)", "(bào)"]
    # A block of chrome goes whole or stays whole: the date line keeps the | | | after it.
    assert fixes[("T402", 2)] is None
    block = fixes[("T402", 5)]
    assert block is not None
    deleted = [REPORT[e.start : e.end] for e in block.edits]
    assert deleted == ["浏览量:{{ pvCount }}\n", "| | |\n", "扫一扫在手机打开当前页\n"]
    assert block.message == "删除只有这些内容的行"
    assert fixes[("T401", 2)] is None  # a placeholder needs a person

    edits = sorted(e for fix in fixes.values() if fix for e in fix.edits)
    assert all(a.end <= b.start for a, b in pairwise(edits))
    fixed = "".join(REPORT[a.end : b.start] for a, b in zip([Edit(0, 0), *edits], [*edits, Edit(len(REPORT), 0)]))
    assert fixed == FIXED


def test_last_line_without_line_end(ruleset: RuleSet) -> None:
    assert fix_text("正文。\r\n扫一扫", "r.txt", ruleset, Options()) == ("正文。\r\n", Counter({"T402": 1}))


def test_overlapping_fix_waits_for_the_next_pass(ruleset: RuleSet) -> None:
    """T403's fix (every annotation of the file) is taken first, so the chrome line holding
    one is deleted in the next pass: the edits of a fix are applied together or not at all."""
    text = "标题鎮(zhèn)\n扫一扫鎮(zhèn)\n正文。\n"
    assert fix_text(text, "r.txt", ruleset, Options()) == ("标题鎮\n正文。\n", Counter({"T403": 2, "T402": 1}))


def test_suppressed_lines_and_comments_are_not_edited(ruleset: RuleSet) -> None:
    """A block of chrome is one finding: a line of it that a comment suppresses stays, and a
    line of chrome that holds a comment is not chrome (the rules see the comment as blanks)."""
    text = (
        "分享\n"
        "<!-- govlint-disable-next-line T402 -- 照录原网页 -->\n"
        "扫一扫在手机打开当前页\n"
        "相关信息\n"
        "浏览量 <!-- govlint-disable-next-line D301 -- 引用原文 -->\n"
        "正文。\n"
    )
    fixed, counts = fix_text(text, "r.md", ruleset, Options())
    assert fixed == text.replace("分享\n", "").replace("相关信息\n", "")
    assert counts == {"T402": 2}
    # A suppressed block is not fixed: fixes follow the findings the lint reports.
    suppressed = "<!-- govlint-disable-next-line T402 -- 照录原网页 -->\n分享\n扫一扫\n"
    assert fix_text(suppressed, "r.md", ruleset, Options()) == (suppressed, Counter())


def test_blank_lines_after_chrome_are_kept(ruleset: RuleSet) -> None:
    """阅读:\\s*\\d* matches the blank lines after it, and across them a number: the
    blank lines are layout, not chrome."""
    text = "2024-01-19 | 阅读:\n\n\n一、主要举措\n阅读:\n\n召开会议3次。\n阅读:\n\n1279\n"
    assert fix_text(text, "r.txt", ruleset, Options()) == (
        "2024-01-19 | 阅读:\n\n\n一、主要举措\n\n召开会议3次。\n\n", Counter({"T402": 3})
    )


def test_fixpoint_and_selection(ruleset: RuleSet) -> None:
    assert fix_text("金石鎮(zhèn)(zhèn)\n", "r.txt", ruleset, Options())[0] == "金石鎮\n"
    kept_pinyin = fix_text(REPORT, "r.txt", ruleset, Options(ignore=("T403",)))[0]
    assert kept_pinyin.startswith("金石鎮(zhèn)") and "扫一扫" not in kept_pinyin
    # Without T401 the placeholder is not debris, so its line is not pure chrome.
    assert "浏览量:{{ pvCount }}\n" in fix_text(REPORT, "r.txt", ruleset, Options(ignore=("T401",)))[0]


def test_markdown_comments_and_tables_are_respected(ruleset: RuleSet) -> None:
    text = (
        "<!-- govlint-disable T402 -- 附件为网页原文,照录 -->\n"
        "扫一扫在手机打开当前页\n"
        "<!-- govlint-enable T402 -->\n"
        "<!-- govlint-disable-next-line N201 -- 金石鎮(zhèn)含结转 -->\n"
        "相关信息 <!-- 页脚 -->\n"
        "| | |\n"
        "|---|---|\n"
        "| 受理 | 120件 |\n"
        "分享\n"
    )
    fixed, counts = fix_text(text, "r.md", ruleset, Options())
    # Suppressed chrome stays; pinyin in a govlint comment is not the report's; another
    # comment is text, not chrome; an empty table header row is a table's. Only the last line goes.
    assert fixed == text.removesuffix("分享\n")
    assert counts == {"T402": 1}


def test_gbk_crlf_file_stays_gbk_crlf(tmp_path: Path, ruleset: RuleSet) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(REPORT.replace("\n", "\r\n").encode("gb18030"))
    assert main(["--fix", str(path)]) == 1
    assert path.read_bytes() == FIXED.replace("\n", "\r\n").encode("gb18030")


def test_bom_mixed_line_ends_and_permissions_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_bytes("\ufeff标题\r\n扫一扫\r二维码\n正文鎮(zhèn)。".encode("utf-8"))
    path.chmod(0o640)
    main(["--fix", str(path)])
    assert path.read_bytes() == "\ufeff标题\r\n正文鎮。".encode("utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_symlink_target_is_fixed_and_link_kept(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("正文鎮(zhèn)。\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    main(["--fix", str(link)])
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "正文鎮。\n"


def test_diff_shows_changes_without_writing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    before = path.read_bytes(), path.stat().st_mtime_ns
    assert main(["--diff", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"--- {path}\n+++ {path}\n@@ ")
    assert "-扫一扫在手机打开当前页\n" in out and "+金石鎮2021年法治政府建設年度報告\n" in out
    assert "+日期" not in out and "-全年受理" not in out  # lines kept are not in the diff
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before

    path.write_text(FIXED, encoding="utf-8")
    assert main(["--diff", str(path)]) == 0
    assert capsys.readouterr().out == ""


def test_fix_reports_what_remains(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    main(["--fix", "--format", "json", "--select", "T40", str(path)])
    captured = capsys.readouterr()
    assert f"fixed {path}: T402 ×3, T403 ×3" in captured.err
    remaining = {(d["code"], d["line"]) for d in json.loads(captured.out)}
    assert remaining == {("T402", 2), ("T401", 2)}  # the date line is not pure chrome


def test_other_formats_are_not_fixed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("正文鎮(zhèn)。")
    path = tmp_path / "report.docx"
    document.save(str(path))
    before = path.read_bytes()
    assert main(["--fix", str(path)]) == 1  # linted all the same
    assert "only .txt and .md files are fixed" in capsys.readouterr().err
    assert path.read_bytes() == before


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_interrupted_write_leaves_the_original(
    failing: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    before = path.read_bytes()

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    assert main(["--fix", str(path)]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]  # no temporary file left


# --------------------------------------------------------------------------- data safety


def test_an_edit_made_while_fixing_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Read, fix, rename over: an edit someone saved in between was lost.
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    theirs = REPORT.replace("120件", "121件")
    real_fix_text = fix_module.fix_text

    def someone_saves_meanwhile(*args: Any) -> tuple[str, Counter[str]]:
        path.write_text(theirs, encoding="utf-8")  # same size: only the bytes tell
        return real_fix_text(*args)

    monkeypatch.setattr(fix_module, "fix_text", someone_saves_meanwhile)
    assert main(["--fix", str(path)]) == 2
    assert "changed while it was being fixed" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == theirs
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_a_file_with_several_hard_links_is_fixed_only_with_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    other = tmp_path / "same-report.txt"
    os.link(path, other)
    assert main(["--fix", str(path)]) == 2
    assert "2 hard links" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == REPORT and os.path.samefile(path, other)
    main(["--fix", "--force", str(path)])
    assert path.read_text(encoding="utf-8") == FIXED
    assert other.read_text(encoding="utf-8") == REPORT  # the other name keeps the old text


def test_a_read_only_file_is_fixed_only_with_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    path.chmod(0o444)
    assert main(["--fix", str(path)]) == 2  # also as root, who may write anything
    assert "read-only" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == REPORT
    main(["--fix", "--force", str(path)])
    assert path.read_text(encoding="utf-8") == FIXED
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root")
def test_owner_and_group_are_kept(tmp_path: Path) -> None:
    # Run as root on another user's report, --fix made it root's.
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    os.chown(path, 12345, 23456)
    main(["--fix", str(path)])
    assert path.read_text(encoding="utf-8") == FIXED
    assert (path.stat().st_uid, path.stat().st_gid) == (12345, 23456)


def test_a_chrome_block_goes_whole_or_stays_whole(ruleset: RuleSet) -> None:
    """Issue 16 item 13: the middle line of a site's three-line QR footer was left behind.
    Its words are chrome now; a block with a line of other text is not fixed at all."""
    footer = "扫一扫在手机打开当前页\n微信里点“发现”,扫一下\n二维码便可将本文分享至朋友圈。\n"
    text = "青山区人民政府\n2024年1月29日\n" + footer
    assert fix_text(text, "r.txt", ruleset, Options()) == ("青山区人民政府\n2024年1月29日\n", Counter({"T402": 3}))
    mixed = "正文。\n扫一扫在手机打开当前页\n打印本页 青山区司法局 关闭窗口\n二维码便可将本文分享至朋友圈。\n"
    assert fix_text(mixed, "r.txt", ruleset, Options()) == (mixed, Counter())
    assert "T402" in {d.code for d in lint_text("r.txt", mixed, ruleset, Options()).diagnostics}  # reported


def test_a_bare_attachments_label_goes_with_what_followed_it(ruleset: RuleSet) -> None:
    """A page's comment form after 附件: goes, and the label left with nothing after it too;
    a 附件: line that ends the text is reported and fixed by itself; one with its list stays."""
    text = "正文。\n\n附件:\n\n姓    名:\n内    容:\n验 证 码:\n\n相关信息"
    assert fix_text(text, "r.txt", ruleset, Options())[0] == "正文。\n\n\n\n"
    bare = "正文。\n附件:\n"
    diagnostics = lint_text("r.txt", bare, ruleset, Options()).diagnostics
    assert [(d.code, bare[d.span.start : d.span.end]) for d in diagnostics if d.code == "T402" and d.span] == [
        ("T402", "附件:")
    ]
    assert fix_text(bare, "r.txt", ruleset, Options())[0] == "正文。\n"
    listed = "正文。\n附件:\n1.青山区2023年行政执法统计表\n"
    assert fix_text(listed, "r.txt", ruleset, Options()) == (listed, Counter())
