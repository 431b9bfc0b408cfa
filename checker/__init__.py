"""govlint: a linter for Chinese government annual reports (see README.md)."""

from checker import regexcache

# Before any module compiles its patterns: they come from the compiled-regex cache.
regexcache.preload()
