"""Compiled regular expressions kept across runs: a cold start does not compile ~270 patterns.

CPython compiles a pattern in Python code (parse, optimise, emit the engine's code): a
cold start of govlint spent ~35 % of its own time there (57 ms of 160 on a slow day),
for the same patterns every run: the modules' own and the rules' (unpickling a rule set
compiles its patterns again). The engine's code for a pattern depends only on the pattern,
its flags and the interpreter, so it is cached like the rule set and lark's tables:

- :func:`preload` (run when the ``checker`` package is imported) reads the codes saved for
  this exact interpreter and puts the patterns they make into ``re``'s own cache, where
  ``re.compile`` then finds them: no module changes how it compiles a pattern;
- :func:`save` (at the end of a command-line run) adds the patterns the run compiled that
  the file did not hold.

A pattern is saved only after the one rebuilt from its saved parts compares equal to the
one ``re`` compiled (``Pattern.__eq__`` compares the engine's code word by word), and the
file is keyed by the interpreter's exact version and the engine's magic number. This uses
CPython internals (``_sre.compile``, ``re._compiler``, ``re._parser``, ``re._cache``): when
any of them is missing or behaves otherwise, nothing is preloaded or saved and ``re``
compiles as usual. The engine validates code it is given (``_sre`` raises, never crashes,
on code it did not make); the cache folder is trusted like the rule cache
(docs/security.md).
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path
from typing import cast

from checker import cache

FORMAT = 1  # bump when the saved entries change shape
MAX_ENTRIES = 2000  # a file that grew past this (many rule sets over time) starts afresh

# (pattern, flags as given) → (flags after inline flags, code, groups, groupindex, indexgroup)
Parts = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]

_loaded: dict[tuple[str, int], Parts] = {}


def _cache_file() -> Path | None:
    import _sre

    key = f"{FORMAT}:{sys.version}:{sys.implementation.name}:{_sre.MAGIC}:{_sre.CODESIZE}:{_sre.MAXREPEAT}"
    return cache.entry(f"regex-{hashlib.sha256(key.encode()).hexdigest()[:32]}.pickle")


def preload() -> int:
    """Put the saved patterns into ``re``'s cache; returns how many."""
    try:
        import _sre

        saved = cache.read(_cache_file(), dict)
        if not saved:
            return 0
        # re's private names (here and below): typeshed declares only re's public interface.
        room = re._MAXCACHE - len(re._cache)  # type: ignore[attr-defined]  # beyond it re drops entries
        # Built apart and added at once: an entry that fails leaves re's cache as it was.
        rebuilt = {
            (str, pattern, flags): _sre.compile(pattern, final_flags, code, groups, groupindex, indexgroup)
            for (pattern, flags), (final_flags, code, groups, groupindex, indexgroup) in list(saved.items())[:room]
        }
        re._cache.update(rebuilt)  # type: ignore[attr-defined]
        _loaded.update(saved)
        return len(saved)
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
            if kind is not str or (pattern, flags) in _loaded or flags & re.DEBUG:
                continue
            parts = _parts(pattern, flags)
            if parts is not None and _rebuild(pattern, parts) == compiled:
                new[pattern, flags] = parts
        if not new:
            return 0
        entries = {} if len(_loaded) + len(new) > MAX_ENTRIES else dict(_loaded)
        entries.update(new)
        cache.write(_cache_file(), entries)
        _loaded.update(new)
        return len(new)
    except Exception:  # a cache that cannot be written costs the next run only time
        return 0


def _compiled_patterns() -> list[tuple[tuple[type, str, int], re.Pattern[str]]]:
    """What ``re`` keeps compiled: ``_cache`` (3.11), plus ``_cache2`` (3.12 and later)."""
    found = dict(re._cache)  # type: ignore[attr-defined]
    found.update(getattr(re, "_cache2", {}))
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
    # Plain ints: the code holds the parser's named opcode constants, which do not pickle.
    return int(flags | parsed.state.flags), list(map(int, code)), parsed.state.groups - 1, groupindex, tuple(indexgroup)


def _rebuild(pattern: str, parts: Parts) -> re.Pattern[str]:
    import _sre

    final_flags, code, groups, groupindex, indexgroup = parts
    # _sre has no stubs; compile() is what re.compile returns.
    return cast("re.Pattern[str]", _sre.compile(pattern, final_flags, code, groups, groupindex, indexgroup))
