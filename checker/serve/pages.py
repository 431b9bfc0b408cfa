"""The desk's HTML, rendered on the server: the page and the table of reports (which the
script fetches again while reports are being checked). Chinese only: the desk is for
reviewers at a 司法局 or 依法治市办. Every piece of text from a report or a file name is
escaped; the page loads its script and style from its own origin only.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from checker.load.limits import MAX_FILE_BYTES
from checker.model import FileResult
from checker.report.summary import counts
from checker.serve import PAGE_TITLE
from checker.serve.desk import DONE, FAILED, QUEUED, REFUSED, RUNNING, Item
from checker.serve.uploads import ACCEPTED_SUFFIXES

# The profile choice that leaves it to the report's title (checker.engine.with_profile), the default.
AUTOMATIC_PROFILE = "auto"

LATE_CODE = "D302"  # published-late: the one rule that says a report was not on time

_STATE_WORDS = {QUEUED: "排队中", RUNNING: "检查中", DONE: "完成", REFUSED: "未检查", FAILED: "出错"}


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def page(rows: str, pending: int) -> str:
    """The desk: choices, the drop zone, the table of reports."""
    accept = ",".join(ACCEPTED_SUFFIXES)
    formats = " ".join(s for s in ACCEPTED_SUFFIXES if s != ".htm")
    limit_mb = MAX_FILE_BYTES // 2**20
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{PAGE_TITLE}</title>
<link rel="stylesheet" href="/static/desk.css">
<script src="/static/desk.js" defer></script>
</head><body>
<a class="skip" href="#reports">跳到报告一览</a>
<header><h1>法治政府建设年度报告审查台</h1>
<p>报告只在本机检查,不会发送到任何其他地方。关闭页面一分钟后,上传的文件和结果即被删除。</p></header>
<main>
<form id="upload" method="post" action="/upload" enctype="multipart/form-data" data-max-bytes="{MAX_FILE_BYTES}">
<fieldset id="choices"><legend>检查设置(保存在本浏览器中)</legend>
<label>报告类型 <select name="profile" id="profile">
<option value="{AUTOMATIC_PROFILE}" selected>按标题自动判断</option>
<option value="annual">法治政府建设年度报告</option>
<option value="disclosure">政府信息公开工作年度报告</option>
<option value="summary">工作总结(不检查五个必备部分)</option>
</select></label>
<label>公开截止日期(次年,月-日) <input name="deadline" id="deadline" value="03-31" size="6"
 pattern="[0-9]{{2}}-[0-9]{{2}}" inputmode="numeric" aria-describedby="deadline-help"></label>
<span id="deadline-help" class="help">默认 03-31:次年 4 月 1 日前公开
(法治政府建设年度报告;政府信息公开年度报告的期限另有规定)</span>
<label>只检查这些规则 <input name="select" id="select" placeholder="全部规则,或如 S,D301" size="16"></label>
<label>不检查这些规则 <input name="ignore" id="ignore" placeholder="如 T404" size="16"></label>
</fieldset>
<div id="drop" class="drop">
<p><strong>把报告文件拖到这里</strong>,可一次多个,或整个文件夹的 .zip 压缩包</p>
<p><label class="button" for="files">选择文件…</label>
<input id="files" name="file" type="file" multiple accept="{accept}"></p>
<p class="help">接受 {formats};每个文件不超过 {limit_mb} MB。</p>
<noscript><p><button type="submit">上传并检查</button></p></noscript>
</div>
</form>
<ul id="uploads" aria-live="polite" aria-label="上传进度"></ul>
<section aria-labelledby="reports-heading" id="reports" tabindex="-1">
<h2 id="reports-heading">报告一览</h2>
<p class="downloads">全部下载:<a href="/download/all/summary.xlsx">汇总表(Excel)</a>
<a href="/download/all/summary.csv">汇总表(CSV)</a>
<a href="/download/all/annotated.zip">批注版 Word(zip)</a>
<a href="/download/all/results.json">检查结果 JSON</a></p>
<table><thead><tr><th scope="col">文件</th><th scope="col">单位</th><th scope="col">年度</th>
<th scope="col">必备部分</th><th scope="col">错误</th><th scope="col">警告</th><th scope="col">按时公开</th>
<th scope="col">状态</th><th scope="col">查看与下载</th></tr></thead>
<tbody id="rows" data-pending="{pending}" aria-live="polite">{rows}</tbody></table>
<form method="post" action="/clear"><button type="submit" id="clear">删除全部文件和结果</button></form>
</section>
</main></body></html>
"""


def rows(items: Iterable[Item]) -> str:
    """The table's rows; an empty table says how to start."""
    cells = [_row(item) for item in items]
    return "".join(cells) or '<tr><td colspan="9" class="empty">还没有报告:把文件拖到上面的方框里。</td></tr>'


def _row(item: Item) -> str:
    state = f'<td class="state {item.state}">{_STATE_WORDS[item.state]}'
    if item.reason:
        state += f'<span class="reason">{_esc(item.reason)}</span>'
    state += "</td>"
    name = f'<th scope="row">{_esc(item.shown)}</th>'
    result = item.result
    if result is None:
        return f'<tr id="item-{item.id}">{name}{"<td></td>" * 6}{state}<td></td></tr>'
    organisation, year = identity(result)
    errors, warnings, _ = counts([result])
    links = [f'<a href="/report/{item.id}">审查页</a>']
    if item.annotated is not None:
        links.append(f'<a href="/download/{item.id}/annotated.docx">批注版 Word</a>')
    links.append(f'<a href="/download/{item.id}/summary.xlsx">汇总表</a>')
    links.append(f'<a href="/download/{item.id}/result.json">JSON</a>')
    return (
        f'<tr id="item-{item.id}">{name}<td>{_esc(organisation)}</td><td>{_esc(year)}</td>'
        f"<td>{_parts(result)}</td>"
        f'<td class="{"bad" if errors else "num"}">{errors}</td>'
        f'<td class="{"warn" if warnings else "num"}">{warnings}</td>'
        f"<td>{_on_time(result)}</td>{state}<td>{' '.join(links)}</td></tr>"
    )


def identity(result: FileResult) -> tuple[str, str]:
    """(organisation, year) as the report says them (checker.extract.identity): the name as
    written, or a note that none was found; never a guess."""
    found = result.identity
    if found is None:
        return "", ""
    organisation = found.written or found.organisation or "(未找到单位)"
    return organisation, str(found.year) if found.year else ""


def _parts(result: FileResult) -> str:
    """``4/5`` parts found, the missing ones named; nothing when no part rule ran."""
    parts = result.outline.parts if result.outline is not None else ()
    if not parts:
        return "—"
    missing = [part.name for part in parts if part.span is None]
    found = f"{len(parts) - len(missing)}/{len(parts)}"
    if not missing:
        return f'<span class="ok">{found} 齐全</span>'
    return f'<span class="bad">{found}</span> <span class="reason">缺:{_esc("、".join(missing))}</span>'


def _on_time(result: FileResult) -> str:
    if result.source is None:
        return ""
    if any(d.code == LATE_CODE for d in result.diagnostics):
        return '<span class="bad">逾期</span>'
    return '<span class="ok">未见逾期</span>'
