"""What one input file may cost: bytes read and unpacked, pages, elements, seconds.

Report files are untrusted input (docs/security.md): a loader refuses a file beyond one
of these limits with a :class:`~checker.load.LoadError` that names the limit, so the
file is reported as E001 and the run goes on. Each limit is read once, at import, from
an environment variable; a value that is not a whole number from 1 to the limit's maximum makes every file fail
to load with a line naming the variable (:data:`PROBLEM`), rather than silently running
with a default the user did not ask for.

The loaders import these names (``from checker.load.limits import MAX_PAGES``): to change
a limit in a test, patch the name in the module that uses it.
"""

from __future__ import annotations

import os

_MB = 2**20

# The first invalid environment variable: the arguments of its LoadError ("load-bad-limit"
# in checker.messages); None when all are valid.
PROBLEM: dict[str, object] | None = None


def _setting(variable: str, default: int, maximum: int, unit: int = 1) -> int:
    """The limit ``variable`` sets, in ``unit``s. ``maximum`` keeps every value one that the
    operating system and Python accept (a timer of 10^10 s, a read of 10^20 bytes overflow)."""
    global PROBLEM
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default * unit
    # Length first: int() of a 5 000-digit string is refused by Python itself.
    if raw.isascii() and raw.isdigit() and len(raw) <= len(str(maximum)) and 1 <= int(raw) <= maximum:
        return int(raw) * unit
    PROBLEM = PROBLEM or {"variable": variable, "value": raw[:40], "maximum": maximum}
    return default * unit


# Any file: what is read from disk. A year's report is well under 5 MB as text, Word or PDF.
MAX_FILE_BYTES = _setting("GOVLINT_MAX_FILE_MB", 50, 1_048_576, _MB)
# Seconds for one file, every stage (load, parse, each rule): a hang guard (the slowest
# real input, a 300-page PDF, takes about 30 s to load), not a speed goal.
MAX_FILE_SECONDS = _setting("GOVLINT_MAX_FILE_SECONDS", 60, 86_400)
# .docx: the parts of the archive, unpacked, together; for a PDF, its streams inflated.
MAX_UNZIPPED_BYTES = _setting("GOVLINT_MAX_UNZIPPED_MB", 256, 1_048_576, _MB)
# .docx: how many times a part may inflate. Word's XML deflates 5–30 times; 20 000 copies
# of one paragraph made with python-docx 264 times; deflate's ceiling is 1032.
MAX_ZIP_RATIO = _setting("GOVLINT_MAX_ZIP_RATIO", 500, 1_000_000)
# .docx: parts in the archive. Word writes 10–20, and one per image.
MAX_ZIP_MEMBERS = _setting("GOVLINT_MAX_ZIP_MEMBERS", 10_000, 10_000_000)
# .pdf: a year's report runs to 5–50 pages; pdfminer needs 45–90 ms a page.
MAX_PAGES = _setting("GOVLINT_MAX_PDF_PAGES", 300, 1_000_000)
# .pdf: one page. A dense A4 page holds 3 000–5 000 characters and 10 000–50 000 operators
# (a vector chart or map many more); each laid-out character costs ~3 KB until the page is read.
MAX_PDF_PAGE_CHARS = _setting("GOVLINT_MAX_PDF_PAGE_CHARS", 20_000, 100_000_000)
MAX_PDF_PAGE_OPERATORS = _setting("GOVLINT_MAX_PDF_PAGE_OPERATORS", 200_000, 1_000_000_000)
# .html: a government CMS page has 1 000–30 000 elements; each costs ~300 bytes of memory.
MAX_HTML_ELEMENTS = _setting("GOVLINT_MAX_HTML_ELEMENTS", 200_000, 1_000_000_000)

# A part smaller than this is never a bomb, whatever its ratio (a run of spaces).
ZIP_RATIO_MIN_BYTES = 1 * _MB
