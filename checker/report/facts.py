"""``govlint facts FILE``: what the checker understood, so a reviewer can inspect it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NamedTuple, TextIO

from checker.model import (
    BreakdownFact,
    ChangeFact,
    CountFact,
    Facts,
    GrowthFact,
    Identity,
    MultipleFact,
    RateFact,
    RatePointsFact,
    ShareFact,
    SourceText,
    Span,
    Table,
)  # fmt: skip
from checker.report.problem import report_identity


def _where(source: SourceText, span: Span) -> str:
    position = source.position(span.start)
    return f"{position.line}:{position.column}"


def identity_record(identity: Identity, source: SourceText) -> dict[str, Any]:
    """Whose report it is and on which year (the JSON's ``report`` object), with where the
    report says so (``organisation_at``, ``year_at``: line:column, or None)."""
    record = report_identity(identity)
    assert record is not None  # an identity was given
    return {
        **record._asdict(),
        "organisation_at": _where(source, identity.span) if identity.span else None,
        "year_at": _where(source, identity.year_span) if identity.year_span else None,
    }


def _quantity(fact: CountFact | RateFact | ChangeFact | MultipleFact) -> dict[str, Any]:
    q = fact.quantity
    return {
        "text": fact.text,
        "value": str(q.value),
        "lower": None if q.lower is None else str(q.lower),
        "upper": None if q.upper is None else str(q.upper),
        "approx": q.approx,
        "unit": q.unit,
    }


def fact_records(facts: Facts, source: SourceText) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for c in facts.counts:
        records.append(
            {"type": "count", "at": _where(source, c.span), "role": c.role, "object": c.object,
             "unit_class": c.unit_class, **_quantity(c)}
        )
    for r in facts.rates:
        records.append({"type": "rate", "at": _where(source, r.span), "name": r.name, **_quantity(r)})
    for sh in facts.shares:
        records.append(_share(sh, source))
    for ch in facts.changes:
        records.append(
            {"type": "change", "at": _where(source, ch.span), "direction": "down" if ch.direction < 0 else "up",
             "about_rate": ch.about_rate, **_quantity(ch)}
        )
    for m in facts.multiples:
        records.append(
            {"type": "multiple", "at": _where(source, m.span), "ratio": str(m.ratio), "word": m.word, **_quantity(m)}
        )
    for b in facts.breakdowns:
        records.append(_breakdown(b, source))
    for g in facts.growths:
        records.append(_growth(g, source))
    for rp in facts.rate_points:
        records.append(_rate_points(rp, source))
    for e in facts.enumerations:
        at = _where(source, e.stated.span)
        records.append({"type": "enumeration", "at": at, "stated": e.stated.text, "items": list(e.items)})
    for t in facts.tables:
        records.append(_table(t, source))
    records.sort(key=lambda r: tuple(int(x) for x in r["at"].split(":")))
    return records


def _share(sh: ShareFact, source: SourceText) -> dict[str, Any]:
    return {
        "type": "share",
        "at": _where(source, sh.span),
        "name": sh.name,
        "part": sh.part.text if sh.part else None,
        "bases": [b.text for b in sh.bases],
        "bound_to_total": sh.bound_to_total,
        **_quantity(sh),
    }


def _table(t: Table, source: SourceText) -> dict[str, Any]:
    """A table's shape: its size and the lines its labels made totals, parts and rates."""

    def rows(indices: tuple[int, ...]) -> list[str]:
        return [t.row_label(r) or str(r + 1) for r in indices]

    def columns(indices: tuple[int, ...]) -> list[str]:
        return [t.column_label(c) or str(c + 1) for c in indices]

    return {
        "type": "table",
        "at": _where(source, t.span),
        "text": t.label,
        "layout": t.layout,
        "rows": t.row_count,
        "columns": t.column_count,
        "header_rows": t.header_rows,
        "label_columns": t.label_columns,
        "total_rows": rows(t.total_rows),
        "subtotal_rows": rows(t.subtotal_rows),
        "part_rows": rows(t.part_rows),
        "total_columns": columns(t.total_columns),
        "subtotal_columns": columns(t.subtotal_columns),
        "part_columns": columns(t.part_columns),
        "rate_columns": columns(t.rate_columns),
        "skipped_columns": columns(t.skipped_columns),
        "side_by_side": t.side_by_side,
        "ragged": t.ragged,
    }


def _table_details(r: dict[str, Any]) -> str:
    shown = (
        ("合计行", "total_rows"), ("小计行", "subtotal_rows"), ("其中行", "part_rows"), ("合计列", "total_columns"),
        ("小计列", "subtotal_columns"), ("其中列", "part_columns"), ("比率列", "rate_columns"),
        ("不求和", "skipped_columns"),
    )  # fmt: skip
    if r["side_by_side"]:
        return "blocks side by side: not checked"
    if r["ragged"]:
        return "rows of different widths (merged cells copied as text): not checked"
    return "; ".join(f"{name}: {'、'.join(r[key])}" for name, key in shown if r[key]) or "no totals recognised"


def _breakdown(b: BreakdownFact, source: SourceText) -> dict[str, Any]:
    return {
        "type": "breakdown",
        "at": _where(source, b.marker_span),
        "marker": b.marker,
        "exhaustive": b.exhaustive,
        "total": b.total.text,
        "parts": [p.text for p in b.parts],
    }


def _growth(g: GrowthFact, source: SourceText) -> dict[str, Any]:
    return {
        "type": "growth",
        "at": _where(source, (g.before or g.after).span),
        "shape": g.shape,
        "before": g.before.text if g.before else None,
        "after": g.after.text,
        "stated_percent": g.stated_percent.text if g.stated_percent else None,
        "stated_delta": g.stated_delta.text if g.stated_delta else None,
        "stated_multiple": g.stated_multiple.text if g.stated_multiple else None,
        "multiple_ratio": str(g.stated_multiple.ratio) if g.stated_multiple else None,
    }


def _rate_points(r: RatePointsFact, source: SourceText) -> dict[str, Any]:
    return {
        "type": "rate-points",
        "at": _where(source, r.rate.span),
        "name": r.rate.name,
        "prior": r.prior.text,
        "current": r.rate.text,
        "stated_points": r.points.text,
    }


class FactsReport(NamedTuple):
    """What ``govlint facts`` shows of one report."""

    path: str
    report: dict[str, Any]  # identity_record
    facts: list[dict[str, Any]]  # fact_records


def render_facts_json(reports: Sequence[FactsReport], out: TextIO) -> None:
    """One JSON array, an item ``{"path", "report", "facts"}`` per report, however many there are."""
    json.dump([r._asdict() for r in reports], out, ensure_ascii=False, indent=2)
    out.write("\n")


def identity_line(report: dict[str, Any]) -> str:
    """One line naming the report's organisation and year, and where each was read."""
    if report["organisation"] is None:
        organisation = "organisation: not found (S114)"
    else:
        written = report["organisation_written"]
        as_written = f" (written “{written}”)" if written != report["organisation"] else ""
        organisation = (
            f"organisation: {report['organisation']}{as_written}"
            f" from the {report['organisation_source']} at {report['organisation_at']}"
        )
    year = "year: not found"
    if report["year"] is not None:
        year = f"year: {report['year']} from the {report['year_source']} at {report['year_at']}"
    number = f"; 发文字号 {report['document_number']}" if report["document_number"] else ""
    return f"{organisation}; {year}{number}"


def render_facts_table(facts: FactsReport, out: TextIO, *, color: bool) -> None:
    from rich.table import Table

    from checker.report.console import console as make_console

    records = facts.facts
    table = Table(header_style="bold", show_lines=False)
    for column in ("at", "type", "text", "role / name", "value", "details"):
        table.add_column(column, no_wrap=column in ("at", "type"))
    for r in records:
        kind = r["type"]
        if kind == "count":
            label, value = r["role"] or "", _bounds(r)
            details = " ".join(x for x in (r["object"], f"[{r['unit_class']}]") if x)
        elif kind == "rate":
            label, value, details = r["name"], _bounds(r), ""
        elif kind == "share":
            label, value = r["name"], _bounds(r)
            details = f"{r['part']} / {' or '.join(r['bases']) or '?'}" if r["part"] else ""
            if r["bound_to_total"]:
                details += f" (the one total of the paragraph: {r['bound_to_total']})"
        elif kind == "change":
            label, value = r["direction"], _bounds(r)
            details = f"change of {r['about_rate']}" if r["about_rate"] else ""
        elif kind == "breakdown":
            label, value = r["marker"], r["total"]
            details = (" = " if r["exhaustive"] else " ⊇ ") + " + ".join(r["parts"])
        elif kind == "enumeration":
            label, value, details = "", r["stated"], "、".join(r["items"])
        elif kind == "multiple":
            label, value = r["word"], _bounds(r)
            details = f"× {r['ratio']} of last year"
        elif kind == "table":
            label, value, details = r["layout"], f"{r['rows']}×{r['columns']}", _table_details(r)
        elif kind == "rate-points":
            label, value, details = r["name"], f"{r['prior']} → {r['current']}", r["stated_points"]
        else:
            before = r["before"] or f"{r['after']} ∓ {r['stated_delta']}"
            label, value = r["shape"], f"{before} → {r['after']}"
            multiple = r["stated_multiple"] and f"{r['stated_multiple']} (× {r['multiple_ratio']})"
            details = " ".join(x for x in (r["stated_percent"], r["stated_delta"], multiple) if x)
        text = r.get("text", "")
        table.add_row(r["at"], kind, text, label, value, details)
    console = make_console(
        file=out, force_terminal=color, no_color=not color, highlight=False, width=200 if not color else None
    )
    console.print(facts.path, identity_line(facts.report), sep="\n", soft_wrap=True, markup=False)
    console.print(table)


def _bounds(r: dict[str, Any]) -> str:
    if r["lower"] == r["upper"]:
        return str(r["value"])
    low = r["lower"] if r["lower"] is not None else ""
    high = r["upper"] if r["upper"] is not None else ""
    return f"{r['value']} ({low}…{high})"
