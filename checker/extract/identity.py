"""Who reports and on which year: the organisation a report names and its report year.

Read from the title block the parser found (``Title.lines``: the 发文字号, the issuing
body's line, the title's own lines) and, for a report without a title naming it, from
the opening sentence ("2023年度,龙门街道在县委……的领导下"). In that order:

1. the title: the words before its year ("青山县司法局2023年法治政府建设年度报告"), before
   关于 ("青山县人民政府关于2023年度……的报告"), or, in a title that opens with its year or
   has none, before the topic ("2023年度青山县法治政府建设……", "李堡政法工作计划总结");
2. the issuing body on a line of its own above the title ("青山县人民政府", "……文件");
3. the 落款 (GB/T 9704 §7.3.5): the issuing body's name on the line above the signature
   date, or before it on the same line;
4. the opening sentence: a name with an organisation's ending right after the year;
5. the 发文字号's 机关代字 ("龙府〔2024〕5号" → 龙府): the issuer, abbreviated as it signs.

Nothing else: a report that names no organisation gets rule S114's info, never a guess
(a web page's 来源 line names the site's department as often as the author).

The normalised name is what reports of one body share from year to year: 区政府 and a
bare 区 read 区人民政府 (a report on 法治政府建设 titled by a place is its government's),
市府 reads 市人民政府, a bare 街道 reads 街道办事处, 管委会 reads 管理委员会; the name as
written is kept beside it.
"""

from __future__ import annotations

import re

from checker.model import Document, Identity, OrganisationSource, Title, YearSource

_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?|[〇零一二三四五六七八九]{4}年度?")
_ABOUT = re.compile(r"关于")
_TOPIC = re.compile(r"法治|法制|依法|政法|全面依法")
# What may stand around a name in a title: spaces, dashes, colons, brackets.
_EDGES = ' \t\u3000-—–:·、()()【】[]《》"“”'
# Words no organisation's name holds: a title's subject or a clause, not who reports.
# (工作 is not among them: 依法治县工作领导小组办公室 is a body.)
_NOT_A_NAME = re.compile(r"推进|加强|坚持|深入|扎实|持续|建设|年度|报告|情况|总结|关于|我们|[,。;;!?,:]")
# Collective words: 全区, 我局, 本单位, 各部门 name no one in particular.
_COLLECTIVE = re.compile(r"^(?:全|我|本|各|某)")
_MIN_NAME, _MAX_NAME = 2, 30
# An organisation's ending, for names read from a sentence (a title's prefix needs none:
# "湄洲岛2021年度……" names its body without one).
_ENDING = (
    r"(?:人民政府|政府|街道办事处|街道|管理委员会|管委会|委员会|办公室|办公厅|司法局|局|厅|委|办|院"
    r"|镇|乡|区|县|市|省|州|盟|旗)"
)
_OPENING = re.compile(
    r"^\s*(?:(?:19|20)\d{2}年度?|今年以来|今年来|一年来|过去一年)\s*[,,]?\s*"
    rf"(?P<name>[\u4e00-\u9fff]{{2,24}}?{_ENDING})"
    r"(?=在|坚持|深入|认真|紧紧|以|全面|围绕|始终|按照|积极|立足|持续|着力|切实|不断|高度|紧扣)"
)
_DOCUMENT_NUMBER = re.compile(r"^(?P<code>[\u4e00-\u9fff]{1,8}?)\s*[〔\[【(]\s*(?:19|20)\d{2}")
_ISSUER_TAIL = re.compile(r"(?:文件|关于)$")

# Normalisation, applied in turn to each name of a (joint) issuer.
_FUNCTIONAL_AREA = re.compile(r"(?:新区|开发区|高新区|园区|景区|度假区|示范区|试验区|合作区|保税区|实验区)$")
_NORMALISE = (
    (re.compile(r"(?<!人民)政府$"), "人民政府"),  # 区政府 → 区人民政府
    (re.compile(r"(?<=[市县区])府$"), "人民政府"),  # 市府 → 市人民政府
    (re.compile(r"街道$"), "街道办事处"),
    (re.compile(r"管委会$"), "管理委员会"),  # 开发区管委会 → 开发区管理委员会
)
_PLACE = re.compile(r"(?:省|市|县|区|镇|乡|旗|州|盟)$")


def normalise_organisation(name: str) -> str:
    """The name reports of one body share from year to year (see the module's docstring);
    a joint issuer's names ("中共青山县委 青山县人民政府") each, joined by one space."""
    return " ".join(_normalise_one(part) for part in name.split())


def _normalise_one(name: str) -> str:
    for pattern, replacement in _NORMALISE:
        if pattern.search(name):
            return pattern.sub(replacement, name)
    if _PLACE.search(name) and not _FUNCTIONAL_AREA.search(name):
        return name + "人民政府"  # a bare place: its government reports
    return name


def report_identity(doc: Document) -> Identity:
    """The report's organisation and year (computed once per document: the engine and
    rule S114 both ask)."""
    return doc.derived("identity", lambda: _identity(doc))


def _identity(doc: Document) -> Identity:
    title = doc.title
    found = _from_title(doc, title) if title else None
    document_number = None
    if title:
        document_number = next((line.text for line in title.lines if line.kind == "document-number"), None)
    found = found or (_from_issuer(doc, title) if title else None) or _from_signature(doc) or _from_opening(doc)
    if found is None and document_number is not None:
        found = _from_document_number(doc, title)
    year_source: YearSource | None = None
    if doc.report_year is not None:
        in_title = title is not None and any(y.span == doc.report_year_span for y in title.years)
        year_source = "title" if in_title else "opening"
    if found is None:
        return Identity(None, None, None, None, doc.report_year, doc.report_year_span, year_source, document_number)
    view_start, view_end, source = found
    span = doc.view.span(view_start, view_end)
    return Identity(
        normalise_organisation(doc.view.text[view_start:view_end]),
        doc.source.text[span.start : span.end],
        span,
        source,
        doc.report_year,
        doc.report_year_span,
        year_source,
        document_number,
    )


_Found = tuple[int, int, OrganisationSource]  # view range of the name, and where it was read


def _name_range(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``text[start:end]`` without the characters around a name, if it reads like one."""
    while start < end and text[start] in _EDGES:
        start += 1
    while end > start and text[end - 1] in _EDGES:
        end -= 1
    name = text[start:end]
    if not _MIN_NAME <= len(name) <= _MAX_NAME or "\n" in name:
        return None
    if _COLLECTIVE.match(name) or _NOT_A_NAME.search(name) or not re.search(r"[\u4e00-\u9fff]", name):
        return None
    return start, end


def _from_title(doc: Document, title: Title) -> _Found | None:
    text = title.text
    about = _ABOUT.search(text)
    year = _YEAR.search(text)
    if about and about.start() > 0:
        found = _name_range(text, 0, about.start())
    elif year and year.start() > 0:
        found = _name_range(text, 0, year.start())
    else:  # the title opens with its year ("2023年度青山县法治政府建设……") or has none
        after = year.end() if year else 0
        topic = _TOPIC.search(text, after)
        found = _name_range(text, after, topic.start()) if topic else None
    if found is None:
        return None
    return title.view_start + found[0], title.view_start + found[1], "title"


def _from_issuer(doc: Document, title: Title) -> _Found | None:
    issuer = next((line for line in title.lines if line.kind == "issuer"), None)
    if issuer is None:
        return None
    tail = _ISSUER_TAIL.search(issuer.text)
    found = _name_range(issuer.text, 0, tail.start() if tail else len(issuer.text))
    if found is None:
        return None
    return issuer.view_start + found[0], issuer.view_start + found[1], "issuer"


_SIGNATURE_NAME = re.compile(rf"^\s*(?P<name>[\u4e00-\u9fff]{{2,30}}?{_ENDING})\s*$")
_SIGNATURE_BESIDE_DATE = re.compile(rf"^\s*(?P<name>[\u4e00-\u9fff]{{2,30}}?{_ENDING})\s+(?:19|20|二)")


def _from_signature(doc: Document) -> _Found | None:
    """The name over the last signature date (a line of its own, or beside the date)."""
    date = next((d for d in reversed(doc.dates) if d.role == "signature"), None)
    if date is None:
        return None
    line = doc.source.line_of(date.span.start)
    beside = next((p for p in doc.paragraphs if p.line == line), None)
    m = _SIGNATURE_BESIDE_DATE.search(beside.text) if beside else None
    if beside is None or m is None:
        # The line just above (title lines and page chrome are no paragraphs: a date at the
        # top of a page has none).
        beside = next((p for p in reversed(doc.paragraphs) if p.line < line), None)
        if beside is None or beside.line != line - 1:
            return None
        m = _SIGNATURE_NAME.search(beside.text)
    if m is None or _name_range(m.group("name"), 0, len(m.group("name"))) is None:
        return None
    return beside.view_start + m.start("name"), beside.view_start + m.end("name"), "signature"


def _from_opening(doc: Document) -> _Found | None:
    paragraph = next((p for p in doc.paragraphs if p.text.strip()), None)
    if paragraph is None:
        return None
    m = _OPENING.search(paragraph.text)
    if m is None or _name_range(m.group("name"), 0, len(m.group("name"))) is None:
        return None
    return paragraph.view_start + m.start("name"), paragraph.view_start + m.end("name"), "opening"


def _from_document_number(doc: Document, title: Title | None) -> _Found | None:
    line = next((line for line in title.lines if line.kind == "document-number"), None) if title else None
    m = _DOCUMENT_NUMBER.search(line.text) if line else None
    if line is None or m is None:
        return None
    return line.view_start + m.start("code"), line.view_start + m.end("code"), "document-number"
