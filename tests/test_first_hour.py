"""Issue 16, "the first hour of a new user": what a newcomer meets around the findings.
A test per item: unknown codes and empty runs never pass a CI gate, option values are
checked when read, the version, the outputs that fit the terminal and the reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.api import lint_text
from checker.cli import main
from checker.config import ConfigError
from conftest import ROOT

SEED_003 = ROOT / "seeds" / "003_e2cb0b1e9b765e18.txt"


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
    assert "govlint.toml: select: no rule has the code or prefix 'S13' (did you mean S103?)" in capsys.readouterr().err
    with pytest.raises(ConfigError, match="S13"):
        lint_text("报告", path=tmp_path / "x.txt")


def test_known_codes_prefixes_and_builtin_codes_pass(tmp_path: Path) -> None:
    (tmp_path / "govlint.toml").write_text(
        'ignore = ["G00", "E002"]\n[severity]\nT40 = "info"\n[per-file-ignores]\n"*.txt" = ["ALL"]\n', encoding="utf-8"
    )
    assert lint_text("报告", path=tmp_path / "x.txt") == []
