"""The pre-commit hook (.pre-commit-hooks.yaml) as a user's repository runs it.

``pre-commit try-repo`` clones this checkout at its HEAD commit, builds the hook's
virtualenv (pip installs govlint and its dependencies from the package index) and runs
the hook on the files given: it fails on a bad report and passes on a good one. The
clone is of committed code: the test checks the hook as published, not the work tree.
Each try-repo builds its own environment (pre-commit keeps it in a temporary store), so
there is one run per outcome; PRE_COMMIT_HOME points at a temporary folder all the same,
so that nothing is written to the user's cache.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker.load import LOADED_SUFFIXES
from conftest import ROOT
from test_config import CLEAN

pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install '.[test]')")

HOOK_TIMEOUT = 600  # building the hook's virtualenv downloads packages


def _head() -> str | None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        return None
    proc = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return proc.stdout.strip() if proc.returncode == 0 else None


HEAD = _head()
pytestmark = pytest.mark.skipif(HEAD is None, reason="needs git and a git checkout of govlint")


@pytest.fixture(scope="session")
def pre_commit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("pre-commit-home")
    return {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}


def _try_repo(tmp_path: Path, env: dict[str, str], name: str, text: str) -> subprocess.CompletedProcess[str]:
    repo = tmp_path / "user-repo"
    repo.mkdir()
    git = ["git", "-c", "user.email=ci@example.invalid", "-c", "user.name=CI", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    (repo / name).write_text(text, encoding="utf-8")
    subprocess.run([*git, "add", name], cwd=repo, check=True)
    assert HEAD is not None
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "govlint", "--ref", HEAD, "--files", name],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=HOOK_TIMEOUT,
    )


@pytest.mark.slow  # builds the hook's virtualenv from the package index
def test_hook_fails_on_a_bad_report(tmp_path: Path, pre_commit_env: dict[str, str]) -> None:
    proc = _try_repo(tmp_path, pre_commit_env, "bad.txt", CLEAN.replace("12件", "{{ pvCount }}件"))
    assert proc.returncode != 0, proc.stdout + proc.stderr
    assert "T401" in proc.stdout and "{{ pvCount }}" in proc.stdout, proc.stdout + proc.stderr  # govlint ran


@pytest.mark.slow  # builds the hook's virtualenv from the package index
def test_hook_passes_on_a_good_report(tmp_path: Path, pre_commit_env: dict[str, str]) -> None:
    proc = _try_repo(tmp_path, pre_commit_env, "good.txt", CLEAN)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


def test_hook_takes_every_format_govlint_reads() -> None:
    """pre-commit passes the hook the staged files its ``files`` pattern finds
    (``re.search``) and its ``exclude`` does not: every loaded format, in any case,
    but not Word's lock file beside an open document."""
    import yaml  # pre-commit's own dependency

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))

    def staged(name: str) -> bool:
        return bool(re.search(hook["files"], name)) and not re.search(hook["exclude"], name)

    for suffix in LOADED_SUFFIXES:
        assert staged(f"reports/2023{suffix}") and staged(f"REPORT{suffix.upper()}")
    assert not staged("reports/~$2023.docx") and not staged("~$2023.docx")
    assert not staged("build.py") and not staged("report.docx.bak")
