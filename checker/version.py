"""govlint's version: one place, read by pyproject.toml (hatch) and ``govlint --version``.
A release sets it and tags the commit ``v`` + it (docs/release.md)."""

VERSION = "0.1.0"  # hatch reads `VERSION = "…"` (pyproject.toml [tool.hatch.version])
