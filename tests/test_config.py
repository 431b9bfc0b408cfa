"""Config files: discovery (closest wins), precedence (command line > file > defaults),
per-file ignores, severity overrides, exclude, validation errors and cold start."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from checker.checks import Settings
from checker.cli import main
from checker.config import ConfigError, ConfigResolver, Overrides, file_settings, load_config, matches
from checker.selection import Options, Selection, is_selected
from conftest import ROOT, user_rule

CLEAN = """青山县2023年法治政府建设年度报告
2023年,我县坚持依法行政。
一、2023年推进法治政府建设的主要举措和成效
全年审查规范性文件12件。
二、存在的不足和原因
基层执法力量不足,主要是编制没有随任务增加。
三、党政主要负责人履行推进法治建设第一责任人职责情况
县长主持召开常务会议专题研究法治政府建设4次,带头参加会前学法6次。
四、2024年推进法治政府建设的主要安排
深化行政执法体制改革。
青山县人民政府
2024年2月20日
"""
CHROME = CLEAN + "浏览量:25\n"  # T402, a warning
NO_TITLE = CLEAN.split("\n", 1)[1]  # S105, a warning
BOTH = NO_TITLE + "浏览量:25\n"  # S105 and T402


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def lint_json(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, dict[str, set[str]]]:
    """Exit status and {file name: codes} of an in-process run with --format json."""
    status = main(["--format", "json", *map(str, args)])
    found: dict[str, set[str]] = {}
    for item in json.loads(capsys.readouterr().out):
        found.setdefault(Path(item["path"]).name, set()).add(item["code"])
    return status, found


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --------------------------------------------------------------------------- discovery


def test_closest_config_wins(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project / "govlint.toml", 'select = ["T"]\n')
    write(project / "sub" / "govlint.toml", 'select = ["S105"]\n')
    write(project / "a.txt", BOTH)
    write(project / "sub" / "deeper" / "b.txt", BOTH)
    status, found = lint_json(capsys, ".")
    assert found == {"a.txt": {"T402"}, "b.txt": {"S105"}}
    assert status == 0  # warnings only


def test_pyproject_tool_table_counts_and_one_without_it_does_not(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "pyproject.toml", '[project]\nname = "x"\n\n[tool.govlint]\nselect = ["S105"]\n')
    # Closer, but no [tool.govlint]: the search goes on upward.
    write(project / "sub" / "pyproject.toml", '[project]\nname = "sub"\n[project.scripts]\ngovlint = "x:y"\n')
    write(project / "sub" / "a.txt", BOTH)
    _, found = lint_json(capsys, "sub/a.txt")
    assert found == {"a.txt": {"S105"}}


def test_dot_govlint_toml_is_found(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project / ".govlint.toml", 'ignore = ["T402"]\n')
    write(project / "a.txt", BOTH)
    assert lint_json(capsys, "a.txt")[1] == {"a.txt": {"S105"}}


def test_config_option_overrides_discovery(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project / "govlint.toml", 'select = ["T"]\n')
    write(project / "sub" / "govlint.toml", 'select = ["T"]\n')
    write(project / "elsewhere" / "strict.toml", 'select = ["S105"]\n')
    write(project / "a.txt", BOTH)
    write(project / "sub" / "b.txt", BOTH)
    _, found = lint_json(capsys, "--config", "elsewhere/strict.toml", "a.txt", "sub/b.txt")
    assert found == {"a.txt": {"S105"}, "b.txt": {"S105"}}


def test_resolver_caches_each_folder_once(tmp_path: Path) -> None:
    write(tmp_path / "govlint.toml", 'select = ["T"]\n')
    resolver = ConfigResolver()
    first = resolver.for_path(tmp_path / "a" / "b" / "x.txt")
    assert first is not None and first.values.select == ("T",)
    assert resolver.for_path(tmp_path / "a" / "y.txt") is first


# --------------------------------------------------------------------------- precedence


def test_cli_select_replaces_config_select_and_its_ignores(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project / "govlint.toml", 'select = ["T"]\nignore = ["S105"]\n')
    write(project / "a.txt", BOTH)
    assert lint_json(capsys, "--select", "S105", "a.txt")[1] == {"a.txt": {"S105"}}


def test_cli_extend_select_and_ignore_add_to_config(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project / "govlint.toml", 'select = ["T"]\n')
    write(project / "a.txt", BOTH)
    assert lint_json(capsys, "--extend-select", "S105", "a.txt")[1] == {"a.txt": {"S105", "T402"}}
    assert lint_json(capsys, "--ignore", "T402", "a.txt")[1] == {}


def test_config_extend_select_adds_to_its_select(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project / "govlint.toml", 'select = ["D"]\nextend-select = ["S105"]\n')
    write(project / "a.txt", BOTH)
    assert lint_json(capsys, "a.txt")[1] == {"a.txt": {"S105"}}


def test_cli_flags_beat_config_values(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project / "govlint.toml", 'profile = "summary"\nfail-on = "warning"\nlang = "en"\n')
    # S102 (an error) under the annual profile only
    write(project / "a.txt", NO_TITLE.replace("二、存在的不足和原因", "二、其他"))
    status, found = lint_json(capsys, "a.txt")
    assert status == 1 and found == {"a.txt": {"S105"}}  # summary profile; fail-on warning
    status, found = lint_json(capsys, "--profile", "annual", "--fail-on", "error", "a.txt")
    assert status == 1 and "S102" in found["a.txt"]  # S102 is an error
    main(["--format", "concise", "a.txt"])
    assert "no title line" in capsys.readouterr().out  # lang from the config
    main(["--format", "concise", "--lang", "zh", "a.txt"])
    assert "缺少标题行" in capsys.readouterr().out


def test_publication_deadline_from_config(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project / "a.txt", CLEAN)  # signed 2024-02-20
    write(project / "govlint.toml", 'publication-deadline = "02-10"\n')
    assert lint_json(capsys, "a.txt")[1] == {"a.txt": {"D302"}}
    assert lint_json(capsys, "--publication-deadline", "03-31", "a.txt")[1] == {}


def test_file_settings_layers() -> None:
    settings = file_settings(Path("a.txt"), None, Overrides(select=("S",), ignore=("S105",), fail_on="info"))
    assert settings.fail_on == "info" and settings.options.settings == Settings()
    assert is_selected("S101", settings.options) and not is_selected("S105", settings.options)
    assert not is_selected("T402", settings.options)


@pytest.mark.parametrize(
    ("layers", "selected", "not_selected"),
    [
        ((Selection(("T",)), Selection(None, ("S105",))), {"T402", "S105"}, {"S101"}),
        ((Selection(ignore=("T402",)), Selection(("T402",))), {"T402"}, {"T401"}),
        ((Selection(("ALL",), (), ("T",)), Selection(extend_select=("T402",))), {"S101", "T402"}, {"T401"}),
    ],
)
def test_selection_layers_fold_in_order(
    layers: tuple[Selection, ...], selected: set[str], not_selected: set[str]
) -> None:
    options = Options(layers=layers)
    assert all(is_selected(code, options) for code in selected)
    assert not any(is_selected(code, options) for code in not_selected)


# --------------------------------------------------------------------------- per-file ignores, severity


def test_per_file_ignores_with_globs(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        project / "govlint.toml",
        '[per-file-ignores]\n"drafts/**" = ["T"]\n"*.md" = ["S105"]\n"archive/2019-*.txt" = ["S", "T402"]\n',
    )
    write(project / "a.txt", BOTH)
    write(project / "drafts" / "deep" / "b.txt", BOTH)
    write(project / "c.md", BOTH)
    write(project / "archive" / "2019-x.txt", BOTH)
    write(project / "archive" / "2020-y.txt", BOTH)
    _, found = lint_json(capsys, ".")
    assert found == {
        "a.txt": {"S105", "T402"},
        "b.txt": {"S105"},
        "c.md": {"T402"},
        "2020-y.txt": {"S105", "T402"},
    }


def test_per_file_ignores_hold_against_cli_select(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project / "govlint.toml", '[per-file-ignores]\n"a.txt" = ["T402"]\n')
    write(project / "a.txt", BOTH)
    assert lint_json(capsys, "--select", "T402", "a.txt")[1] == {}


def test_per_file_globs_are_relative_to_the_config_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project / "cfg" / "govlint.toml", '[per-file-ignores]\n"reports/*.txt" = ["T402"]\n')
    write(project / "cfg" / "reports" / "a.txt", CHROME)
    write(project / "reports" / "b.txt", CHROME)
    _, found = lint_json(capsys, "--config", "cfg/govlint.toml", "cfg/reports/a.txt", "reports/b.txt")
    assert found == {"b.txt": {"T402"}}


def test_severity_override_changes_severity_and_exit_status(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project / "a.txt", BOTH)
    assert lint_json(capsys, "a.txt")[0] == 0  # two warnings
    write(project / "govlint.toml", '[severity]\nT = "info"\nT402 = "error"\nS105 = "off"\n')
    status = main(["--format", "json", "a.txt"])
    items = json.loads(capsys.readouterr().out)
    assert status == 1  # the most specific entry wins: T402 is an error
    assert [(i["code"], i["severity"]) for i in items] == [("T402", "error")]  # S105 is off
    main(["--format", "sarif", "a.txt"])
    assert json.loads(capsys.readouterr().out)["runs"][0]["results"][0]["level"] == "error"


def test_severity_can_lower_an_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project / "a.txt", CLEAN.replace("12件", "{{ n }}件"))
    assert lint_json(capsys, "a.txt")[0] == 1
    write(project / "govlint.toml", '[severity]\nT401 = "warning"\n')
    assert lint_json(capsys, "a.txt")[0] == 0


# --------------------------------------------------------------------------- exclude


def test_exclude_skips_folder_scans_but_not_named_files(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project / "govlint.toml", 'exclude = ["drafts", "old/*.txt", "**/tmp-*.md"]\n')
    write(project / "a.txt", CHROME)
    write(project / "drafts" / "b.txt", CHROME)
    write(project / "old" / "c.txt", CHROME)
    write(project / "old" / "keep" / "d.txt", CHROME)
    write(project / "x" / "y" / "tmp-e.md", CHROME)
    _, found = lint_json(capsys, ".")
    assert set(found) == {"a.txt", "d.txt"}
    _, found = lint_json(capsys, "drafts/b.txt", "old")
    assert set(found) == {"b.txt", "d.txt"}  # named on the command line: linted
    assert set(lint_json(capsys, "drafts")[1]) == {"b.txt"}  # so is a folder named


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("drafts", "x/drafts", True),
        ("drafts", "drafts/a.txt", False),  # a folder scan never enters drafts/
        ("drafts/**", "drafts/y/a.txt", True),
        ("*.md", "x/a.md", True),
        ("*.md", "x/a.txt", False),
        ("x/*.txt", "x/a.txt", True),
        ("x/*.txt", "x/y/a.txt", False),
        ("x/**/*.txt", "x/a.txt", True),
        ("x/**/*.txt", "x/y/z/a.txt", True),
        ("**/a.txt", "a.txt", True),
        ("./x/a.txt", "x/a.txt", True),
        ("x/a.txt", "/elsewhere/x/a.txt", False),
        ("20[12]?-*.txt", "2019-a.txt", True),
        ("20[!1]?-*.txt", "2019-a.txt", False),
        ("drafts/**", "drafts", False),  # what is under drafts, not drafts itself
        ("[z-a].txt", "z.txt", False),  # a reversed range matches nothing (it raised re.error)
        ("[a", "[a", True),  # an unclosed bracket is itself
        ("x/**/y/**/*.md", "x/1/y/2/3/a.md", True),
        ("x/**/y/**/*.md", "x/1/2/a.md", False),
        ("*a" * 20 + "b", "a" * 5000, False),  # backtracked for ever as a regex
        ("**/" * 30 + "b", "/".join("a" * 200) + "/c", False),
    ],
)
def test_glob_matching(tmp_path: Path, pattern: str, path: str, expected: bool) -> None:
    assert matches(pattern, tmp_path / path, tmp_path) is expected


def test_hostile_globs_in_a_config_are_matched_not_a_traceback(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "govlint.toml", 'exclude = ["[z-a].txt", "*a*a*a*a*a*a*a*a*a*a*a*a*b"]\n'
          '[per-file-ignores]\n"[9-0]*.txt" = ["T"]\n')  # fmt: skip
    write(project / ("a" * 200 + ".txt"), CHROME)
    _, found = lint_json(capsys, ".")
    assert set(found) == {"a" * 200 + ".txt"}


# --------------------------------------------------------------------------- rule folders



def test_config_rule_folders_per_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project / "county" / "my-rules" / "local.toml", user_rule())
    write(project / "county" / "govlint.toml", 'rules = ["my-rules"]\nselect = ["X", "T"]\n')
    # (select = ["X"] here would be a usage error: no rule of the city's rule set is X…)
    write(project / "city" / "govlint.toml", 'select = ["T"]\n')
    write(project / "county" / "a.txt", CHROME + "坚持建设法制政府。\n")
    write(project / "city" / "b.txt", CHROME + "坚持建设法制政府。\n")
    status, found = lint_json(capsys, ".")
    assert found == {"a.txt": {"X901", "T402"}, "b.txt": {"T402"}}
    assert status == 1


def test_missing_rule_folder_in_config_is_an_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project / "govlint.toml", 'rules = ["nope"]\n')
    write(project / "a.txt", CLEAN)
    assert main(["a.txt"]) == 2
    assert "nope: rules directory not found" in capsys.readouterr().err


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("govlint.toml", 'selct = ["S"]\n', "govlint.toml: unknown key 'selct' (did you mean 'select'?)"),
        (
            "govlint.toml",
            'extend_select = ["S"]\n',
            "govlint.toml: unknown key 'extend_select' (did you mean 'extend-select'?)",
        ),
        (
            "pyproject.toml",
            '[tool.govlint]\nprofle = "x"\n',
            "pyproject.toml [tool.govlint]: unknown key 'profle' (did you mean 'profile'?)",
        ),
        (
            "govlint.toml",
            'profile = "yearly"\n',
            "govlint.toml: key 'profile': Input should be 'annual', 'summary' or 'disclosure'",
        ),
        ("govlint.toml", '[severity]\nT402 = "fatal"\n', "govlint.toml: key 'severity.T402': Input should be"),
        ("govlint.toml", 'select = ["S 1"]\n', "govlint.toml: key 'select.0': 'S 1' is not a rule code or prefix"),
        ("govlint.toml", 'publication-deadline = "13-01"\n', "govlint.toml: key 'publication-deadline': expected"),
        ("govlint.toml", "select = [\n", "govlint.toml: invalid TOML:"),
    ],
)
def test_bad_config_is_one_line_and_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], name: str, content: str, message: str
) -> None:
    write(project / name, content)
    write(project / "a.txt", CLEAN)
    assert main(["a.txt"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"govlint: error: {message}"), err


def test_config_option_without_tool_table_or_file(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    with pytest.raises(ConfigError, match=r"no \[tool.govlint\] table"):
        load_config(tmp_path / "pyproject.toml")
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_config(tmp_path / "missing.toml")


# --------------------------------------------------------------------------- cold start


def _imported_after_run(cwd: Path, cache: Path, *args: str) -> list[str]:
    code = (
        "import sys; from checker.cli import main; "
        f"main({list(args)!r}); "
        "print(sorted(m for m in ('pydantic', 'tomllib') if m in sys.modules))"
    )
    env = {"GOVLINT_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=env, timeout=60)
    return json.loads(proc.stdout.strip().splitlines()[-1].replace("'", '"'))


def test_no_config_file_no_pydantic_and_a_cached_config_neither(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    write(tmp_path / "a.txt", CLEAN)
    _imported_after_run(tmp_path, cache, "a.txt", "--select", "T")  # warm the rule cache
    assert _imported_after_run(tmp_path, cache, "a.txt", "--select", "T") == []
    write(tmp_path / "govlint.toml", 'select = ["T"]\n')
    assert "pydantic" in _imported_after_run(tmp_path, cache, "a.txt")  # validated once…
    assert _imported_after_run(tmp_path, cache, "a.txt") == ["tomllib"]  # …then from the cache


@pytest.mark.parametrize(
    "name",
    ["README.md", "readme", "Changelog.txt", "docs", "DOCS", "doc", "node_modules", "venv", "venv2", "report.txt",
     "licence.md", "a.docs", "site-packages", "newsletter.txt", "CODE_OF_CONDUCT.md", "authorsX", "报告.docx"],
)  # fmt: skip
def test_the_default_exclusion_is_each_default_glob_in_any_case(name: str) -> None:
    from checker.config import DEFAULT_EXCLUDE, _default_excluded, _glob_matches

    expected = any(_glob_matches(pattern.upper(), name.upper()) for pattern in DEFAULT_EXCLUDE)
    assert _default_excluded(Path(name)) == expected
