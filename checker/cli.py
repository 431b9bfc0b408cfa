"""Command line: ``govlint [check] PATH…`` (``--fix``, ``--diff``), ``govlint rules``,
``govlint explain CODE``, ``govlint facts PATH…``, ``govlint annotate REPORT.docx``,
``govlint schema`` (the JSON Schema of rule files).

Exit status: 0 no failing findings, 1 findings at or above ``--fail-on`` (default
error), 2 a file or rule could not be read or the usage was wrong. Only this module
knows about the terminal.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from checker import atomic, regexcache
from checker.config import ConfigError, ConfigResolver, Overrides, extra_rule_dirs, file_settings, parse_deadline
from checker.engine import StageError, lint_path, read_facts
from checker.files import expand_paths
from checker.load import LoadError
from checker.model import SEVERITY_ORDER, TROUBLE_CODES, FileResult
from checker.report import FORMATS, render, render_statistics
from checker.report.summary import Lang, summary_line
from checker.rule import RuleFileError
from checker.ruleset import RuleSet, load_rules
from checker.runner import Job, RuleSets, default_jobs, lint_jobs, plan_jobs

if TYPE_CHECKING:
    from checker.baseline import Baseline
    from checker.fix import FileFix

COMMANDS = ("check", "rules", "explain", "facts", "annotate", "schema")
_MIN_TABLE_WIDTH = 60  # narrower, `govlint rules` wraps its table into a readable one anyway
EXIT_OK, EXIT_FINDINGS, EXIT_TROUBLE = 0, 1, 2


def _deadline(value: str) -> tuple[int, int]:
    try:
        return parse_deadline(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _positive(value: str) -> int:
    # Length first: int() of thousands of digits is slow, then refused by Python itself.
    if not (value.isascii() and value.isdigit()) or len(value) > 9 or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to 999999999, got {value[:20]!r}")
    return int(value)


def _codes(value: str) -> list[str]:
    return [part.strip().upper() for part in value.split(",") if part.strip()]


def _common(parser: argparse.ArgumentParser, lang_default: str | None = "zh") -> None:
    parser.add_argument("--lang", choices=("zh", "en"), default=lang_default, help="language of messages (default zh)")
    parser.add_argument("--rules", dest="rule_dirs", action="append", type=Path, default=[], metavar="DIR",
                        help="also load rule files from DIR (repeatable)")
    parser.add_argument("--no-cache", action="store_true", help="validate rule files afresh instead of using the cache")


def _selection(parser: argparse.ArgumentParser) -> None:
    """The flags that decide which rules run on a file, and how its findings count."""
    # Defaults are None: a flag given overrides the config file, a flag not given does not.
    parser.add_argument("--select", type=_codes, action="extend", default=None, metavar="CODES",
                        help="only these codes or prefixes, comma-separated (S, T40, D301); "
                        "replaces the config file's select")
    parser.add_argument("--extend-select", type=_codes, action="extend", default=[], metavar="CODES",
                        help="add these codes or prefixes to the selection")
    parser.add_argument("--ignore", type=_codes, action="extend", default=[], metavar="CODES",
                        help="skip these codes or prefixes")
    parser.add_argument("--profile", choices=("annual", "summary"), default=None,
                        help="annual: 法治政府建设年度报告 (default); summary: 政法/法治建设工作总结, "
                        "without the annual report's structure and date rules")
    parser.add_argument("--fail-on", choices=("error", "warning", "info"), default=None,
                        help="lowest severity that makes the exit status 1 (default error)")
    parser.add_argument("--publication-deadline", type=_deadline, default=None, metavar="MM-DD",
                        help="last day of publication in the year after the report year (default 03-31)")
    _config(parser)


def _config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, metavar="PATH",
                        help="use this config file for every file instead of discovering "
                        "govlint.toml, .govlint.toml or pyproject.toml [tool.govlint]")


def _parser(command: str) -> argparse.ArgumentParser:
    if command == "annotate":
        parser = argparse.ArgumentParser(
            prog="govlint annotate",
            description="Write a copy of a Word report with one comment per finding, "
            "anchored on the characters it is about. The report itself is never changed.",
        )
        parser.add_argument("path", type=Path, metavar="REPORT.docx")
        parser.add_argument("--output", "-o", type=Path, metavar="PATH",
                            help="where to write the annotated copy (default: REPORT.reviewed.docx beside it)")
        _selection(parser)
        _common(parser, lang_default=None)
        return parser
    if command == "schema":
        return argparse.ArgumentParser(
            prog="govlint schema", description="Print the JSON Schema of rule files, for editors (see docs/rules.md)."
        )
    if command == "rules":
        parser = argparse.ArgumentParser(prog="govlint rules", description="List every rule.")
        parser.add_argument("--format", choices=("human", "json"), default="human")
        _config(parser)
    elif command == "explain":
        parser = argparse.ArgumentParser(prog="govlint explain", description="Explain one rule.")
        parser.add_argument("code", help="a rule code such as S103")
        _config(parser)
    elif command == "facts":
        parser = argparse.ArgumentParser(
            prog="govlint facts", description="Show the numeric claims govlint extracted from reports."
        )
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument("--format", choices=("human", "json"), default="human")
        parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
        _config(parser)
    else:
        parser = argparse.ArgumentParser(
            prog="govlint",
            description="Lint Chinese government annual reports (法治政府建设年度报告). "
            "Commands: check (default), rules, explain CODE, facts PATH, annotate REPORT.docx, schema.",
        )
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="report files or folders (.txt .md .docx .html .pdf)")
        parser.add_argument("--format", choices=FORMATS, default="human",
                            help="human (default), json, sarif (GitHub code scanning), github (Actions "
                            "annotations), junit (GitLab, Jenkins) or concise (one line per finding)")
        parser.add_argument("--statistics", action="store_true",
                            help="print the number of findings per code instead of the findings")
        parser.add_argument("--output-file", "-o", type=Path, metavar="PATH",
                            help="write the report to PATH instead of standard output")
        _selection(parser)
        parser.add_argument("--fix", action="store_true",
                            help="fix what is certain in .txt and .md files (T403 pinyin, T402 lines that are "
                            "nothing but page chrome), then report what remains")
        parser.add_argument("--diff", action="store_true",
                            help="print the changes --fix would make, without writing; exit 1 if there are any")
        parser.add_argument("--force", action="store_true",
                            help="with --fix: also fix files with several hard links (this name only) or "
                            "without write permission")
        parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
        parser.add_argument("--jobs", "-j", type=_positive, default=None, metavar="N",
                            help="lint in N processes (default: all cores; small runs stay in one)")
        baseline = parser.add_mutually_exclusive_group()
        baseline.add_argument("--baseline", type=Path, metavar="PATH",
                              help="report only findings that are not in this baseline file")
        baseline.add_argument("--write-baseline", type=Path, metavar="PATH",
                              help="record today's findings in PATH and exit 0 (see --baseline)")
        _common(parser, lang_default=None)
        return parser
    _common(parser)
    return parser


def _use_color(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


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
    """2 on trouble; else 1 if a file has a finding at or above its own ``fail_on``
    (files may have different config files)."""
    if any(d.code in TROUBLE_CODES for r in results for d in r.diagnostics):
        return EXIT_TROUBLE
    failing = any(
        SEVERITY_ORDER[d.severity] >= SEVERITY_ORDER[level] for r, level in zip(results, fail_on) for d in r.diagnostics
    )
    return EXIT_FINDINGS if failing else EXIT_OK


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
    baseline = _read_baseline(args.baseline)  # before linting: a bad file fails at once
    jobs = plan_jobs(args.paths, resolver, _overrides(args), rulesets)
    _refuse_overwriting_inputs([args.output_file, args.write_baseline], [job.path for job in jobs], args.baseline)
    if args.diff:
        return _diff(jobs, rulesets)
    fix_trouble = args.fix and _fix(jobs, rulesets, force=args.force)
    results = _lint(args, jobs, rulesets)
    if args.write_baseline:
        return _write_baseline(args.write_baseline, results)
    if baseline is not None:
        results = baseline.filter(results)
    unrendered = _report(args, results, _run_lang(args.lang, resolver), rulesets.described(tuple(args.rule_dirs)))
    return EXIT_TROUBLE if fix_trouble or unrendered else _exit_status(results, [job.fail_on for job in jobs])


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
            raise _CommandError(f"{output} is {clash}, which this run reads: choose another output path")


def _regular_file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the regular file at ``path``, through links; None for none."""
    import stat

    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None


def _lint(args: argparse.Namespace, jobs: list[Job], rulesets: RuleSets) -> list[FileResult]:
    # Cached results are compact; the HTML page and the baseline need each file's text.
    needs_text = args.format == "html" or bool(args.baseline or args.write_baseline)
    workers = args.jobs or default_jobs()
    results_cache = rulesets.use_cache and not needs_text
    return list(lint_jobs(jobs, rulesets, workers=workers, results_cache=results_cache, compact=not needs_text))


def _run_lang(lang: Lang | None, resolver: ConfigResolver) -> Lang:
    """Run-wide settings (the language of headers and summaries) come from the command
    line, else from the config of the working directory, as Ruff's global settings."""
    cwd_config = resolver.for_directory(Path.cwd())
    return lang or (cwd_config.values.lang if cwd_config else None) or "zh"


def _report(args: argparse.Namespace, results: list[FileResult], lang: Lang, ruleset: RuleSet) -> bool:
    """Write the report; whether a file could not be rendered (its E002 is shown instead)."""
    # A report written to a file never has colour codes in it.
    color = args.output_file is None and sys.stdout is not None and _use_color(args.color, sys.stdout)

    def write(part: Sequence[FileResult], out: TextIO) -> None:
        if args.statistics:
            render_statistics(args.format, part, out, lang=lang)
        else:
            render(args.format, part, out, ruleset=ruleset, color=color, lang=lang)

    text, unrendered = _rendered(write, results, ruleset, lang)
    if args.output_file is None:
        _write_stdout(lambda out: out.write(text))
        return unrendered
    try:
        with atomic.open_text(args.output_file) as out:
            out.write(text)
    except OSError as e:
        raise _CommandError(f"cannot write {args.output_file}: {e.strerror or e}") from None
    return unrendered


def _rendered(
    write: Callable[[Sequence[FileResult], TextIO], None], results: list[FileResult], ruleset: RuleSet, lang: Lang
) -> tuple[str, bool]:
    """The report as text, and whether a file could not be rendered. A renderer that fails
    on one file's results (a bug) must not lose the others': that file is then reported
    by an E002 naming the failure."""
    import io

    buffer = io.StringIO()
    try:
        write(results, buffer)
        return buffer.getvalue(), False
    except Exception:  # noqa: BLE001 - which file? Each alone, then the report without the culprits
        kept = [_renders(write, result, ruleset, lang) for result in results]
    buffer = io.StringIO()
    write(kept, buffer)
    return buffer.getvalue(), True


def _renders(
    write: Callable[[Sequence[FileResult], TextIO], None], result: FileResult, ruleset: RuleSet, lang: Lang
) -> FileResult:
    """``result``, or the E002 that replaces it if the renderer fails on it."""
    import io

    from checker.engine import failed

    try:
        write([result], io.StringIO())
        return result
    except Exception as e:  # noqa: BLE001 - a renderer's bug, shown as this file's E002
        detail = " ".join(f"{type(e).__name__}: {e}".split())[:300]
        return failed(result.path, f"rendering failed: {detail}", ruleset, lang)


def _read_baseline(path: Path | None) -> Baseline | None:
    if path is None:
        return None
    from checker.baseline import BaselineError, load_baseline

    try:
        return load_baseline(path)
    except BaselineError as e:
        raise _CommandError(str(e)) from None


def _write_baseline(path: Path, results: list[FileResult]) -> int:
    from checker.baseline import BaselineError, write_baseline

    try:
        count = write_baseline(path, results)
    except BaselineError as e:
        raise _CommandError(str(e)) from None
    print(f"govlint: recorded {count} finding(s) of {len(results)} file(s) in {path}", file=sys.stderr)
    trouble = [(r.path, d) for r in results for d in r.diagnostics if d.code in TROUBLE_CODES]
    for file, d in trouble:  # never recorded: an unreadable file must not pass unseen
        print(f"govlint: error: {file}: {d.code} {d.message}", file=sys.stderr)
    return EXIT_TROUBLE if trouble else EXIT_OK


def _diff(jobs: list[Job], rulesets: RuleSets) -> int:
    """``--diff``: print what ``--fix`` would change; 1 if it would change a file."""
    fixes, trouble = _fixes(jobs, rulesets, write=False)
    _write_stdout(lambda out: out.writelines(fix.diff() for fix in fixes))
    changed = sum(fix.changed for fix in fixes)
    print(f"govlint: {changed} file(s) would be fixed", file=sys.stderr)
    return EXIT_TROUBLE if trouble else EXIT_FINDINGS if changed else EXIT_OK


def _fix(jobs: list[Job], rulesets: RuleSets, *, force: bool) -> bool:
    """``--fix``: fix and say so; whether a file could not be fixed."""
    fixes, trouble = _fixes(jobs, rulesets, write=True, force=force)
    for fix in fixes:
        if fix.changed:
            print(f"govlint: fixed {fix.path}: {fix.describe()}", file=sys.stderr)
    return trouble


def _fixes(jobs: list[Job], rulesets: RuleSets, *, write: bool, force: bool = False) -> tuple[list[FileFix], bool]:
    """The fixes of each plain-text file (written if ``write``), and whether any file
    could not be fixed. Other formats are skipped with a note."""
    from checker.fix import FixError, fix_file, fixable

    fixes: list[FileFix] = []
    trouble = False
    for path, rule_dirs, options, _ in jobs:
        if not fixable(path):
            print(f"govlint: note: {path} left as it is: only .txt and .md files are fixed", file=sys.stderr)
            continue
        try:
            fixes.append(fix_file(path, rulesets.get(rule_dirs), options, write=write, force=force))
        except FixError as e:
            print(f"govlint: error: {path}: not fixed: {e}", file=sys.stderr)
            trouble = True
        except OSError as e:
            print(f"govlint: error: cannot write {path}: {e.strerror or e}", file=sys.stderr)
            trouble = True
    return fixes, trouble


def _annotate(args: argparse.Namespace) -> int:
    from checker.annotate import AnnotateError, annotate_docx

    path: Path = args.path
    output = _annotated_copy(path, args.output)
    use_cache = not args.no_cache
    settings = file_settings(path, ConfigResolver(args.config, use_cache=use_cache).for_path(path), _overrides(args))
    ruleset = load_rules(list(settings.rule_dirs), use_cache=use_cache)
    result = lint_path(path, ruleset, settings.options)
    if result.source is None or _failed_whole(result):  # E001 or E002: its reason is the whole story
        raise _CommandError(f"{path}: {result.diagnostics[0].message}")
    try:
        count = annotate_docx(path, output, result)
    except AnnotateError as e:
        raise _CommandError(f"{path}: {e}") from None
    except OSError as e:
        raise _CommandError(f"cannot write {output}: {e.strerror or e}") from None
    print(summary_line([result], settings.options.lang))  # type: ignore[arg-type]
    print(f"govlint: wrote {output} with {count} comment(s)", file=sys.stderr)
    return _exit_status([result], [settings.fail_on])


def _failed_whole(result: FileResult) -> bool:
    """Whether a stage failed on the whole file (its one finding is an E002 about no place)."""
    return len(result.diagnostics) == 1 and result.diagnostics[0].code in TROUBLE_CODES and not result.diagnostics[0].span


def _annotated_copy(path: Path, output: Path | None) -> Path:
    """Where ``annotate`` writes its copy of ``path``: never over the report itself."""
    from checker.annotate import default_output

    if path.suffix.lower() != ".docx":
        raise _CommandError(f"{path}: annotate writes comments into Word .docx files only")
    output = output or default_output(path)
    if output.resolve() == path.resolve() or (output.exists() and path.exists() and os.path.samefile(output, path)):
        raise _CommandError(f"{output} is the report itself: choose another --output")
    return output


def _facts(args: argparse.Namespace) -> int:
    from checker.report.facts import fact_records, render_facts_json, render_facts_table

    # Each report is read with the rules its own config adds, as linting it does.
    rulesets = RuleSets(use_cache=not args.no_cache)
    resolver = ConfigResolver(args.config, use_cache=rulesets.use_cache)
    status = EXIT_OK
    for path in expand_paths(args.paths, resolver.excluded):
        ruleset = rulesets.get(extra_rule_dirs(resolver.for_path(path), tuple(args.rule_dirs)))
        try:
            records = fact_records(*read_facts(path, ruleset))
        except (LoadError, StageError) as e:  # this file's trouble; the others' facts still shown
            print(f"govlint: error: {path}: {e.reason}", file=sys.stderr)
            status = EXIT_TROUBLE
            continue
        if args.format == "json":
            render_facts_json(str(path), records, sys.stdout)
        else:
            render_facts_table(str(path), records, sys.stdout, color=_use_color(args.color, sys.stdout))
    return status


def _rules(args: argparse.Namespace) -> int:
    ruleset = _load(args)
    if args.format == "json":
        import json

        rows = [
            {"code": r.code, "name": r.name, "severity": r.severity, "profiles": sorted(r.profiles),
             "summary": r.summary.get(args.lang), "file": r.file}
            for r in ruleset.rules
        ]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK
    from rich.table import Table

    from checker.report.console import console

    table = Table(box=None, header_style="bold")
    for column in ("code", "name", "severity", "profiles", "summary"):
        table.add_column(column, no_wrap=column != "summary")
    for rule in ruleset.rules:
        profiles = "all" if len(rule.profiles) > 1 else ", ".join(sorted(rule.profiles))
        table.add_row(rule.code, rule.name, rule.severity, profiles, rule.summary.get(args.lang))
    out = console(highlight=False)
    if out.width < _MIN_TABLE_WIDTH:  # `COLUMNS=5`: rich would print each row as blank cells
        out.width = _MIN_TABLE_WIDTH
    out.print(table)
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    ruleset = _load(args)
    code = args.code.upper()
    rule = ruleset.by_code.get(code) or next((r for r in ruleset.rules if r.name == args.code), None)
    if rule is None:
        print(f"govlint: error: no rule {args.code!r}; `govlint rules` lists them", file=sys.stderr)
        return EXIT_TROUBLE
    zh = args.lang == "zh"
    lines = [
        f"{rule.code} {rule.name} ({rule.severity})",
        "",
        rule.summary.get(args.lang),
        "",
        "## 说明 / What it does" if zh else "## What it does",
        rule.explanation,
        "",
        "## 依据 / Source" if zh else "## Source",
        rule.source,
        "",
        "## 示例(不通过) / Example" if zh else "## Example (fails)",
        *("    " + line for line in rule.example_fail.splitlines()),
        "",
        "## 应写作 / Use instead" if zh else "## Use instead",
        *("    " + line for line in rule.example_pass.splitlines()),
    ]
    if rule.help:
        lines += ["", "## 修改建议 / Fix" if zh else "## Fix", rule.help.get(args.lang)]
    profiles = "、".join(sorted(rule.profiles)) if zh else ", ".join(sorted(rule.profiles))
    lines += ["", ("适用 profile: " if zh else "Profiles: ") + profiles, ("定义于: " if zh else "Defined in: ") + rule.file]
    print("\n".join(lines))
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    import json

    from checker.ruleschema import rule_file_schema

    json.dump(rule_file_schema(), sys.stdout, ensure_ascii=False, indent=2)
    print()
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = "check"
    if argv and argv[0] in COMMANDS:
        command = argv.pop(0)
    args = _parser(command).parse_args(argv)
    handler = {
        "check": _check, "rules": _rules, "explain": _explain, "facts": _facts, "annotate": _annotate, "schema": _schema,
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
    except (ConfigError, RuleFileError) as e:  # a bad config or rule file: one line, exit 2
        print(f"govlint: error: {e}", file=sys.stderr)
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
    if command == "annotate":
        return False
    return not (command == "check" and (args.output_file or args.write_baseline))


def _output_trouble(error: UnicodeEncodeError | OSError) -> str:
    if isinstance(error, UnicodeEncodeError):
        return _unencodable_stdout()
    if error.filename:
        return f"{error.filename}: {error.strerror or error}"
    return f"cannot write to standard output: {error.strerror or error}"


def _run(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return handler(args)
    except _CommandError as e:
        print(f"govlint: error: {e}", file=sys.stderr)
        return EXIT_TROUBLE


def _write_stdout(write: Callable[[TextIO], object]) -> None:
    """``write(sys.stdout)``; if the reader goes away (`govlint seeds/ | head`) the output
    ends quietly and the run goes on to exit with its own status. Output that cannot be
    written (a full disk, a closed descriptor, an encoding without Chinese) is trouble."""
    if sys.stdout is None:  # started with descriptor 1 closed (`govlint r.txt >&-`)
        raise _CommandError("standard output is closed: use -o PATH to write the report to a file")
    try:
        write(sys.stdout)
        sys.stdout.flush()  # buffered output would meet the closed pipe only at exit
    except BrokenPipeError:
        _discard_stdout()
    except UnicodeEncodeError:
        _discard_stdout()
        raise _CommandError(_unencodable_stdout()) from None
    except OSError as e:
        _discard_stdout()
        raise _CommandError(_output_trouble(e)) from None


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
