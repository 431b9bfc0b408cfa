"""A self-contained HTML review page: an index of the reports, then each report's full
text with its findings marked in place, a sidebar of findings and the required parts.

One file, no network: CSS and JS are inline and fonts come from the system. Every piece
of report text is escaped; no report text ever reaches the <script> or <style> blocks.
The output depends only on the input (no clock, no random ids), so it can be snapshot.
Stdlib only, like every renderer but ``human``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TextIO

from checker.messages import Lang
from checker.model import Diagnostic, FileResult, Outline, SourceText, Span
from checker.report.summary import counts, summary_line

_NO_OUTLINE = Outline(None, None)  # an unreadable file's

_UI: dict[str, dict[str, str]] = {
    "zh": {
        "html_lang": "zh-CN",
        "title": "govlint 法治政府建设年度报告审查",
        "reports": "报告一览",
        "report": "文件",
        "error": "错误",
        "warning": "警告",
        "info": "提示",
        "total": "合计",
        "structure": "必备部分",
        "found": "已找到",
        "missing": "缺失",
        "not_checked": "未找到(未检查)",
        "findings": "问题",
        "no_findings": "未发现问题",
        "whole_file": "全文问题",
        "text": "原文",
        "help": "修改建议",
        "note": "说明",
        "labels": "相关位置",
        "position": "第 {line} 行第 {column} 列",
        "short_position": "{line} 行",
        "line": "第 {line} 行",
        "untitled": "(无标题)",
        "unreadable": "无法读取此文件,没有原文可显示。",
        "back": "返回报告列表",
        "legend": "图例",
        "label_mark": "相关位置",
    },
    "en": {
        "html_lang": "en",
        "title": "govlint review of annual rule-of-law reports",
        "reports": "Overview",
        "report": "File",
        "error": "Error",
        "warning": "Warning",
        "info": "Info",
        "total": "Total",
        "structure": "Required parts",
        "found": "found",
        "missing": "missing",
        "not_checked": "not found (not checked)",
        "findings": "Findings",
        "no_findings": "No findings",
        "whole_file": "Whole-file findings",
        "text": "Text",
        "help": "Help",
        "note": "Note",
        "labels": "Related places",
        "position": "line {line}, column {column}",
        "short_position": "line {line}",
        "line": "line {line}",
        "untitled": "(no title)",
        "unreadable": "This file could not be read; there is no text to show.",
        "back": "Back to the list of reports",
        "legend": "Legend",
        "label_mark": "related place",
    },
}

SEVERITIES = ("error", "warning", "info")

# HTML forbids C0/C1 controls (and XML tooling chokes on them); reports pasted from web
# pages and converters contain them. One replacement per character keeps the columns.
_NOT_HTML = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _esc(text: str) -> str:
    return html.escape(_NOT_HTML.sub("\ufffd", text), quote=True)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _severity(diag: Diagnostic) -> str:
    # As the summary line counts: an unreadable file is always an error, anything unknown info.
    if diag.code == "E001":
        return "error"
    return diag.severity if diag.severity in SEVERITIES else "info"


# --------------------------------------------------------------------------- marks in the text


@dataclass(frozen=True, slots=True)
class _Mark:
    did: str  # anchor of the diagnostic, e.g. "r2-d5"
    index: int  # the diagnostic's position in its file: a stable tie-break
    label: int | None  # None: the diagnostic's own span; else its 1-based label number
    code: str
    severity: str

    @property
    def anchor(self) -> str:
        return self.did if self.label is None else f"{self.did}-l{self.label}"


@dataclass(frozen=True, slots=True)
class _Piece:
    """The part of a mark on one line, in offsets into that line."""

    start: int
    end: int
    mark: _Mark
    first: bool  # carries the anchor id
    last: bool  # followed by the print-only [CODE] tag

    def key(self) -> tuple[int, int, bool, int, int]:
        # Outermost first: earlier start, then longer; a diagnostic's own span before its labels.
        return (self.start, -self.end, self.mark.label is not None, self.mark.index, self.mark.label or 0)


def _marks(result: FileResult, rid: str) -> list[tuple[_Mark, Span]]:
    assert result.source is not None
    out: list[tuple[_Mark, Span]] = []
    for i, diag in enumerate(result.diagnostics, 1):
        if diag.span is None:
            continue
        did, sev = f"{rid}-d{i}", _severity(diag)
        out.append((_Mark(did, i, None, diag.code, sev), diag.span))
        for j, label in enumerate(diag.labels, 1):
            # A label on the diagnostic's own span adds no place to look at: its message is on the card.
            if label.span != diag.span:
                out.append((_Mark(did, i, j, diag.code, sev), label.span))
    return out


def _pieces_by_line(source: SourceText, marks: list[tuple[_Mark, Span]]) -> dict[int, list[_Piece]]:
    """Split each mark at line ends. A mark with no character on any line (empty, or only a
    line end) becomes an empty marker at its start, so no finding is invisible."""
    size = len(source.text)
    by_line: dict[int, list[_Piece]] = {}
    for mark, span in marks:
        start, end = min(span.start, size), min(span.end, size)
        first_line, last_line = source.position(start).line, source.position(end).line
        cuts: list[tuple[int, int, int]] = []
        for line in range(first_line, last_line + 1):
            bounds = source.line_span(line)
            lo, hi = max(start, bounds.start), min(end, bounds.end)
            if lo < hi:
                cuts.append((line, lo - bounds.start, hi - bounds.start))
        if not cuts:
            pos = source.position(start)
            cuts = [(pos.line, pos.column - 1, pos.column - 1)]
        for n, (line, lo, hi) in enumerate(cuts):
            by_line.setdefault(line, []).append(_Piece(lo, hi, mark, n == 0, n == len(cuts) - 1))
    return by_line


def _open_tag(piece: _Piece, anchor: bool) -> str:
    mark = piece.mark
    classes = f"m {mark.severity}" + (" lab" if mark.label is not None else "")
    attrs = f'class="{classes}" data-d="{mark.did}" data-code="{_esc(mark.code)}"'
    if mark.label is not None:
        attrs += f' data-label="{mark.label}"'
    if anchor:
        attrs += f' id="{mark.anchor}" tabindex="0" aria-describedby="{mark.did}-card"'
    return f"<mark {attrs}>"


def _close_tag(piece: _Piece, at: int) -> str:
    closing = "</mark>"
    if piece.last and piece.end == at and piece.mark.label is None:
        # Empty, so it never changes a mark's text; print CSS shows it as [CODE].
        closing += f'<span class="pc" data-code="{_esc(piece.mark.code)}"></span>'
    return closing


def line_html(text: str, pieces: Sequence[_Piece]) -> str:
    """The line's text with its marks as well-formed, properly nested <mark> elements.

    The line is cut at every mark boundary; each cut segment is wrapped in the marks that
    cover it, outermost first. A mark already open stays open while it remains in the
    common prefix of what is open and what the next segment needs; crossing marks are
    closed and reopened, so one mark may become several pieces (only the first has the id)."""
    points = sorted({0, len(text), *(p.start for p in pieces), *(p.end for p in pieces)})
    spans = [p for p in pieces if p.start < p.end]
    empties = sorted((p for p in pieces if p.start == p.end), key=_Piece.key)
    out: list[str] = []
    stack: list[_Piece] = []
    anchored: set[int] = set()  # a piece reopened after a crossing mark must not repeat its id
    for i, at in enumerate(points):
        nxt = points[i + 1] if i + 1 < len(points) else None
        want = sorted((p for p in spans if nxt is not None and p.start <= at and p.end >= nxt), key=_Piece.key)
        keep = 0
        while keep < min(len(stack), len(want)) and stack[keep] is want[keep]:
            keep += 1
        for piece in reversed(stack[keep:]):
            out.append(_close_tag(piece, at))
        out.extend(_open_tag(p, p.first) + _close_tag(p, at) for p in empties if p.start == at)
        for piece in want[keep:]:
            out.append(_open_tag(piece, piece.first and id(piece) not in anchored))
            anchored.add(id(piece))
        stack = want
        if nxt is not None:
            out.append(_esc(text[at:nxt]))
    return "".join(out)


# --------------------------------------------------------------------------- page parts


def _count_cells(result_counts: tuple[int, int, int]) -> str:
    return "".join(
        f'<td class="n {sev}{" zero" if n == 0 else ""}">{n}</td>'
        for sev, n in zip(SEVERITIES, result_counts, strict=True)
    )


def _index(results: Sequence[FileResult], ui: dict[str, str]) -> str:
    rows = []
    for i, result in enumerate(results, 1):
        title = (result.outline or _NO_OUTLINE).title or ui["untitled"]
        rows.append(
            f'<tr><th scope="row"><a href="#r{i}">{_esc(result.path)}</a>'
            f'<span class="sub">{_esc(_clip(title, 48))}</span></th>{_count_cells(counts([result]))}</tr>'
        )
    head = "".join(f'<th scope="col" class="n {sev}">{ui[sev]}</th>' for sev in SEVERITIES)
    total = f'<tr><th scope="row">{ui["total"]}</th>{_count_cells(counts(results))}</tr>'
    return (
        f'<section class="index" id="index" aria-labelledby="index-h"><h2 id="index-h">{ui["reports"]}</h2>'
        f'<table><thead><tr><th scope="col">{ui["report"]}</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody><tfoot>{total}</tfoot></table></section>"
    )


def _position(source: SourceText | None, span: Span | None, ui: dict[str, str], key: str = "position") -> str:
    if source is None or span is None:
        return ""
    pos = source.position(span.start)
    return ui[key].format(line=pos.line, column=pos.column)


def _card(result: FileResult, diag: Diagnostic, did: str, ui: dict[str, str]) -> str:
    """Everything about one finding. A whole-file finding's card is its own anchor; a
    located one's card is ``<anchor>-card`` (the anchor is the mark in the text)."""
    source, sev = result.source, _severity(diag)
    card_id = did if diag.span is None else f"{did}-card"
    where = _position(source, diag.span, ui)
    code = _esc(diag.code)
    code = f'<a class="code" href="#{did}">{code}</a>' if diag.span else f'<span class="code">{code}</span>'
    parts = [
        f'<div class="card {sev}" id="{card_id}" data-d="{did}">',
        f'<div class="head"><span class="sev">{ui[sev]}</span>{code}<span class="name">{_esc(diag.name)}</span>'
        + (f'<span class="pos">{where}</span>' if where else "")
        + "</div>",
        f'<p class="msg">{_esc(diag.message)}</p>',
    ]
    if diag.help:
        parts.append(f'<p class="help"><b>{ui["help"]}</b>{_esc(diag.help)}</p>')
    if diag.note:
        parts.append(f'<p class="note"><b>{ui["note"]}</b>{_esc(diag.note)}</p>')
    if diag.labels and source is not None:
        items = []
        for j, label in enumerate(diag.labels, 1):
            target = did if label.span == diag.span else f"{did}-l{j}"
            quoted = _clip(source.text[label.span.start : label.span.end], 40)
            items.append(
                f'<li><a href="#{target}">{_position(source, label.span, ui)}</a>'
                f'<q lang="zh-CN">{_esc(quoted)}</q>{_esc(label.message)}</li>'
            )
        parts.append(f'<div class="labels"><b>{ui["labels"]}</b><ul>{"".join(items)}</ul></div>')
    parts.append("</div>")
    return "".join(parts)


def _checklist(result: FileResult, rid: str, ui: dict[str, str], lang: Lang) -> str:
    """The parts the section rules that ran look for: found, missing (their finding) or
    neither (a suppressed finding, a failed rule)."""
    parts = (result.outline or _NO_OUTLINE).parts
    if not parts:
        return ""
    finding_of = {d.code: f"{rid}-d{i}" for i, d in reversed(list(enumerate(result.diagnostics, 1)))}
    items = []
    for part in parts:
        code, span, name = part.code, part.span, _esc(part.name_in(lang))
        if span is not None and result.source is not None:
            line = result.source.position(span.start).line
            heading = _clip(part.heading, 28)
            items.append(
                f'<li class="found"><span class="tick" aria-hidden="true">✓</span>'
                f'<span class="pname">{name}<span class="vh"> ({ui["found"]})</span></span>'
                f'<a class="where" href="#{rid}-L{line}" lang="zh-CN">{_esc(heading)}</a></li>'
            )
        elif code in finding_of:
            items.append(
                f'<li class="missing"><span class="tick" aria-hidden="true">✗</span><span class="pname">{name}</span>'
                f'<span class="where">{ui["missing"]} '
                f'<a class="code" href="#{finding_of[code]}">{_esc(code)}</a></span></li>'
            )
        else:  # the rule ran but has no finding: suppressed, or it failed (E002)
            items.append(
                f'<li class="absent"><span class="tick" aria-hidden="true">–</span><span class="pname">{name}</span>'
                f'<span class="where">{ui["not_checked"]}</span></li>'
            )
    heading = ui["structure"]
    return f'<nav class="parts" aria-label="{heading}"><h3>{heading}</h3><ol>{"".join(items)}</ol></nav>'


def _sidebar_findings(result: FileResult, rid: str, ui: dict[str, str]) -> str:
    if not result.diagnostics:
        return f'<p class="clean">{ui["no_findings"]}</p>'
    items = []
    for i, diag in enumerate(result.diagnostics, 1):
        did, sev = f"{rid}-d{i}", _severity(diag)
        where = _position(result.source, diag.span, ui, "short_position") or ui["whole_file"]
        items.append(
            f'<li><a href="#{did}" data-d="{did}" class="{sev}"><span class="dot" aria-hidden="true"></span>'
            f'<span class="code">{_esc(diag.code)}</span><span class="pos">{where}</span>'
            f'<span class="msg">{_esc(diag.message)}</span></a></li>'
        )
    return (
        f'<nav class="finds" aria-label="{ui["findings"]}"><h3>{ui["findings"]} ({len(result.diagnostics)})</h3>'
        f"<ol>{''.join(items)}</ol></nav>"
    )


def _source_lines(result: FileResult, rid: str, ui: dict[str, str]) -> Iterator[str]:
    source = result.source
    assert source is not None
    by_line = _pieces_by_line(source, _marks(result, rid))
    cards_by_line: dict[int, list[str]] = {}
    for i, diag in enumerate(result.diagnostics, 1):
        if diag.span is not None:
            line = source.position(diag.span.start).line
            cards_by_line.setdefault(line, []).append(_card(result, diag, f"{rid}-d{i}", ui))
    last = source.line_count
    if source.text.endswith("\n") and last not in by_line:
        last -= 1  # the empty "line" after the final newline is no line of the report
    for n in range(1, last + 1):
        body = line_html(source.line_text(n), by_line.get(n, []))
        anchor = f"{rid}-L{n}"
        number = f'<a class="no" href="#{anchor}" aria-label="{ui["line"].format(line=n)}">{n}</a>'
        yield f'<div class="ln" id="{anchor}">{number}<span class="tx">{body}</span></div>'
        if n in cards_by_line:
            yield f'<div class="cards">{"".join(cards_by_line[n])}</div>'


def _report(i: int, result: FileResult, ui: dict[str, str], lang: Lang) -> str:
    rid = f"r{i}"
    errors, warnings, infos = counts([result])
    badges = (
        "".join(
            f'<span class="badge {sev}">{ui[sev]} {n}</span>'
            for sev, n in zip(SEVERITIES, (errors, warnings, infos), strict=True)
            if n
        )
        or f'<span class="badge ok">{ui["no_findings"]}</span>'
    )
    doc_title = (result.outline or _NO_OUTLINE).title
    title = f'<p class="doc-title" lang="zh-CN">{_esc(doc_title)}</p>' if doc_title else ""
    whole = "".join(
        _card(result, d, f"{rid}-d{j}", ui)
        for j, d in enumerate(result.diagnostics, 1)
        if d.span is None or result.source is None
    )
    heading = ui["whole_file"]
    whole_html = f'<section class="whole" aria-label="{heading}"><h3>{heading}</h3>{whole}</section>' if whole else ""
    if result.source is None:
        text_html = f'<p class="unreadable">{ui["unreadable"]}</p>'
    else:
        lines = "\n".join(_source_lines(result, rid, ui))  # a line per source line: readable snapshot diffs
        text_html = f'<div class="src" lang="zh-CN" aria-label="{ui["text"]}">\n{lines}\n</div>'
    return (
        f'<article class="report" id="{rid}" aria-labelledby="{rid}-h">'
        f'<header class="rhead"><h2 id="{rid}-h">{_esc(result.path)}</h2>{title}'
        f'<div class="badges">{badges}<a class="back" href="#index">{ui["back"]} ↑</a></div></header>'
        f'<div class="cols"><aside class="side">{_checklist(result, rid, ui, lang)}'
        f"{_sidebar_findings(result, rid, ui)}</aside>"
        f'<div class="paper">{whole_html}{text_html}</div></div></article>'
    )


# --------------------------------------------------------------------------- entry point


def render_html(results: Sequence[FileResult], out: TextIO, *, lang: Lang) -> None:
    ui = _UI["en" if lang == "en" else "zh"]
    legend = "".join(f'<span class="key {sev}">{ui[sev]}</span>' for sev in SEVERITIES)
    legend += f'<span class="key lab">{ui["label_mark"]}</span>'
    out.write(
        f'<!DOCTYPE html>\n<html lang="{ui["html_lang"]}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="govlint">'
        f"<title>{ui['title']}</title><style>{_CSS}</style></head><body>"
        f'<header class="top"><div class="wrap"><h1>{ui["title"]}</h1>'
        f'<p class="summary">{_esc(summary_line(results, lang))}</p>'
        f'<p class="legend"><span class="vh">{ui["legend"]}: </span>{legend}</p></div></header>'
        f'<main class="wrap">{_index(results, ui)}'
    )
    for i, result in enumerate(results, 1):
        out.write("\n" + _report(i, result, ui, lang))
    out.write(f'\n</main><div id="pop" role="tooltip" hidden></div><script>{_JS}</script></body></html>\n')


_CSS = """
:root{--fg:#1f2328;--muted:#57606a;--bg:#f3f4f6;--paper:#fff;--rule:#d0d7de;--link:#0b57a4;
--brand:#8f1d1d;--err:#b42318;--err-bg:#fde4e1;--warn:#8a5300;--warn-bg:#fff0c2;--info:#1d5fa8;--info-bg:#e2eefc;
--ok:#1a7f37;--hl:#0b57a4}
*{box-sizing:border-box}
html{scroll-behavior:smooth}
body{margin:0;color:var(--fg);background:var(--bg);font-size:16px;line-height:1.8;
font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC","Hiragino Sans GB",sans-serif}
a{color:var(--link)}
.wrap{max-width:80rem;margin:0 auto;padding:0 1.5rem}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.top{background:var(--brand);color:#fff;padding:1.1rem 0 .9rem;border-bottom:4px solid #c9a14a}
.top h1{margin:0;font-size:1.45rem;font-weight:700;letter-spacing:.04em}
.top .summary{margin:.2rem 0 .5rem;opacity:.95}
.legend{margin:0;display:flex;gap:.6rem;flex-wrap:wrap;font-size:.85rem}
.key{padding:0 .5rem;border-radius:3px;color:var(--fg);background:#fff}
.key.error{background:var(--err-bg);box-shadow:inset 0 -2px 0 var(--err)}
.key.warning{background:var(--warn-bg);box-shadow:inset 0 -2px 0 #bf8700}
.key.info{background:var(--info-bg);box-shadow:inset 0 -2px 0 var(--info)}
.key.lab{border-bottom:2px dotted var(--err)}
h2,h3{line-height:1.4}
.index{background:var(--paper);margin:1.5rem 0;padding:1rem 1.5rem 1.25rem;border:1px solid var(--rule);
border-radius:6px}
.index h2{margin:.2rem 0 .8rem;font-size:1.15rem}
table{border-collapse:collapse;width:100%}
th,td{padding:.45rem .75rem;border-bottom:1px solid var(--rule);text-align:left;vertical-align:top}
thead th{font-size:.85rem;color:var(--muted);font-weight:600}
tbody th{font-weight:400}
tbody th a{font-weight:600;word-break:break-all}
.sub{display:block;color:var(--muted);font-size:.85rem}
.n{text-align:right;width:5.5rem;font-variant-numeric:tabular-nums;font-weight:700}
td.error{color:var(--err)}td.warning{color:var(--warn)}td.info{color:var(--info)}
td.zero{color:#6e7781;font-weight:400}
tfoot th,tfoot td{border-bottom:0;border-top:2px solid var(--rule)}
.report{margin:2rem 0 3rem;scroll-margin-top:1rem}
.rhead{border-bottom:2px solid var(--brand);padding-bottom:.6rem;margin-bottom:1rem}
.rhead h2{margin:0;font-size:1.2rem;word-break:break-all}
.doc-title{margin:.1rem 0 .3rem;font-size:1.05rem;font-weight:600}
.badges{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap;font-size:.85rem}
.badge{padding:.05rem .6rem;border-radius:999px;font-weight:600}
.badge.error{background:var(--err-bg);color:var(--err)}.badge.warning{background:var(--warn-bg);color:var(--warn)}
.badge.info{background:var(--info-bg);color:var(--info)}.badge.ok{background:#dafbe1;color:var(--ok)}
.back{margin-left:auto;font-size:.85rem}
.cols{display:grid;grid-template-columns:18rem minmax(0,1fr);gap:1.5rem;align-items:start}
.side{position:sticky;top:1rem;max-height:calc(100vh - 2rem);overflow:auto;background:var(--paper);
border:1px solid var(--rule);border-radius:6px;padding:.75rem 0 .5rem;font-size:.9rem;line-height:1.55}
.side h3{font-size:.95rem;margin:.1rem 1rem .5rem}
.side ol{list-style:none;margin:0 0 .75rem;padding:0}
.parts li{display:grid;grid-template-columns:1.4rem 1fr;padding:.3rem 1rem}
.parts .tick{font-weight:700;grid-row:span 2}
.parts .found .tick{color:var(--ok)}.parts .missing .tick{color:var(--err)}
.parts .pname{font-weight:600}
.parts .where{font-size:.85rem;color:var(--muted)}
.parts .missing .where{color:var(--err);font-weight:600}
.parts .missing{background:#fff5f4}
.parts .absent .tick,.parts .absent .pname{color:var(--muted)}
.finds{border-top:1px solid var(--rule);padding-top:.6rem}
.finds a{display:grid;grid-template-columns:.9rem auto 1fr;column-gap:.4rem;padding:.35rem 1rem;color:var(--fg);
text-decoration:none;border-left:3px solid transparent}
.finds a:hover,.finds a:focus-visible{background:#f6f8fa}
.finds a.active{background:#e8f1fb;border-left-color:var(--hl)}
.finds .dot{width:.6rem;height:.6rem;border-radius:50%;margin-top:.45rem;background:var(--info)}
.finds .error .dot{background:var(--err)}.finds .warning .dot{background:#d29922}
.finds .code{font-weight:700;font-family:ui-monospace,"Noto Sans Mono CJK SC",monospace;font-size:.85rem}
.finds .pos{color:var(--muted);font-size:.8rem;justify-self:end}
.finds .msg{grid-column:2/4;color:#32383f;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;
overflow:hidden}
.clean{margin:.5rem 1rem;color:var(--ok);font-weight:600}
.paper{background:var(--paper);border:1px solid var(--rule);border-radius:6px;padding:1.25rem 1.5rem 1.5rem 0;
min-width:0}
.whole{margin:0 0 1.25rem 1.5rem}
.whole h3{font-size:.95rem;margin:0 0 .5rem}
.unreadable{margin-left:1.5rem;color:var(--muted)}
.src{font-size:1.0625rem}
.ln{display:grid;grid-template-columns:3.75rem minmax(0,46em);align-items:baseline;scroll-margin-top:40vh}
.ln:target{background:#fff8c5}
.no{color:#6e7781;text-align:right;padding-right:1rem;font-size:.8rem;text-decoration:none;
font-variant-numeric:tabular-nums;user-select:none;-webkit-user-select:none}
.no:hover{color:var(--link)}
.tx{white-space:pre-wrap;overflow-wrap:anywhere;padding:.15rem 0 .35rem}
.ln:has(>.tx:empty) .no{line-height:1.1}
mark.m{color:inherit;border-radius:2px;cursor:pointer;scroll-margin-top:40vh}
mark.error{background:var(--err-bg);box-shadow:inset 0 -2px 0 var(--err)}
mark.warning{background:var(--warn-bg);box-shadow:inset 0 -2px 0 #bf8700}
mark.info{background:var(--info-bg);box-shadow:inset 0 -2px 0 var(--info)}
mark.lab{background:transparent;box-shadow:none;border-bottom:2px dotted var(--info)}
mark.lab.error{border-bottom-color:var(--err);background:#fff5f4}
mark.lab.warning{border-bottom-color:#bf8700;background:#fffbeb}
mark.m:empty{display:inline-block;width:.5em;height:1.1em;vertical-align:-.15em;border-left:2px solid var(--err);
background:none}
mark.m:focus-visible,mark.m.active,mark.m:target{outline:2px solid var(--hl);outline-offset:1px}
.cards{margin:.2rem 0 .9rem 3.75rem;max-width:46em}
.card{border:1px solid var(--rule);border-left:4px solid var(--info);border-radius:4px;background:#fbfcfd;
padding:.45rem .8rem .5rem;margin:0 0 .5rem;font-size:.9rem;line-height:1.65;scroll-margin-top:30vh}
.card.error{border-left-color:var(--err)}.card.warning{border-left-color:#bf8700}
.card.active,.card:target{box-shadow:0 0 0 2px var(--hl)}
.card .head{display:flex;flex-wrap:wrap;gap:.2rem .6rem;align-items:baseline}
.card .sev{font-weight:700;font-size:.8rem;padding:0 .45rem;border-radius:3px;background:var(--info-bg);
color:var(--info)}
.card.error .sev{background:var(--err-bg);color:var(--err)}.card.warning .sev{background:var(--warn-bg);
color:var(--warn)}
.card .code{font-weight:700;font-family:ui-monospace,"Noto Sans Mono CJK SC",monospace}
.card .name,.card .pos{color:var(--muted);font-size:.8rem}
.card .pos{margin-left:auto}
.card p{margin:.2rem 0}
.card .msg{font-weight:600}
.card b{font-weight:600;color:var(--muted);margin-right:.5em}
.card .labels ul{margin:.1rem 0 0;padding-left:1.2rem}
.card q{margin:0 .5em;background:#f0f2f4;padding:0 .25em;border-radius:2px;quotes:"“" "”"}
#pop{position:absolute;z-index:10;max-width:32rem;width:max-content;filter:drop-shadow(0 4px 12px rgba(0,0,0,.18))}
#pop .card{margin:0;background:#fff}
@media (max-width:60rem){.cols{grid-template-columns:1fr}.side{position:static;max-height:none}}
@media print{
body{background:#fff;font-size:11pt}
.top{background:none;color:#000;border-bottom:2px solid #000;padding:0 0 .5rem}
.wrap{max-width:none;padding:0}
.side,#pop,.back,.legend{display:none}
.cols{display:block}
.paper{border:0;padding:0}
.ln{grid-template-columns:2.5rem minmax(0,1fr)}
.no{padding-right:.6rem}
.cards{margin-left:2.5rem}
.index,.paper,.card{border-color:#999}
.report{break-before:page}
.card{break-inside:avoid}
a{color:inherit;text-decoration:none}
mark.m.error,mark.m.warning,mark.m.info{background:none;box-shadow:none;border:0;text-decoration:underline 1.5px;
text-underline-offset:3px}
mark.error{text-decoration-color:var(--err)}mark.warning{text-decoration-color:#bf8700}
mark.info{text-decoration-color:var(--info)}
mark.lab{text-decoration-style:dotted}
.pc::after{content:"[" attr(data-code) "]";font-size:.75em;font-weight:700;margin-left:.15em}
}
"""

# Hover or focus a mark: its card floats beside it; click pins it and highlights every
# piece of the finding. A link to a finding (sidebar, #hash) highlights it the same way.
_JS = """
(() => {
  const pop = document.getElementById("pop");
  let pinned = null;
  const markOf = (node) => node instanceof Element ? node.closest("mark.m") : null;
  function activate(did) {
    for (const el of document.querySelectorAll(".active")) el.classList.remove("active");
    if (did) for (const el of document.querySelectorAll('[data-d="' + did + '"]')) el.classList.add("active");
  }
  function show(mark) {
    const card = document.getElementById(mark.dataset.d + "-card");
    if (!card) return;
    const copy = card.cloneNode(true);
    for (const el of [copy, ...copy.querySelectorAll("[id]")]) el.removeAttribute("id");
    pop.replaceChildren(copy);
    pop.hidden = false;
    const r = mark.getBoundingClientRect();
    const left = Math.min(r.left, document.documentElement.clientWidth - pop.offsetWidth - 8);
    pop.style.left = Math.max(8, left) + window.scrollX + "px";
    pop.style.top = r.bottom + window.scrollY + 6 + "px";
  }
  function hide() { pinned = null; pop.hidden = true; }
  document.addEventListener("mouseover", (e) => { const m = markOf(e.target); if (m && !pinned) show(m); });
  document.addEventListener("mouseout", (e) => {
    const m = markOf(e.target);
    if (m && !pinned && markOf(e.relatedTarget) !== m) pop.hidden = true;
  });
  document.addEventListener("focusin", (e) => { const m = markOf(e.target); if (m) show(m); });
  document.addEventListener("click", (e) => {
    const m = markOf(e.target);
    if (m) { pinned = m; show(m); activate(m.dataset.d); }
    else if (!pop.contains(e.target)) hide();
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") hide();
    else if (e.key === "Enter" && markOf(e.target)) e.target.click();
  });
  function fromHash() {
    const el = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    activate(el && el.dataset.d);
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
"""
