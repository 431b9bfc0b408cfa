"""The README's snippets work when pasted: each fenced block a user copies is read out of
README.md and run (or, for what a test cannot run, such as `pip install` from the network,
checked for what makes it true) in a fresh folder."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml  # pre-commit's dependency (pip install '.[test]')

import checker
from conftest import ROOT
from test_config import CLEAN

README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
BLOCKS = [(lang, body) for lang, body in FENCE.findall(README)]
SHELL_LINES = [
    line.split("  #")[0].strip()
    for lang, body in BLOCKS
    if lang == "sh"
    for line in body.splitlines()
    if line.startswith("govlint ")
]
GOVLINT = f"{shlex.quote(sys.executable)} -m checker.cli"
BAD = "青山县2023年法治政府建设年度报告\n浏览量:{{ pvCount }}\n"


def yaml_block(marker: str) -> dict:
    body = next(body for lang, body in BLOCKS if lang == "yaml" and marker in body)
    return yaml.safe_load(body)


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A snippet's command as bash runs it, `govlint` being this checkout's."""
    command = re.sub(r"(^|&& |\| )govlint\b", lambda m: m.group(1) + GOVLINT, command)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def prepare(command: str, cwd: Path) -> None:
    """Create what a command names: a report per file name, a folder with a report."""
    for token in shlex.split(command.split(">")[0])[1:]:
        if token == "seeds/":
            shutil.copytree(ROOT / "seeds", cwd / "seeds", dirs_exist_ok=True)
        elif token == ".":
            (cwd / "r.txt").write_text(CLEAN, encoding="utf-8")
        elif token.endswith("/") and not token.startswith("-"):
            (cwd / token).mkdir(parents=True, exist_ok=True)
            if "rules" not in token:
                (cwd / token / "r.txt").write_text(CLEAN, encoding="utf-8")
        elif token.endswith((".txt", ".md")) and not token.startswith("-"):
            (cwd / token).write_text(CLEAN, encoding="utf-8")


@pytest.mark.parametrize("command", [c for c in SHELL_LINES if ".docx" not in c and "baseline" not in c])
def test_every_govlint_command_of_the_readme_runs(command: str, tmp_path: Path) -> None:
    prepare(command, tmp_path)
    proc = shell(command, tmp_path)
    assert proc.returncode in (0, 1), proc.stderr  # 2 would be a usage error or nothing to lint
    assert "Traceback" not in proc.stderr


def test_the_baseline_snippet_runs(tmp_path: Path) -> None:
    body = next(body for lang, body in BLOCKS if lang == "sh" and "--write-baseline" in body)
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "old.txt").write_text(BAD, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    statuses = [shell(line.split("  #")[0], tmp_path).returncode for line in body.splitlines() if line.strip()]
    assert statuses == [0, 0, 0]


def test_install_lines_install_from_the_repository_or_a_wheel() -> None:
    """govlint is on no package index: `pip install govlint` would fail or install another
    package. Every install line names a checkout, a git URL or a wheel."""
    installs = re.findall(r"pip install ([^\n#`]+)", README)
    assert installs
    for arguments in installs:
        target = shlex.split(arguments.split("&&")[0])[0]
        from_checkout = target == "." or target.startswith(".[")
        assert from_checkout or target.startswith("git+") or target.endswith(".whl"), arguments


def test_the_pre_commit_snippet_names_a_release_tag_and_the_hook() -> None:
    config = yaml_block("repos:")
    (repo,) = config["repos"]
    assert repo["rev"] == f"v{checker.__version__}"  # the tag docs/release.md creates
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in repo["hooks"]] == [h["id"] for h in hooks]
    release = (ROOT / "docs" / "release.md").read_text(encoding="utf-8")
    assert "git tag -a vX.Y.Z" in release and "pre-commit autoupdate" in release
    for tagged in re.findall(r"@v(\d+\.\d+\.\d+)", README):
        assert tagged == checker.__version__


def repository(tmp_path: Path) -> Path:
    """A repository as a user's: reports in reports/, and papers that are not reports."""
    for name, text in {
        "README.md": "# 报告库\n浏览量:{{ pvCount }}\n",
        "CHANGELOG.md": "## 2024\n",
        "LICENSE.txt": "MIT\n",
        "docs/guide.md": "如何提交报告\n",
        "reports/good.txt": CLEAN,
        "reports/bad.txt": BAD,
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_linting_a_repository_skips_its_readme_changelog_license_and_docs(tmp_path: Path) -> None:
    proc = shell("govlint --format json .", repository(tmp_path))
    assert {Path(i["path"]).as_posix() for i in json.loads(proc.stdout)} == {"reports/bad.txt"}
    (tmp_path / "govlint.toml").write_text('extend-exclude = ["good.txt"]\n', encoding="utf-8")
    assert "未发现问题(0 个文件)" not in shell("govlint .", tmp_path).stdout
    (tmp_path / "govlint.toml").write_text("exclude = []\n", encoding="utf-8")  # replaces the defaults
    linted = {Path(i["path"]).as_posix() for i in json.loads(shell("govlint --format json .", tmp_path).stdout)}
    assert "README.md" in linted


def test_force_exclude_skips_named_files_as_the_hook_does(tmp_path: Path) -> None:
    repository(tmp_path)
    proc = shell("govlint --force-exclude --allow-empty README.md docs/guide.md", tmp_path)
    assert proc.returncode == 0 and "0 个文件" in proc.stdout
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert "--force-exclude" in hooks[0]["entry"]


@pytest.mark.parametrize("marker", ["name: govlint", ".gitlab-ci.yml"])
def test_the_ci_examples_run_on_the_reports_folder(marker: str, tmp_path: Path) -> None:
    config = yaml_block(marker)
    if "jobs" in config:
        commands = [step["run"] for step in config["jobs"]["govlint"]["steps"] if "run" in step]
    else:
        commands = config["govlint"]["script"]
    commands = [c for c in commands if not c.startswith("pip ")]
    assert commands and all("reports/" in c for c in commands)
    repository(tmp_path)
    statuses = [shell(c, tmp_path).returncode for c in commands]
    assert statuses == [0, 1]  # the report never fails the job; the gate fails on bad.txt
    written = {"name: govlint": "govlint.sarif", ".gitlab-ci.yml": "govlint-junit.xml"}[marker]
    assert "reports/bad.txt" in (tmp_path / written).read_text(encoding="utf-8")
