"""Compiled regular expressions kept across runs: a run does not compile its ~700 patterns again.

CPython compiles a pattern in Python code (parse, optimise, emit the engine's code): a
cold start of govlint spent ~35 % of its own time there (57 ms of 160 on a slow day),
for the same patterns every run: the modules' own and the rules' (unpickling a rule set
compiles its patterns again). The engine's code for a pattern depends only on the pattern,
its flags and the interpreter, so it is cached like the rule set and lark's tables:

- :func:`preload` (run when the ``checker`` package is imported) reads the codes saved for
  this exact interpreter and makes ``re``'s own cache rebuild a saved pattern the first
  time it is asked for it and misses: ``re.compile`` then finds it there, so no module
  changes how it compiles a pattern. Rebuilt on a miss, not put into the cache at once:
  ``re`` keeps only 512 patterns, and validating the rule files compiles ~900
  (``--no-cache``), so a cache filled up front dropped most of them again before they
  were used, and a run with cached rules needs only some;
- :func:`save` (at the end of a command-line run) adds the patterns the run compiled that
  the file did not hold: every one, also those ``re`` dropped from its cache since.

A pattern is saved only after the one rebuilt from its saved parts compares equal to the
one ``re`` compiled (``Pattern.__eq__`` compares the engine's code word by word), and the
file is keyed by the interpreter's exact version and the engine's magic number. This uses
CPython internals (``_sre.compile``, ``re._compiler``, ``re._parser``, ``re._cache`` and
``re._cache2``): when
any of them is missing or behaves otherwise, nothing is preloaded or saved and ``re``
compiles as usual. The engine validates code it is given (``_sre`` raises, never crashes,
on code it did not make); the cache folder is trusted like the rule cache
(docs/security.md).
"""

from __future__ import annotations

import hashlib
import re
import sys
from array import array
from pathlib import Path
from typing import cast

from checker import cache

FORMAT = 2  # bump when the saved entries change shape (2: the code as an array, which loads ~5 × faster)
MAX_ENTRIES = 4000  # a file that grew past this (many rule sets over time) starts afresh

# (pattern, flags as given) → (flags after inline flags, code, groups, groupindex, indexgroup)
Parts = tuple[int, "array[int]", int, dict[str, int], tuple[str | None, ...]]
Key = tuple[type, str, int]  # re's own key: (type of the pattern, pattern, flags)

_loaded: dict[tuple[str, int], Parts] = {}  # what the file holds
_compiled: dict[Key, re.Pattern[str]] = {}  # what re compiled in this run: save() adds them


class _Rebuilding(dict[Key, "re.Pattern[str]"]):
    """re's cache (``_cache`` before 3.12, ``_cache2``, the one looked into first, from
    3.12): a pattern it misses is rebuilt from the saved parts when the file holds them,
    and a pattern re compiled itself is noted for :func:`save`."""

    def __missing__(self, key: Key) -> re.Pattern[str]:
        kind, pattern, flags = key
        found = _saved_key(pattern, flags) if kind is str else None
        if found is None:
            raise KeyError(key)
        try:
            rebuilt = _rebuild(pattern, _loaded[found])
        except Exception:  # parts the engine refuses: re compiles it, and save() replaces them
            del _loaded[found]
            raise KeyError(key) from None
        dict.__setitem__(self, key, rebuilt)
        return rebuilt

    def __setitem__(self, key: Key, compiled: re.Pattern[str]) -> None:
        dict.__setitem__(self, key, compiled)
        if len(_compiled) < MAX_ENTRIES:  # bounded: a long-running server never calls save()
            _compiled[key] = compiled


def _saved_key(pattern: str, flags: int) -> tuple[str, int] | None:
    """The key under which the parts of ``pattern`` compiled with ``flags`` are saved.
    Only the UNICODE flag, which ``re`` adds to every str pattern, compiles to the same code
    as none: a pattern comes back with it from a pickle (a cached rule set's), and the rule
    files compiled it without."""
    for key in ((pattern, flags), (pattern, 0)) if flags == re.UNICODE else ((pattern, flags),):
        if key in _loaded:
            return key
    return None


def _cache_file() -> Path | None:
    import _sre

    key = f"{FORMAT}:{sys.version}:{sys.implementation.name}:{_sre.MAGIC}:{_sre.CODESIZE}:{_sre.MAXREPEAT}"
    return cache.entry(f"regex-{hashlib.sha256(key.encode()).hexdigest()[:32]}.pickle")


def preload() -> int:
    """Let ``re``'s cache rebuild the saved patterns; returns how many the file holds."""
    try:
        import _sre  # noqa: F401 - only CPython has it: elsewhere nothing is preloaded

        name = "_cache2" if hasattr(re, "_cache2") else "_cache"
        current = getattr(re, name)  # re's private names: typeshed declares only re's public interface
        if type(current) is dict:
            _compiled.update(current)  # compiled before this module was imported
            setattr(re, name, _Rebuilding(current))
        elif type(current) is not _Rebuilding:  # not the plain dict this was written against
            return 0
        _loaded.clear()
        _loaded.update(cache.read(_cache_file(), dict) or {})
        return len(_loaded)
    except Exception:  # any surprise from the internals: compile as usual
        _loaded.clear()
        return 0


def save() -> int:
    """Save the compiled patterns of this run that the file did not hold; returns how many."""
    try:
        import _sre  # noqa: F401 - only CPython has it: elsewhere nothing is saved

        new: dict[tuple[str, int], Parts] = {}
        for key, compiled in _compiled_patterns():
            kind, pattern, flags = key
            if kind is not str or _saved_key(pattern, flags) is not None or flags & re.DEBUG:
                continue
            parts = _parts(pattern, flags)
            if parts is not None and _rebuild(pattern, parts) == compiled:
                new[pattern, flags] = parts
        _compiled.clear()
        if not new:
            return 0
        entries = {} if len(_loaded) + len(new) > MAX_ENTRIES else dict(_loaded)
        entries.update(new)
        cache.write(_cache_file(), entries)
        _loaded.update(new)
        return len(new)
    except Exception:  # a cache that cannot be written costs the next run only time
        return 0


def _compiled_patterns() -> list[tuple[Key, re.Pattern[str]]]:
    """What ``re`` compiled in this run, also those it dropped since, and what it holds now."""
    found = dict(re._cache)  # type: ignore[attr-defined]
    found.update(getattr(re, "_cache2", {}))
    found.update(_compiled)
    return list(found.items())


def _parts(pattern: str, flags: int) -> Parts | None:
    """What ``re._compiler.compile`` hands to ``_sre.compile``, computed as it does."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    # An array of plain ints: the code holds the parser's named opcode constants, which do not pickle.
    final_flags = int(flags | parsed.state.flags)
    return final_flags, array("I", map(int, code)), parsed.state.groups - 1, groupindex, tuple(indexgroup)


def _rebuild(pattern: str, parts: Parts) -> re.Pattern[str]:
    import _sre

    final_flags, code, groups, groupindex, indexgroup = parts
    # _sre has no stubs; compile() is what re.compile returns; it takes the code as a list.
    return cast("re.Pattern[str]", _sre.compile(pattern, final_flags, code.tolist(), groups, groupindex, indexgroup))
