"""Command line: ``govlint [check] PATH…`` (``--fix``, ``--diff``), ``govlint rules``,
``govlint explain CODE``, ``govlint facts PATH…``, ``govlint annotate REPORT.docx``,
``govlint schema`` (the JSON Schema of rule files), ``govlint serve`` (the review desk).

Exit status: 0 no failing findings, 1 findings at or above ``--fail-on`` (default
error), 2 a file or rule could not be read or the usage was wrong. Only this module
knows about the terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from checker import atomic, regexcache
from checker.config import (
    ConfigError,
    ConfigResolver,
    DeadlineError,
    Overrides,
    check_selectors,
    extra_rule_dirs,
    file_settings,
    parse_deadline,
)
from checker.engine import StageError, lint_path, read_facts
from checker.files import display_path, expand_paths
from checker.load import LoadError, unread_advice
from checker.messages import ARGPARSE_ZH, Lang, os_reason, say, ui_lang
from checker.model import TROUBLE_CODES, FileResult
from checker.report import (
    BINARY_FORMATS,
    FORMATS,
    SHEET_FORMATS,
    STREAMED_FORMATS,
    parts_for,
    render,
    render_binary,
)
from checker.report.summary import Tally, summary_line
from checker.rule import PROFILES, RuleFileError
from checker.ruleset import RuleSet, load_rules
from checker.runner import Job, RuleSets, default_jobs, lint_run, plan_jobs, sigterm_ends_the_run
from checker.version import VERSION

if TYPE_CHECKING:
    from checker.baseline import Baseline
    from checker.fix import FileFix
    from checker.streaming import Outcome

COMMANDS = ("check", "rules", "explain", "facts", "annotate", "schema", "serve")
_MIN_TABLE_WIDTH = 80  # narrower, the summaries fold to nothing and rows turn into blank lines
EXIT_OK, EXIT_FINDINGS, EXIT_TROUBLE = 0, 1, 2


_ui: Lang = "zh"  # the interface language of this run (checker.messages.ui_lang), set by main()


def _say(key: str, **args: object) -> str:
    return say(key, _ui, **args)


def _error(message: str) -> None:
    print(_say("error", message=message), file=sys.stderr)


def _note(message: str) -> None:
    print(_say("note", message=message), file=sys.stderr)


def _deadline(value: str) -> tuple[int, int]:
    try:
        return parse_deadline(value)
    except DeadlineError as e:
        raise argparse.ArgumentTypeError(_say(e.key, value=value)) from None


def _positive(value: str) -> int:
    # Length first: int() of thousands of digits is slow, then refused by Python itself.
    if not (value.isascii() and value.isdigit()) or len(value) > 9 or int(value) < 1:
        raise argparse.ArgumentTypeError(_say("expected-positive", value=value[:20]))
    return int(value)


def _port(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or len(value) > 5 or int(value) > 65535:
        raise argparse.ArgumentTypeError(_say("expected-positive", value=value[:20]))
    return int(value)


def _codes(value: str) -> list[str]:
    codes = [part.strip().upper() for part in value.split(",") if part.strip()]
    if not codes:  # `--select ""` or `--select ,` would select nothing and pass
        raise argparse.ArgumentTypeError(_say("expected-codes", value=value))
    return codes


def _new_parser(prog: str, description: str) -> argparse.ArgumentParser:
    """A parser whose -h speaks the interface language (argparse's own words come from
    the catalogue too: see main)."""
    parser = argparse.ArgumentParser(prog=prog, description=description, add_help=False)
    parser.add_argument("-h", "--help", action="help", help=_say("help-help"))
    return parser


def _common(parser: argparse.ArgumentParser, lang_default: str | None = "zh") -> None:
    parser.add_argument("--lang", choices=("zh", "en"), default=lang_default, help=_say("help-lang"))
    parser.add_argument("--rules", dest="rule_dirs", action="append", type=Path, default=[], metavar="DIR",
                        help=_say("help-rules"))
    parser.add_argument("--no-cache", action="store_true", help=_say("help-no-cache"))


def _selection(parser: argparse.ArgumentParser) -> None:
    """The flags that decide which rules run on a file, and how its findings count."""
    # Defaults are None: a flag given overrides the config file, a flag not given does not.
    parser.add_argument("--select", type=_codes, action="extend", default=None, metavar="CODES",
                        help=_say("help-select"))
    parser.add_argument("--extend-select", type=_codes, action="extend", default=[], metavar="CODES",
                        help=_say("help-extend-select"))
    parser.add_argument("--ignore", type=_codes, action="extend", default=[], metavar="CODES",
                        help=_say("help-ignore"))
    parser.add_argument("--profile", choices=PROFILES, default=None,
                        help=_say("help-profile"))
    parser.add_argument("--fail-on", choices=("error", "warning", "info"), default=None,
                        help=_say("help-fail-on"))
    parser.add_argument("--publication-deadline", type=_deadline, default=None, metavar="MM-DD",
                        help=_say("help-deadline"))
    _config(parser)


def _config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, metavar="PATH",
                        help=_say("help-config"))


def _parser(command: str) -> argparse.ArgumentParser:
    if command == "annotate":
        parser = _new_parser("govlint annotate", _say("desc-annotate"))
        parser.add_argument("path", type=Path, metavar="REPORT.docx", help=_say("help-annotate-path"))
        parser.add_argument("--output", "-o", type=Path, metavar="PATH", help=_say("help-annotate-output"))
        _selection(parser)
        _common(parser, lang_default=None)
        return parser
    if command == "schema":
        return _new_parser("govlint schema", _say("desc-schema"))
    if command == "serve":
        parser = _new_parser("govlint serve", _say("desc-serve"))
        parser.add_argument("--port", type=_port, default=8765, metavar="N", help=_say("help-port"))
        parser.add_argument("--host", default="127.0.0.1", metavar="H", help=_say("help-host"))
        parser.add_argument("--token", metavar="T", help=_say("help-token"))
        parser.add_argument("--no-browser", action="store_true", help=_say("help-no-browser"))
        parser.add_argument("--jobs", "-j", type=_positive, default=None, metavar="N", help=_say("help-serve-jobs"))
        return parser
    if command == "rules":
        parser = _new_parser("govlint rules", _say("desc-rules"))
        parser.add_argument("--format", choices=("human", "json"), default="human", help=_say("help-list-format"))
        _config(parser)
    elif command == "explain":
        parser = _new_parser("govlint explain", _say("desc-explain"))
        parser.add_argument("code", help=_say("help-explain-code"))
        _config(parser)
    elif command == "facts":
        parser = _new_parser("govlint facts", _say("desc-facts"))
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help=_say("help-facts-paths"))
        parser.add_argument("--format", choices=("human", "json"), default="human", help=_say("help-list-format"))
        parser.add_argument("--color", choices=("auto", "always", "never"), default="auto", help=_say("help-color"))
        _config(parser)
    else:
        parser = _new_parser("govlint", _say("desc-check", version=VERSION))
        parser.add_argument("--version", action=_Version, help=_say("help-version"))
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help=_say("help-paths"))
        parser.add_argument("--format", choices=FORMATS, default="human", help=_say("help-format"))
        parser.add_argument("--statistics", action="store_true", help=_say("help-statistics"))
        parser.add_argument("--output-file", "-o", type=Path, metavar="PATH", help=_say("help-output-file"))
        _selection(parser)
        parser.add_argument("--fix", action="store_true", help=_say("help-fix"))
        parser.add_argument("--diff", action="store_true", help=_say("help-diff"))
        parser.add_argument("--force-exclude", action="store_true", help=_say("help-force-exclude"))
        parser.add_argument("--allow-empty", action="store_true", help=_say("help-allow-empty"))
        parser.add_argument("--force", action="store_true", help=_say("help-force"))
        parser.add_argument("--stdin-filename", metavar="NAME", help=_say("help-stdin-filename"))
        parser.add_argument("--color", choices=("auto", "always", "never"), default="auto", help=_say("help-color"))
        parser.add_argument("--jobs", "-j", type=_positive, default=None, metavar="N", help=_say("help-jobs"))
        parser.add_argument("--previous", type=Path, action="append", default=[], metavar="FILE",
                            help=_say("help-previous"))
        baseline = parser.add_mutually_exclusive_group()
        baseline.add_argument("--baseline", type=Path, metavar="PATH", help=_say("help-baseline"))
        baseline.add_argument("--write-baseline", type=Path, metavar="PATH", help=_say("help-write-baseline"))
        _common(parser, lang_default=None)
        return parser
    _common(parser, lang_default=None)  # rules and explain: the interface's language
    return parser


def _use_color(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


def _terminal_width() -> int | None:
    """The width code frames fit: the terminal's, or $COLUMNS; None (frames of a fixed
    window, the same everywhere) for a pipe or file without $COLUMNS."""
    if "COLUMNS" in os.environ or sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return None


class _Version(argparse.Action):
    """``--version``: govlint's version and its rule set's, then exit (the rules are read
    only when asked)."""

    def __init__(self, option_strings: list[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from checker.ruleset import builtin_rules_fingerprint

        rules = [rule for rule in load_rules().rules if rule.kind != "builtin"]
        print(f"govlint {VERSION}")
        print(_say("version-rules", version=f"{VERSION}+{builtin_rules_fingerprint()}", count=len(rules)))
        parser.exit()


class _CommandError(Exception):
    """Ends a command: one line ``govlint: error: …`` and exit status 2."""


def _load(args: argparse.Namespace) -> RuleSet:
    """The rule set of ``rules`` and ``explain``: the built-in rules, the ``--rules``
    folders and those of ``--config`` or else the working directory's config file, so that
    a project's own rules are listed and explained where they are linted. A bad rule or
    config file raises (one line in ``main``)."""
    config = ConfigResolver(args.config, use_cache=not args.no_cache).for_directory(Path.cwd())
    return load_rules(list(extra_rule_dirs(config, tuple(args.rule_dirs))), use_cache=not args.no_cache)


def _exit_status(results: Sequence[FileResult], fail_on: Sequence[str]) -> int:
    """:func:`_tally_status` of ``results``, each failing at its own ``fail_on`` (files may
    have different config files)."""
    tally = Tally()
    for result, level in zip(results, fail_on):
        tally.add(Tally.of([result], level))
    return _tally_status(tally)


def _tally_status(tally: Tally) -> int:
    """2 on trouble; else 1 if a finding is at or above its file's fail-on severity."""
    if tally.trouble():
        return EXIT_TROUBLE
    return EXIT_FINDINGS if tally.failing else EXIT_OK


def _overrides(args: argparse.Namespace) -> Overrides:
    return Overrides(
        select=tuple(args.select) if args.select is not None else None,
        extend_select=tuple(args.extend_select),
        ignore=tuple(args.ignore),
        profile=args.profile,
        publication_deadline=args.publication_deadline,
        fail_on=args.fail_on,
        lang=args.lang,
        rule_dirs=tuple(args.rule_dirs),
    )


def _check(args: argparse.Namespace) -> int:
    rulesets = RuleSets(use_cache=not args.no_cache)
    resolver = ConfigResolver(args.config, use_cache=rulesets.use_cache)
    _check_output_format(args)
    baseline = _read_baseline(args.baseline)  # before linting: a bad file fails at once
    paths = [p for p in args.paths if not _force_excluded(p, resolver)] if args.force_exclude else args.paths
    reads_stdin = _STDIN in paths
    if reads_stdin and (args.fix or args.diff):
        raise _CommandError(_say("stdin-no-fix"))
    jobs = plan_jobs([p for p in paths if p != _STDIN], resolver, _overrides(args), rulesets, _note_unread)
    previous = plan_jobs(args.previous, resolver, _overrides(args), rulesets, _note_unread) if args.previous else []
    # What is alive now (rules, compiled patterns, imported modules) lives for the whole run:
    # the cycle collector need not walk it again at each full collection, and the -j workers
    # forked from here share its pages instead of copying them as the collector touches them.
    with _frozen():
        if not jobs and not reads_stdin:
            # Checked here too: with no file, no config's selectors were.
            check_selectors(None, _overrides(args), rulesets.get(tuple(args.rule_dirs)).by_code)
            if not args.allow_empty:
                raise _CommandError(_say("nothing-to-lint", paths=" ".join(map(str, args.paths))))
        _refuse_overwriting_inputs([args.output_file, args.write_baseline], [job.path for job in jobs], args.baseline)
        if args.diff:
            return _diff(jobs, rulesets)
        fix_trouble = args.fix and _fix(jobs, rulesets, force=args.force)
        if not args.write_baseline and (args.statistics or args.format in STREAMED_FORMATS):
            status = _stream(args, jobs, previous, rulesets, resolver, baseline, reads_stdin)
            return EXIT_TROUBLE if fix_trouble else status
        # A document built from every result (the review page, the summary sheet) or a baseline.
        results = _lint(args, jobs, rulesets, previous)
        fail_on = [job.fail_on for job in jobs]
        if reads_stdin:
            stdin_result, stdin_fail_on = _lint_stdin(args, resolver, rulesets)
            results.append(stdin_result)
            fail_on.append(stdin_fail_on)
        if args.write_baseline:
            return _write_baseline(args.write_baseline, results)
        if baseline is not None:
            results = _filter_by_baseline(baseline, args.baseline, results)
        described = rulesets.described(tuple(args.rule_dirs))
        unrendered = _report(args, results, _run_lang(args.lang, resolver), described, fail_on)
        return EXIT_TROUBLE if fix_trouble or unrendered else _exit_status(results, fail_on)


@contextlib.contextmanager
def _frozen() -> Iterator[None]:
    """The objects alive now moved out of the cycle collector's reach for the block (gc.freeze),
    and back after it: main() may run again in the same process (tests, the API's users)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _stream(
    args: argparse.Namespace,
    jobs: list[Job],
    previous: list[Job],
    rulesets: RuleSets,
    resolver: ConfigResolver,
    baseline: Baseline | None,
    reads_stdin: bool,
) -> int:
    """Lint and write the report as the files come (checker.streaming); the exit status."""
    from checker.streaming import PerFile, write_report

    lang = _run_lang(args.lang, resolver)
    described = rulesets.described(tuple(args.rule_dirs))
    # A report written to a file never has colour codes in it.
    color = args.output_file is None and sys.stdout is not None and _use_color(args.color, sys.stdout)
    width = _terminal_width() if args.output_file is None else None
    parts = parts_for(args.format, ruleset=described, color=color, lang=lang, width=width, statistics=args.statistics)
    per_file = PerFile(parts, baseline, described, lang)
    also = [_lint_stdin(args, resolver, rulesets)] if reads_stdin else []
    # The baseline's fingerprints read the text around each finding: whole results, uncached.
    whole = baseline is not None

    def run(write: Callable[[str], object]) -> Outcome:
        try:
            return write_report(
                jobs, rulesets, per_file, write, workers=args.jobs or default_jobs(),
                results_cache=rulesets.use_cache and not whole, compact=not whole, previous=previous,
                progress=lambda parts: _with_progress(parts, len(jobs)), also=also,
            )  # fmt: skip
        except OSError as e:  # not the output's (its writes raise _CommandError): the spool, the digests, a fork
            raise _CommandError(_say("run-trouble", reason=os_reason(e, _ui))) from None

    outcome = _to_stdout(run) if args.output_file is None else _to_file(args.output_file, run)
    if baseline is not None:
        _note(_say("hidden-by-baseline", count=outcome.hidden, path=args.baseline))
    return _tally_status(outcome.tally)


_STDIN = Path("-")


def _lint_stdin(args: argparse.Namespace, resolver: ConfigResolver, rulesets: RuleSets) -> tuple[FileResult, str]:
    """Lint standard input (the path ``-``) as the file ``--stdin-filename`` names, as Ruff
    does: the name is shown, picks the config and its per-file-ignores, and its suffix the
    format. The bytes are read once, no more than a file may hold (a longer input is E001
    "file too large"), into a private temporary file the loaders read like any other; the
    result is never cached. Returns the result and its fail-on."""
    import tempfile

    from checker.load.limits import MAX_FILE_BYTES

    name = Path(args.stdin_filename) if args.stdin_filename else _STDIN
    config = resolver.for_path(name.absolute())
    settings = file_settings(name, config, _overrides(args))
    ruleset = rulesets.get(settings.rule_dirs)
    check_selectors(config, _overrides(args), ruleset.by_code)
    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1) if sys.stdin is not None else b""
    with tempfile.TemporaryDirectory(prefix="govlint-stdin-") as folder:
        copy = Path(folder) / ("stdin" + name.suffix)
        copy.write_bytes(data)
        result = lint_path(copy, ruleset, settings.options)
    shown = display_path(name)
    renamed = result._replace(path=shown, diagnostics=[d._replace(path=shown) for d in result.diagnostics])
    return renamed, settings.fail_on


def _check_output_format(args: argparse.Namespace) -> None:
    """Refuse, before any work, a binary format without ``-o`` (a workbook is no text for a
    terminal or a pipe) and counts per code in the summary sheet, which has no place for them."""
    if args.format in BINARY_FORMATS and args.output_file is None:
        raise _CommandError(_say("binary-needs-output", format=args.format))
    if args.statistics and args.format in SHEET_FORMATS:
        raise _CommandError(_say("sheet-without-statistics", format=args.format))


def _filter_by_baseline(baseline: Baseline, path: Path, results: list[FileResult]) -> list[FileResult]:
    """The findings the baseline does not hold; a note says how many it hid, so that a
    passing run shows what it passed over."""
    kept = baseline.filter(results)
    hidden = sum(len(r.diagnostics) for r in results) - sum(len(r.diagnostics) for r in kept)
    _note(_say("hidden-by-baseline", count=hidden, path=path))
    return kept


def _force_excluded(path: Path, resolver: ConfigResolver) -> bool:
    """``--force-exclude``: whether a path named on the command line, or a folder above it
    within the working directory, is excluded as a folder search would exclude it."""
    shown = os.path.relpath(path)
    above = [p for p in Path(shown).parents if p != Path(".")] if not shown.startswith("..") else []
    return any(resolver.excluded(candidate) for candidate in (path, *above))


def _note_unread(path: Path) -> None:
    _note(_say("not-read", path=display_path(path), advice=unread_advice(path, _ui)))


def _refuse_overwriting_inputs(outputs: list[Path | None], inputs: list[Path], baseline: Path | None) -> None:
    """Stop before any work if an output (``-o``, ``--write-baseline``) is one of the files
    read: a report or the baseline. Compared by device and inode, so a symbolic or hard
    link to an input is the input; a device such as /dev/stdout is never an input's."""
    read = [*inputs, *([baseline] if baseline else [])]
    for output in outputs:
        identity = _regular_file_identity(output) if output else None
        if identity is None:
            continue
        clash = next((path for path in read if _regular_file_identity(path) == identity), None)
        if clash is not None:
            raise _CommandError(_say("output-is-input", output=output, clash=clash))


def _regular_file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the regular file at ``path``, through links; None for none."""
    import stat

    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None


def _lint(args: argparse.Namespace, jobs: list[Job], rulesets: RuleSets, previous: list[Job]) -> list[FileResult]:
    # Cached results are compact; the HTML page and the baseline need each file's text.
    needs_text = args.format == "html" or bool(args.baseline or args.write_baseline)
    workers = args.jobs or default_jobs()
    results_cache = rulesets.use_cache and not needs_text
    return lint_run(
        jobs, rulesets, workers=workers, results_cache=results_cache, compact=not needs_text, previous=previous,
        progress=lambda results: _with_progress(results, len(jobs)),
    )  # fmt: skip


_Item = TypeVar("_Item")
_Result = TypeVar("_Result")
PROGRESS_MIN_FILES = 50  # a run of more files shows a progress bar (README "Use")


def _with_progress(results: Iterator[_Item], total: int) -> Iterator[_Item]:
    """``results``, with a progress bar on standard error while they come, when that is a
    terminal and the run lints more than PROGRESS_MIN_FILES files. The bar is transient
    (it is erased when the run ends) and never goes to standard output or ``-o``, so no
    output, human or machine, holds it."""
    if total <= PROGRESS_MIN_FILES or sys.stderr is None or not sys.stderr.isatty():
        yield from results
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from checker.report.console import console

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    # The report on a terminal prints above the bar (rich puts its own standard output in
    # place); to a file or a pipe it goes straight there, never to the bar's stderr.
    redirect = sys.stdout is not None and sys.stdout.isatty()
    bar = console(file=sys.stderr)
    with Progress(*columns, console=bar, transient=True, redirect_stdout=redirect, redirect_stderr=False) as progress:
        task = progress.add_task(_say("progress-linting"), total=total)
        for result in results:
            progress.advance(task)
            yield result


def _run_lang(lang: Lang | None, resolver: ConfigResolver) -> Lang:
    """Run-wide settings (the language of headers and summaries) come from the command
    line, else from the config of the working directory, as Ruff's global settings."""
    cwd_config = resolver.for_directory(Path.cwd())
    return lang or (cwd_config.values.lang if cwd_config else None) or "zh"


def _report(
    args: argparse.Namespace, results: list[FileResult], lang: Lang, ruleset: RuleSet, fail_on: list[str]
) -> bool:
    """Write a report made of every result (the review page, the summary sheet); whether a
    file could not be rendered (its E002 is shown instead)."""

    def write(part: Sequence[FileResult], out: io.StringIO) -> None:
        render(args.format, part, out, ruleset=ruleset, color=False, lang=lang, fail_on=fail_on)

    def write_binary(part: Sequence[FileResult], out: io.BytesIO) -> None:
        render_binary(args.format, part, out, lang=lang)

    content: str | bytes
    if args.format in BINARY_FORMATS:
        content, unrendered = _rendered(write_binary, results, ruleset, lang, io.BytesIO)
    else:
        content, unrendered = _rendered(write, results, ruleset, lang, io.StringIO)
    if args.output_file is None:
        assert isinstance(content, str)  # a binary format needs -o (_check_output_format)
        _to_stdout(lambda write: write(content))
        return unrendered
    if isinstance(content, str):
        _to_file(args.output_file, lambda write: write(content))
        return unrendered
    try:
        with atomic.open_binary(args.output_file) as binary_out:
            binary_out.write(content)
    except OSError as e:
        raise _CommandError(_say("cannot-write", path=args.output_file, reason=os_reason(e, _ui))) from None
    return unrendered


_Buffer = TypeVar("_Buffer", io.StringIO, io.BytesIO)


def _rendered(
    write: Callable[[Sequence[FileResult], _Buffer], None],
    results: list[FileResult],
    ruleset: RuleSet,
    lang: Lang,
    buffer: Callable[[], _Buffer],
) -> tuple[str | bytes, bool]:
    """The report as written to ``buffer()`` (text, or bytes for a binary format), and
    whether a file could not be rendered. A renderer that fails on one file's results (a
    bug) must not lose the others': that file is then reported by an E002 naming the failure."""
    out = buffer()
    try:
        write(results, out)
        return out.getvalue(), False
    except Exception:
        kept = [_renders(write, result, ruleset, lang, buffer) for result in results]
    out = buffer()
    write(kept, out)
    return out.getvalue(), True


def _renders(
    write: Callable[[Sequence[FileResult], _Buffer], None],
    result: FileResult,
    ruleset: RuleSet,
    lang: Lang,
    buffer: Callable[[], _Buffer],
) -> FileResult:
    """``result``, or the E002 that replaces it if the renderer fails on it."""
    from checker.engine import failed

    try:
        write([result], buffer())
        return result
    except Exception as e:
        detail = " ".join(f"{type(e).__name__}: {e}".split())[:300]
        return failed(result.path, f"rendering failed: {detail}", ruleset, lang)


def _read_baseline(path: Path | None) -> Baseline | None:
    if path is None:
        return None
    from checker.baseline import BaselineError, load_baseline

    try:
        return load_baseline(path)
    except BaselineError as e:
        raise _CommandError(e.text(_ui)) from None


def _write_baseline(path: Path, results: list[FileResult]) -> int:
    from checker.baseline import BaselineError, write_baseline

    try:
        count = write_baseline(path, results)
    except BaselineError as e:
        raise _CommandError(e.text(_ui)) from None
    print("govlint: " + _say("recorded", count=count, files=len(results), path=path), file=sys.stderr)
    trouble = [(r.path, d) for r in results for d in r.diagnostics if d.code in TROUBLE_CODES]
    for file, d in trouble:  # never recorded: an unreadable file must not pass unseen
        _error(_say("unrecorded-trouble", path=file, code=d.code, message=d.message))
    return EXIT_TROUBLE if trouble else EXIT_OK


def _diff(jobs: list[Job], rulesets: RuleSets) -> int:
    """``--diff``: print what ``--fix`` would change; 1 if it would change a file."""
    fixes, trouble = _fixes(jobs, rulesets, write=False)
    _to_stdout(lambda write: [write(fix.diff()) for fix in fixes])
    changed = sum(fix.changed for fix in fixes)
    print("govlint: " + _say("would-fix", count=changed), file=sys.stderr)
    return EXIT_TROUBLE if trouble else EXIT_FINDINGS if changed else EXIT_OK


def _fix(jobs: list[Job], rulesets: RuleSets, *, force: bool) -> bool:
    """``--fix``: fix and say so; whether a file could not be fixed."""
    fixes, trouble = _fixes(jobs, rulesets, write=True, force=force)
    for fix in fixes:
        if fix.changed:
            print("govlint: " + _say("fixed", path=fix.path, what=fix.describe()), file=sys.stderr)
    return trouble


def _fixes(jobs: list[Job], rulesets: RuleSets, *, write: bool, force: bool = False) -> tuple[list[FileFix], bool]:
    """The fixes of each plain-text file (written if ``write``), and whether any file
    could not be fixed. Other formats are skipped with a note."""
    from checker.fix import FixError, fix_file, fixable

    fixes: list[FileFix] = []
    trouble = False
    for path, rule_dirs, options, _ in jobs:
        if not fixable(path):
            _note(_say("not-fixable", path=path))
            continue
        try:
            fixes.append(fix_file(path, rulesets.get(rule_dirs), options, write=write, force=force))
        except FixError as e:
            _error(_say("not-fixed", path=path, reason=e.text(_ui)))
            trouble = True
        except OSError as e:
            _error(_say("cannot-write", path=path, reason=os_reason(e, _ui)))
            trouble = True
    return fixes, trouble


def _annotate(args: argparse.Namespace) -> int:
    from checker.annotate import AnnotateError, annotate_docx

    path: Path = args.path
    output = _annotated_copy(path, args.output)
    use_cache = not args.no_cache
    config = ConfigResolver(args.config, use_cache=use_cache).for_path(path)
    overrides = _overrides(args)
    settings = file_settings(path, config, overrides)
    ruleset = load_rules(list(settings.rule_dirs), use_cache=use_cache)
    check_selectors(config, overrides, ruleset.by_code)
    result = lint_path(path, ruleset, settings.options)
    if result.source is None or _failed_whole(result):  # E001 or E002: its reason is the whole story
        raise _CommandError(_say("path-reason", path=path, reason=result.diagnostics[0].message))
    try:
        count = annotate_docx(path, output, result)
    except AnnotateError as e:
        raise _CommandError(_say("path-reason", path=path, reason=e.text(_ui))) from None
    except OSError as e:
        raise _CommandError(_say("cannot-write", path=output, reason=os_reason(e, _ui))) from None
    print(summary_line([result], settings.options.lang))  # type: ignore[arg-type]
    print("govlint: " + _say("wrote-annotated", path=output, count=count), file=sys.stderr)
    return _exit_status([result], [settings.fail_on])


def _failed_whole(result: FileResult) -> bool:
    """Whether a stage failed on the whole file (its one finding is an E002 about no place)."""
    only = result.diagnostics[0] if len(result.diagnostics) == 1 else None
    return only is not None and only.code in TROUBLE_CODES and not only.span


def _annotated_copy(path: Path, output: Path | None) -> Path:
    """Where ``annotate`` writes its copy of ``path``: never over the report itself."""
    from checker.annotate import default_output

    if path.suffix.lower() != ".docx":
        raise _CommandError(_say("annotate-docx-only", path=path))
    output = output or default_output(path)
    identity = _regular_file_identity(output)  # the same test as -o: device and inode, through links
    if identity is not None and identity == _regular_file_identity(path):
        raise _CommandError(_say("annotate-onto-report", path=output))
    return output


def _facts(args: argparse.Namespace) -> int:
    from checker.report.facts import FactsReport, fact_records, identity_record, render_facts_json, render_facts_table

    # Each report is read with the rules its own config adds, as linting it does.
    rulesets = RuleSets(use_cache=not args.no_cache)
    resolver = ConfigResolver(args.config, use_cache=rulesets.use_cache)
    status = EXIT_OK
    reports: list[FactsReport] = []  # JSON: one document for every file
    for path in expand_paths(args.paths, resolver.excluded, _note_unread):
        ruleset = rulesets.get(extra_rule_dirs(resolver.for_path(path), tuple(args.rule_dirs)))
        try:
            read = read_facts(path, ruleset)
        except (LoadError, StageError) as e:  # this file's trouble; the others' facts still shown
            _error(_say("path-reason", path=path, reason=e.text(_ui) if isinstance(e, LoadError) else e.reason))
            status = EXIT_TROUBLE
            continue
        report = FactsReport(
            display_path(path), identity_record(read.identity, read.source), fact_records(read.facts, read.source)
        )
        if args.format == "json":
            reports.append(report)
        else:
            render_facts_table(report._replace(path=str(path)), sys.stdout, color=_use_color(args.color, sys.stdout))
    if args.format == "json":
        render_facts_json(reports, sys.stdout)
    return status


_UNBOUNDED_WIDTH = 1000  # cells: wider than any line of a rule table


def _rules(args: argparse.Namespace) -> int:
    ruleset = _load(args)
    if args.format == "json":
        import json

        rows = [
            {"code": r.code, "name": r.name, "severity": r.severity, "profiles": sorted(r.profiles),
             "summary": r.summary.get(args.lang or _ui), "file": r.file}
            for r in ruleset.rules
        ]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK
    from rich.table import Table

    from checker.report.console import console

    table = Table(box=None, header_style="bold")
    for column in ("col-code", "col-name", "col-severity", "col-profiles"):
        table.add_column(_say(column), no_wrap=True)
    # Summaries are whole: folded within their column on a narrow terminal, never cut.
    table.add_column(_say("col-summary"), overflow="fold", ratio=1)
    for rule in ruleset.rules:
        profiles = _say("all-profiles") if rule.profiles >= set(PROFILES) else ", ".join(sorted(rule.profiles))
        table.add_row(rule.code, rule.name, rule.severity, profiles, rule.summary.get(args.lang or _ui))
    # To a pipe (`govlint rules | grep S10`) a rule is one line, unless COLUMNS says otherwise.
    unbounded = not sys.stdout.isatty() and "COLUMNS" not in os.environ
    out = console(highlight=False, width=_UNBOUNDED_WIDTH if unbounded else None)
    if out.width < _MIN_TABLE_WIDTH:  # `COLUMNS=5`: rich would print each row as blank cells
        out.width = _MIN_TABLE_WIDTH
    out.print(table)
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    ruleset = _load(args)
    code = args.code.upper()
    rule = ruleset.by_code.get(code) or next((r for r in ruleset.rules if r.name == args.code), None)
    if rule is None:
        _error(_say("no-such-rule", code=args.code))
        return EXIT_TROUBLE
    lang = args.lang or _ui

    def heading(key: str) -> str:
        return say(key, lang)

    lines = [
        f"{rule.code} {rule.name} ({rule.severity})",
        "",
        rule.summary.get(lang),
        "",
        heading("explain-what"),
        _explanation(rule.explanation, lang),
        "",
        heading("explain-source"),
        rule.source,
        "",
        heading("explain-fails"),
        *("    " + line for line in rule.example_fail.splitlines()),
        "",
        heading("explain-passes"),
        *("    " + line for line in rule.example_pass.splitlines()),
    ]
    if rule.help:
        lines += ["", heading("explain-fix"), rule.help.get(lang)]
    profiles = ("、" if lang == "zh" else ", ").join(sorted(rule.profiles))
    lines += ["", say("explain-profiles", lang, profiles=profiles), say("explain-file", lang, file=rule.file)]
    print("\n".join(lines))
    return EXIT_OK


_ENGLISH_PART = re.compile(r"(?m)^(?:What it does|Why):")


def _explanation(text: str, lang: str) -> str:
    """A rule's explanation is written Chinese first, then English from a line starting
    "What it does:" or "Why:": the part in ``lang`` (the whole when there is one part)."""
    english = _ENGLISH_PART.search(text)
    if english is None or english.start() == 0:
        return text
    return text[english.start() :].strip() if lang == "en" else text[: english.start()].strip()


def _schema(args: argparse.Namespace) -> int:
    import json

    from checker.ruleschema import rule_file_schema

    json.dump(rule_file_schema(), sys.stdout, ensure_ascii=False, indent=2)
    print()
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    """``govlint serve``: the review desk (checker/serve/), until Ctrl-C."""
    from checker import serve

    if (missing := serve.missing_extra()) is not None:
        raise _CommandError(_say("serve-needs-extra", package=missing))
    if args.token is not None and len(args.token) < serve.MIN_TOKEN_LENGTH:
        raise _CommandError(_say("serve-short-token"))
    if args.token is None and not serve.is_loopback(args.host):
        raise _CommandError(_say("serve-needs-token", host=args.host))
    try:
        sock = serve.listen(args.host, args.port)
    except OSError as e:
        if args.token is None and serve.desk_answers(args.host, args.port):  # started twice: show the one running
            url = serve.address(args.host, args.port, None)
            if sys.stdout is not None:
                print(_say("serve-running", url=url))
            if not args.no_browser:
                serve.open_page(url)
            return EXIT_OK
        reason = os_reason(e, _ui)
        raise _CommandError(_say("serve-cannot-listen", host=args.host, port=args.port, reason=reason)) from None
    if sys.stdout is not None:  # none under pythonw (the Windows shortcut)
        print(_say("serve-started", url=serve.address(args.host, sock.getsockname()[1], args.token)), flush=True)
    from checker.serve.app import run

    run(sock, args.host, token=args.token, workers=args.jobs or default_jobs(), open_browser=not args.no_browser)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    global _ui
    argv = list(sys.argv[1:] if argv is None else argv)
    _ui = ui_lang(argv, os.environ)
    _speak_argparse(_ui)
    command = "check"
    if argv and argv[0] in COMMANDS:
        command = argv.pop(0)
    args = _parser(command).parse_args(argv)
    handler = {
        "check": _check, "rules": _rules, "explain": _explain, "facts": _facts, "annotate": _annotate,
        "schema": _schema, "serve": _serve,
    }[command]  # fmt: skip
    if sys.stdout is None and _writes_stdout(command, args):  # started with descriptor 1 closed (`>&-`)
        print("govlint: error: standard output is closed", file=sys.stderr)
        return EXIT_TROUBLE
    try:
        status = _run(handler, args)
        if sys.stdout is not None:
            sys.stdout.flush()  # here, not in the interpreter's last flush, a closed pipe can be handled
        regexcache.save()  # the patterns this run compiled, for the next cold start
        return status
    except ConfigError as e:  # a bad config: one line, exit 2
        _error(e.text(_ui))
        return EXIT_TROUBLE
    except RuleFileError as e:  # a bad rule file: one line, exit 2
        _error(str(e))
        return EXIT_TROUBLE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `govlint rules | head`: nothing failed (a lint's output is handled in _report)
        _discard_stdout()
        return EXIT_OK
    except (UnicodeEncodeError, OSError) as e:  # stdout full or unable to hold Chinese: one line, exit 2
        _discard_stdout()
        print(f"govlint: error: {_output_trouble(e)}", file=sys.stderr)
        return EXIT_TROUBLE


def _writes_stdout(command: str, args: argparse.Namespace) -> bool:
    """Whether the command's output goes to standard output (not a file, not stderr)."""
    if command in ("annotate", "serve"):
        return False
    return not (command == "check" and (args.output_file or args.write_baseline))


def _output_trouble(error: UnicodeEncodeError | OSError) -> str:
    if isinstance(error, UnicodeEncodeError):
        return _unencodable_stdout()
    if error.filename:
        return f"{error.filename}: {error.strerror or error}"
    return f"cannot write to standard output: {error.strerror or error}"


def _speak_argparse(lang: Lang) -> None:
    """argparse's own words (usage, errors) in ``lang``: argparse looks each up through its
    module's gettext function when it writes it, so that function is the catalogue's."""
    import gettext

    argparse._ = gettext.gettext if lang == "en" else lambda message: ARGPARSE_ZH.get(message, message)  # type: ignore[attr-defined]


def _run(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return handler(args)
    except _CommandError as e:
        _error(str(e))
        return EXIT_TROUBLE


def _to_stdout(run: Callable[[Callable[[str], object]], _Result]) -> _Result:
    """``run(write)``, ``write`` printing to standard output (a report as it is made). If
    the reader goes away (`govlint seeds/ | head`) the output ends quietly and the run goes
    on to exit with its own status. Output that cannot be written (a full disk, a closed
    descriptor, an encoding without Chinese) is trouble, and ends the run. ``sys.stdout`` is
    looked up at each write: on a terminal the progress bar puts its own in place while it
    shows, which prints above the bar."""
    if sys.stdout is None:  # started with descriptor 1 closed (`govlint r.txt >&-`)
        raise _CommandError(_say("stdout-closed"))
    gone = False

    def guarded(action: Callable[[], object]) -> None:
        nonlocal gone
        if gone:
            return
        try:
            action()
        except BrokenPipeError:
            _discard_stdout()
            gone = True
        except UnicodeEncodeError:
            _discard_stdout()
            raise _CommandError(_unencodable_stdout()) from None
        except OSError as e:
            _discard_stdout()
            raise _CommandError(_output_trouble(e)) from None

    outcome = run(lambda text: guarded(lambda: sys.stdout.write(text)))
    guarded(sys.stdout.flush)  # buffered output would meet the closed pipe only at exit
    return outcome


def _to_file(path: Path, run: Callable[[Callable[[str], object]], _Result]) -> _Result:
    """``run(write)``, ``write`` writing to a temporary file that replaces ``path`` when the
    run ends (never half a report). SIGTERM ends the run as Ctrl-C does, so that the
    temporary file goes too; an error of the file itself is trouble, and ends the run."""

    def trouble(e: OSError) -> _CommandError:
        return _CommandError(_say("cannot-write", path=path, reason=os_reason(e, _ui)))

    with sigterm_ends_the_run(), contextlib.ExitStack() as stack:
        try:
            out = stack.enter_context(atomic.open_text(path))
        except OSError as e:
            raise trouble(e) from None

        def write(text: str) -> None:
            try:
                out.write(text)
            except OSError as e:
                raise trouble(e) from None

        outcome = run(write)
        replace = stack.pop_all()  # the run went well: what is left is to put the file in place
        try:
            replace.close()
        except OSError as e:
            raise trouble(e) from None
    return outcome


def _unencodable_stdout() -> str:
    encoding = getattr(sys.stdout, "encoding", None) or "?"
    return (
        f"standard output's encoding ({encoding}) cannot hold the report's Chinese text: "
        "set PYTHONIOENCODING=utf-8 or use -o PATH"
    )


def _discard_stdout() -> None:
    """Point stdout at /dev/null after its reader went away, so that the interpreter's
    last flush at exit does not fail again."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # no file behind it (an embedding program's)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
