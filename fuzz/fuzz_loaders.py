"""Coverage-guided fuzzing of the loaders with atheris (not run in CI).

    pip install atheris
    python fuzz/fuzz_loaders.py fuzz/corpus -max_total_time=600 -artifact_prefix=fuzz/crashes/

The first byte of an input picks the format (.txt, .md, .docx, .html, .htm, .pdf), the
rest is the file. The only exception a loader may raise is LoadError: anything else is
a crash, which atheris reports with the input that caused it. Add such an input to
tests/fixtures/regressions/ with its outcome in tests/test_fuzz.py. An empty corpus
folder is seeded with the test fixtures.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris  # type: ignore  # untyped, and not a dependency: pip install atheris

with atheris.instrument_imports():
    import docx  # noqa: F401  - instrumented here; the loaders import them lazily
    import pdfplumber  # noqa: F401

    from checker.load import LOADED_SUFFIXES, LoadError, load_path

ROOT = Path(__file__).resolve().parent.parent
_WORKDIR = Path(tempfile.mkdtemp(prefix="govlint-fuzz-"))


def test_one_input(data: bytes) -> None:
    if not data:
        return
    path = _WORKDIR / f"input{LOADED_SUFFIXES[data[0] % len(LOADED_SUFFIXES)]}"
    path.write_bytes(data[1:])
    try:
        loaded = load_path(path)
    except LoadError as e:
        if "\n" in e.reason:
            raise AssertionError(f"a reason of more than one line: {e.reason!r}") from None
        return
    if loaded.locations is not None and len(loaded.locations) != loaded.text.count("\n") + 1:
        raise AssertionError("a location per line")


def _seed(corpus: Path) -> None:
    """Start from real files: the PDF fixture, a seed report as text and as a web page."""
    fixtures = ROOT / "tests" / "fixtures"
    seeds = {
        ".pdf": (fixtures / "report.pdf").read_bytes(),
        ".txt": (fixtures / "report.txt").read_bytes(),
        ".html": b"<html><body><div class='TRS_Editor'><p>" + (fixtures / "report.txt").read_bytes() + b"</p></div>",
        ".docx": (fixtures / "regressions" / "docx-without-numbering-part.docx").read_bytes(),
    }
    for suffix, content in seeds.items():
        (corpus / f"seed{suffix}").write_bytes(bytes([LOADED_SUFFIXES.index(suffix)]) + content)


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        if arg.startswith("-artifact_prefix="):
            Path(arg.partition("=")[2]).mkdir(parents=True, exist_ok=True)
        elif not arg.startswith("-"):  # a corpus folder
            Path(arg).mkdir(parents=True, exist_ok=True)
            if not any(Path(arg).iterdir()):
                _seed(Path(arg))
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
