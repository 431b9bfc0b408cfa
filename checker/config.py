"""Configuration files: discovery, validation and the per-file settings they give.

Discovered like Ruff's: ``.govlint.toml``, ``govlint.toml`` or ``[tool.govlint]`` in a
``pyproject.toml``, searched upward from each linted file's directory; the closest
applies, and ``--config PATH`` replaces discovery for every file. Paths and globs in a
file are relative to its directory.

A run without a config file must not pay for pydantic (~100 ms of imports): this module
imports only the standard library, validation imports pydantic on first need, and a
validated file is pickled into the rule cache keyed by its content, so a pre-commit run
in a configured project does not import pydantic either.

Precedence: command line > config file > defaults. ``--select`` replaces the file's
``select``; ``--extend-select`` and ``--ignore`` add to it (:class:`Selection` layers).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
import sys
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from checker import cache
from checker.checks import Settings
from checker.messages import os_reason, say
from checker.selection import Level, Options, Selection

if TYPE_CHECKING:
    from pydantic import BaseModel

CONFIG_NAMES = (".govlint.toml", "govlint.toml", "pyproject.toml")  # one folder: first wins, as Ruff
CACHE_FORMAT = 3  # bump when ConfigValues changes shape
# What a folder search skips unless a config's `exclude` replaces it (as Ruff's defaults):
# a repository's own papers, which are not reports, matched by name in any case.
DEFAULT_EXCLUDE = (
    "README*", "CHANGELOG*", "CHANGES*", "HISTORY*", "NEWS*", "LICENSE*", "LICENCE*", "COPYING*", "NOTICE*",
    "AUTHORS*", "CONTRIBUTING*", "CODE_OF_CONDUCT*", "SECURITY*", "docs", "node_modules", "site-packages", "venv",
)  # fmt: skip
SELECTOR = re.compile(r"^(ALL|[A-Z][0-9]{0,3})$")
# A pyproject.toml is parsed only if it can hold a govlint table: most never do.
# ([tool.govlint], [tool.govlint.severity], tool.govlint = …, or govlint = {…} / govlint.x = …
# under [tool]; not the `govlint = "checker.cli:main"` of a [project.scripts] table.)
_MENTIONS_GOVLINT = re.compile(rb"""(?m)tool\s*\.\s*["']?govlint\b|^\s*["']?govlint["']?\s*(?:\.|=\s*\{)""")


class ConfigError(Exception):
    """A config file (or a selector) that cannot be used. ``str()`` is one English line
    naming the file and key; ``text(lang)`` the same in the interface's language."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(say(key, "en", **_in(args, "en")))
        self.key, self.args_ = key, args

    def text(self, lang: str) -> str:
        return say(self.key, lang, **_in(self.args_, lang))


def _in(args: dict[str, Any], lang: str) -> dict[str, object]:
    """``args`` with each catalogue entry given as ``(key, {fields})``, and each OSError,
    said in ``lang``."""
    return {name: _said(v, lang) for name, v in args.items()}


def _said(value: Any, lang: str) -> object:
    if isinstance(value, tuple):
        return say(value[0], lang, **_in(value[1], lang))
    return os_reason(value, lang) if isinstance(value, OSError) else value


class DeadlineError(ValueError):
    """A ``MM-DD`` that is not a day of every year; ``key`` names its catalogue entry."""

    def __init__(self, key: str, value: str) -> None:
        super().__init__(say(key, "en", value=value))
        self.key = key


def parse_deadline(value: str) -> tuple[int, int]:
    """``"MM-DD"`` → (month, day); DeadlineError if it is not a day of every year.

    02-29 is refused rather than read as the last day of February: a deadline names a
    day of the year after every report year, and most years have no 29 February."""
    try:
        parsed = dt.datetime.strptime(f"2001-{value}", "%Y-%m-%d")  # a common year
    except ValueError:
        try:
            dt.datetime.strptime(f"2000-{value}", "%Y-%m-%d")
        except ValueError:
            raise DeadlineError("expected-deadline", value) from None
        raise DeadlineError("deadline-02-29", value) from None
    return parsed.month, parsed.day


class ConfigValues(NamedTuple):
    """A validated configuration, independent of where the file is (so it can be cached)."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, Level], ...] = ()
    profile: str | None = None
    publication_deadline: tuple[int, int] | None = None
    rules: tuple[str, ...] = ()
    exclude: tuple[str, ...] | None = None  # None: DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    fail_on: str | None = None
    lang: Literal["zh", "en"] | None = None


class Config(NamedTuple):
    path: Path  # the file, as it is shown in messages
    root: Path  # its directory, absolute: globs and rule folders are relative to it
    values: ConfigValues


class Overrides(NamedTuple):
    """What the command line says; None or empty where a flag was not given."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    profile: str | None = None
    publication_deadline: tuple[int, int] | None = None
    fail_on: str | None = None
    lang: str | None = None
    rule_dirs: tuple[Path, ...] = ()


class FileSettings(NamedTuple):
    options: Options
    fail_on: str
    rule_dirs: tuple[Path, ...]  # --rules first, then the config's folders


def file_settings(path: Path, config: Config | None, cli: Overrides) -> FileSettings:
    """The settings for linting ``path``: command line over ``config`` over defaults."""
    values = config.values if config else ConfigValues()
    layers = [
        Selection(values.select, values.extend_select, values.ignore),
        Selection(cli.select, cli.extend_select, cli.ignore),
    ]
    if config and values.per_file_ignores:
        ignored = tuple(
            code for glob, codes in values.per_file_ignores if matches(glob, path, config.root) for code in codes
        )
        layers.append(Selection(ignore=ignored))  # last: a per-file ignore holds even against --select
    month, day = cli.publication_deadline or values.publication_deadline or (3, 31)
    options = Options(
        profile=cli.profile or values.profile,  # None: from the title (checker.engine)
        lang=cli.lang or values.lang or "zh",
        settings=Settings(deadline_month=month, deadline_day=day),
        layers=tuple(layers),
        severity=values.severity,
    )
    return FileSettings(options, cli.fail_on or values.fail_on or "error", extra_rule_dirs(config, cli.rule_dirs))


def check_selectors(config: Config | None, cli: Overrides, codes: Collection[str]) -> None:
    """Raise ConfigError for a code or prefix, on the command line or in ``config``, that
    names no rule of ``codes`` (the loaded rule set's, E00x and G00x included): a
    misspelt ``--select D3O1`` would otherwise check nothing and pass a CI gate."""
    for where, selector in _selectors(config, cli):
        if selector != "ALL" and not any(code.startswith(selector) for code in codes):
            raise ConfigError("unknown-selector", where=where, selector=selector, hint=_closest(selector, codes))


def _selectors(config: Config | None, cli: Overrides) -> Iterator[tuple[str, str]]:
    """(where it was given, code or prefix) for every selector of a run."""
    flags = (("--select", cli.select or ()), ("--extend-select", cli.extend_select), ("--ignore", cli.ignore))
    for flag, selectors in flags:
        yield from ((flag, s) for s in selectors)
    if config is None:
        return
    values = config.values
    keys = (("select", values.select or ()), ("extend-select", values.extend_select), ("ignore", values.ignore))
    for key, selectors in keys:
        yield from ((f"{config.path}: {key}", s) for s in selectors)
    for glob, codes in values.per_file_ignores:
        yield from ((f"{config.path}: per-file-ignores.{glob}", s) for s in codes)
    yield from ((f"{config.path}: severity", s) for s, _ in values.severity)


def _closest(selector: str, codes: Collection[str]) -> tuple[str, dict[str, object]]:
    import difflib

    close = difflib.get_close_matches(selector, sorted(codes), n=1, cutoff=0.5)
    return ("did-you-mean", {"code": close[0]}) if close else ("rules-lists-them", {})


def extra_rule_dirs(config: Config | None, cli_dirs: tuple[Path, ...]) -> tuple[Path, ...]:
    """The folders of extra rule files: ``--rules`` first, then the config's ``rules``."""
    return cli_dirs + (tuple(config.root / d for d in config.values.rules) if config else ())


# --------------------------------------------------------------------------- globs


@functools.lru_cache(maxsize=256)
def _glob(pattern: str) -> tuple[re.Pattern[str] | None, ...]:
    """A glob as one matcher per path segment; None stands for a ``**`` segment.

    Each segment is matched by itself with :func:`fnmatch.translate`, whose regexes do not
    backtrack (a ``*a*a*a…b`` pattern against a long name ends at once) and which reads every
    bracket expression, even a reversed range like ``[z-a]`` (it matches nothing)."""
    import fnmatch

    return tuple(
        None if segment == "**" else re.compile(fnmatch.translate(segment)) for segment in pattern.split("/")
    )


def _glob_matches(pattern: str, path: str) -> bool:
    """Does the glob ``pattern`` match the whole of ``path`` (``/``-separated)? ``*`` and ``?``
    stay inside a segment; a ``**`` segment spans folders: none or more before the last
    segment (``**/x.md``), one or more as the last (``drafts/**``: what is under drafts)."""
    segments = _glob(pattern)
    last = len(segments) - 1

    def skip_spans(states: set[int]) -> set[int]:  # a ** that spans no segment
        todo = list(states)
        while todo:
            i = todo.pop()
            if i < last and segments[i] is None and i + 1 not in states:
                states.add(i + 1)
                todo.append(i + 1)
        return states

    states = skip_spans({0})
    for part in path.split("/"):
        moved: set[int] = set()
        for i in states:
            if i > last:
                continue
            matcher = segments[i]
            if matcher is None:
                moved.add(i)  # the ** spans this segment too, and maybe more
                moved.add(i + 1)
            elif matcher.match(part):
                moved.add(i + 1)
        if not moved:
            return False
        states = skip_spans(moved)
    return last + 1 in states


def matches(pattern: str, path: Path, root: Path) -> bool:
    """Does ``pattern`` match the file or folder ``path``? As Ruff's globs: a pattern
    without a slash matches its name (``drafts``, ``*.md``), one with a slash its path
    from ``root`` (``archive/2019-*.txt``, ``drafts/**``)."""
    if "/" not in pattern:
        return _glob_matches(pattern, path.name)
    try:
        relative = Path(os.path.abspath(path)).relative_to(root).as_posix()
    except ValueError:  # outside the config's folder
        return False
    return _glob_matches(pattern.removeprefix("./").strip("/"), relative)


# --------------------------------------------------------------------------- discovery


class ConfigResolver:
    """Finds the config of each file (closest wins) and loads each file once."""

    def __init__(self, explicit: Path | Config | None = None, *, use_cache: bool = True) -> None:
        """``explicit``: the config of every file (a file to load, or one already made),
        replacing discovery; None discovers each file's."""
        self._use_cache = use_cache
        self._by_dir: dict[Path, Config | None] = {}
        # By the folder's name too: an archive asks for thousands of files in a few folders,
        # and building Path objects for a folder and its parents costs more than linting starts.
        self._by_dir_name: dict[str, Config | None] = {}
        self._explicit = load_config(explicit, use_cache=use_cache) if isinstance(explicit, Path) else explicit

    def for_path(self, path: Path) -> Config | None:
        """The config that applies to the file or folder ``path``."""
        if self._explicit:
            return self._explicit
        folder = os.path.dirname(os.path.abspath(path))
        if folder not in self._by_dir_name:
            self._by_dir_name[folder] = self._find(Path(folder))
        return self._by_dir_name[folder]

    def for_directory(self, directory: Path) -> Config | None:
        return self._explicit or self._find(Path(os.path.abspath(directory)))

    def excluded(self, path: Path) -> bool:
        """Whether folder scanning should skip ``path``, a file or a folder (whose
        contents are then never visited): the config's ``exclude`` (else DEFAULT_EXCLUDE,
        matched in any case) and its ``extend-exclude``."""
        config = self.for_path(path)
        if config is None:
            return _default_excluded(path)
        values = config.values
        if values.exclude is None:
            if _default_excluded(path):
                return True
        elif any(matches(p, path, config.root) for p in values.exclude):
            return True
        return any(matches(p, path, config.root) for p in values.extend_exclude)

    def _find(self, directory: Path) -> Config | None:
        visited: list[Path] = []
        found: Config | None = None
        for folder in (directory, *directory.parents):
            if folder in self._by_dir:
                found = self._by_dir[folder]
                break
            visited.append(folder)
            if (found := self._config_in(folder)) is not None:
                break
        for folder in visited:
            self._by_dir[folder] = found
        return found

    def _config_in(self, folder: Path) -> Config | None:
        for name in CONFIG_NAMES:
            candidate = folder / name
            if not os.path.isfile(candidate):  # is_file() raises for a folder that cannot be entered
                continue
            if name == "pyproject.toml":
                try:
                    if not _MENTIONS_GOVLINT.search(candidate.read_bytes()):
                        continue
                except OSError:
                    continue
            config = load_config(_shown(candidate), use_cache=self._use_cache, required=name != "pyproject.toml")
            if config is not None:
                return config
        return None


def _default_excluded(path: Path) -> bool:
    return _default_exclusion().match(path.name.upper()) is not None


@functools.cache
def _default_exclusion() -> re.Pattern[str]:
    """DEFAULT_EXCLUDE (names, one segment each) as one pattern, matched in any case: a
    folder search asks it of every file (17 globs matched one by one cost ~85 µs a file)."""
    import fnmatch

    return re.compile("|".join(fnmatch.translate(pattern.upper()) for pattern in DEFAULT_EXCLUDE))


def _shown(path: Path) -> Path:
    """``path`` relative to the working directory when it is below it, for messages."""
    relative = os.path.relpath(path)
    return Path(relative) if not relative.startswith("..") else path


# --------------------------------------------------------------------------- loading


def load_config(path: Path, *, use_cache: bool = True, required: bool = True) -> Config | None:
    """Read and validate one config file. A pyproject.toml without ``[tool.govlint]``
    gives None, unless ``required`` (it was named by ``--config``): then it is an error."""
    import tomllib

    try:
        content = path.read_bytes()
    except OSError as e:
        raise ConfigError("config-unreadable", path=path, reason=e) from None
    try:
        data = tomllib.loads(content.decode("utf-8-sig"))  # Windows Notepad starts UTF-8 with a BOM
    except UnicodeDecodeError:
        raise ConfigError("config-not-utf8", path=path) from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError("config-invalid-toml", path=path, reason=e) from None
    where = str(path)
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("govlint")
        if table is None:
            if required:
                raise ConfigError("config-no-table", path=path)
            return None
        if not isinstance(table, dict):
            raise ConfigError("config-not-table", path=path)
        data, where = table, f"{path} [tool.govlint]"
    return Config(path, Path(os.path.abspath(path)).parent, _validated(data, where, use_cache))


def config_from_mapping(data: Mapping[str, Any], root: Path, *, use_cache: bool = True) -> Config:
    """A config given as a mapping of a config file's keys (the Python API's ``config=``),
    validated as a file is; its globs and rule folders are relative to ``root``."""
    return Config(Path("<config>"), Path(os.path.abspath(root)), _validated(dict(data), "config", use_cache))


def _validated(data: dict[str, Any], where: str, use_cache: bool) -> ConfigValues:
    import json  # only a run that has a config file pays for it

    key = hashlib.sha256(
        f"{CACHE_FORMAT}:{sys.version_info[:2]}:".encode() + json.dumps(data, sort_keys=True, default=str).encode()
    ).hexdigest()[:32]
    cache_file = cache.entry(f"config-{key}.pickle")
    if use_cache and (cached := cache.read(cache_file, ConfigValues)) is not None:
        return cached
    values = _validate(data, where)
    if use_cache:
        cache.write(cache_file, values)
    return values


def _validate(data: dict[str, Any], where: str) -> ConfigValues:
    from pydantic import ValidationError

    model_class = _model()
    try:
        model = model_class.model_validate(data)
    except ValidationError as e:
        raise ConfigError("config-invalid", where=where, problem=_describe(e.errors()[0], model_class)) from None
    m: Any = model
    return ConfigValues(
        select=tuple(m.select) if m.select is not None else None,
        extend_select=tuple(m.extend_select),
        ignore=tuple(m.ignore),
        per_file_ignores=tuple((glob, tuple(codes)) for glob, codes in m.per_file_ignores.items()),
        severity=tuple(m.severity.items()),
        profile=m.profile,
        publication_deadline=parse_deadline(m.publication_deadline) if m.publication_deadline else None,
        rules=tuple(m.rules),
        exclude=tuple(m.exclude) if m.exclude is not None else None,
        extend_exclude=tuple(m.extend_exclude),
        fail_on=m.fail_on,
        lang=m.lang,
    )


def _describe(error: Any, model_class: type[BaseModel]) -> tuple[str, dict[str, object]]:
    """One pydantic error as a catalogue entry: ``unknown key 'selct' (did you mean
    'select'?)`` or ``key 'severity.N201': Input should be …`` (pydantic's words)."""
    import difflib

    loc = [str(p) for p in error["loc"] if p != "[key]"]
    if error["type"] == "extra_forbidden" and len(loc) == 1:
        keys = [f.alias or name for name, f in model_class.model_fields.items()]
        close = difflib.get_close_matches(loc[0], keys, n=1)
        hint = ("key-did-you-mean", {"key": close[0]}) if close else ("known-keys", {"keys": ", ".join(keys)})
        return "unknown-key", {"key": loc[0], "hint": hint}
    message: Any = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "literal_error":  # the choices: said in the catalogue's words
        expected = str(error["ctx"]["expected"])
        message = ("expected-one-of", {"choices": expected, "choices_zh": expected.replace(" or ", " 或 ")})
    return ("bad-value", {"key": ".".join(loc), "reason": message}) if loc else ("as-is", {"text": message})


@functools.cache
def _model() -> type[BaseModel]:
    """The pydantic model, built on first use so that importing this module stays cheap."""
    from typing import Annotated

    from pydantic import AfterValidator, BaseModel, ConfigDict

    def selector(value: str) -> str:
        code = value.strip().upper()
        if not SELECTOR.match(code):
            raise ValueError(f"{value!r} is not a rule code or prefix (e.g. S, T40, D301, ALL)")
        return code

    def deadline(value: str) -> str:
        parse_deadline(value)
        return value

    Selector = Annotated[str, AfterValidator(selector)]

    class ConfigModel(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=lambda name: name.replace("_", "-"))

        select: list[Selector] | None = None
        extend_select: list[Selector] = []
        ignore: list[Selector] = []
        per_file_ignores: dict[str, list[Selector]] = {}
        severity: dict[Selector, Literal["error", "warning", "info", "off"]] = {}
        profile: Literal["annual", "summary", "disclosure"] | None = None
        publication_deadline: Annotated[str, AfterValidator(deadline)] | None = None
        rules: list[str] = []
        exclude: list[str] | None = None
        extend_exclude: list[str] = []
        fail_on: Literal["error", "warning", "info"] | None = None
        lang: Literal["zh", "en"] | None = None

    return ConfigModel
