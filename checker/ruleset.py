"""The compiled rule set, and loading it from ``rules/*.toml`` through a cache.

Validating rule files needs pydantic and lark (~160 ms of imports); a pre-commit hook
runs govlint on every commit. So the validated, compiled rule set is pickled into a
cache keyed by the content of every rule file, and a run whose rules did not change
imports neither. Validation itself lives in checker.ruleschema, one compiled rule in
checker.rule (both below this module).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import NamedTuple

from checker import cache
from checker.extract.vocabulary import EMPTY, Vocabulary
from checker.rule import ProfileTitle, Rule, RuleFileError

# Bump when the pickled classes change shape (8: the numeric vocabulary grew; 9: profile titles; 10: the kinds
# across reports; 11: the growth words of the vocabulary).
CACHE_FORMAT = 11


class RuleSet(NamedTuple):
    rules: tuple[Rule, ...]
    by_code: dict[str, Rule]
    vocabulary: Vocabulary
    key: str = ""  # content hash of the rule files it came from (keys the results cache)
    profile_titles: tuple[ProfileTitle, ...] = ()  # which profile a report's title chooses, first match wins

    @classmethod
    def of(
        cls, rules: list[Rule], vocabulary: Vocabulary = EMPTY, profile_titles: tuple[ProfileTitle, ...] = ()
    ) -> RuleSet:
        ordered = tuple(sorted(rules, key=lambda r: r.code))
        return cls(ordered, {r.code: r for r in ordered}, vocabulary, profile_titles=profile_titles)


def builtin_rules_dir() -> Path:
    """``rules/`` of a source checkout, else the copy the wheel ships as checker/_rules."""
    # A plain path, not importlib.resources: govlint is never imported from a zip, and
    # resources costs ~3 ms of imports (zipfile among them).
    shipped = Path(__file__).resolve().parent / "_rules"
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parent.parent / "rules"


def rule_files(dirs: list[Path]) -> list[Path]:
    files: list[Path] = []
    for directory in dirs:
        if not directory.is_dir():
            raise RuleFileError(f"{directory}: rules directory not found")
        files.extend(sorted(directory.glob("*.toml")))
    return files


def _cache_key(files: list[tuple[Path, bytes]]) -> str:
    digest = hashlib.sha256(f"{CACHE_FORMAT}:{sys.version_info[:2]}".encode())
    for path, content in files:
        digest.update(str(path).encode() + b"\0" + content + b"\0")
    return digest.hexdigest()[:32]


def builtin_rules_fingerprint() -> str:
    """A short hash of the built-in rule files' names and contents: it tells two rule sets
    of one govlint version apart when a file was edited (``govlint --version``)."""
    digest = hashlib.sha256()
    for path in rule_files([builtin_rules_dir()]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def load_rules(extra_dirs: list[Path] | None = None, *, use_cache: bool = True) -> RuleSet:
    files = rule_files([builtin_rules_dir(), *(extra_dirs or [])])
    contents: list[tuple[Path, bytes]] = []
    for path in files:
        try:
            contents.append((path, path.read_bytes()))
        except OSError as e:
            raise RuleFileError(f"{path}: cannot read rule file: {e.strerror}") from None
    key = _cache_key(contents)
    cache_file = cache.entry(f"rules-{key}.pickle")
    if use_cache and (cached := cache.read(cache_file, RuleSet)) is not None:
        return cached

    from checker.ruleschema import compile_rule_files

    rules, vocabulary, profile_titles = compile_rule_files(contents)
    ruleset = RuleSet.of(rules, vocabulary, profile_titles)._replace(key=key)
    if use_cache:
        cache.write(cache_file, ruleset)
    return ruleset
