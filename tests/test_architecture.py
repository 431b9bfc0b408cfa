"""The layers of docs/architecture.md, checked against every import of checker/.

Each module belongs to one layer; it may import the layers below its own (or only those
its layer names: the renderers read results, never the pipeline), and within its own
layer only its own package (checker.report.html → checker.report.summary), unless the
layer lets its modules build on each other. Every import counts: at the top of a module,
inside a function (a lazy import) and under ``if TYPE_CHECKING:`` alike, and so does
importing a private name (``_x``) of another module. Besides, no module may reach itself
through imports (no cycle).

KNOWN_VIOLATIONS lists what today's code still breaks, each with what removes it. The list
may only shrink: an entry that no longer happens fails the test, so remove it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from conftest import ROOT

PACKAGE = ROOT / "checker"


class Layer(NamedTuple):
    name: str
    modules: tuple[str, ...]  # a module, or a package with everything in it
    siblings_import: bool = False  # may its modules import each other (no cycle still)?
    only: tuple[str, ...] | None = None  # the lower layers it may import; None: all of them


# Bottom first; the same table as docs/architecture.md.
LAYERS = (
    Layer("base", ("checker.atomic", "checker.messages", "checker.numerals", "checker.version")),
    Layer("cache", ("checker.cache",)),
    Layer("utilities", ("checker.regexcache",)),
    Layer("model", ("checker.model",)),
    Layer("load", ("checker.load",)),
    Layer("normalize", ("checker.normalize",)),
    Layer("tables", ("checker.tables",)),
    Layer("parse", ("checker.parse",)),
    Layer("extract", ("checker.extract",)),
    Layer("expr", ("checker.expr",)),
    Layer("checks", ("checker.checks",)),
    Layer("rules", ("checker.rule", "checker.ruleset", "checker.ruleschema"), siblings_import=True),
    Layer("selection", ("checker.selection", "checker.files", "checker.suppress", "checker.outline")),
    Layer("engine", ("checker.engine",)),
    Layer("across", ("checker.crossfile",)),
    Layer("config", ("checker.config",)),
    Layer("runner", ("checker.runner",)),
    Layer("report", ("checker.report",), only=("base", "cache", "utilities", "model", "rules")),
    Layer("outputs", ("checker.fix", "checker.annotate", "checker.baseline")),
    Layer("streaming", ("checker.streaming",)),
    Layer("api", ("checker.api",)),
    Layer("serve", ("checker.serve",)),
    Layer("cli", ("checker.cli", "checker")),  # checker/__init__.py exports the API lazily
)

# (importer, imported) → what removes it.
KNOWN_VIOLATIONS: dict[tuple[str, str], str] = {
}


class Import(NamedTuple):
    importer: str
    imported: str
    names: tuple[str, ...]  # the names taken from it (empty for ``import x``)
    line: int


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(module: str) -> Iterator[Import]:
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "checker":
                    yield Import(module, alias.name, (), node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, up level - 1
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            if base.split(".")[0] != "checker":
                continue
            names = []
            for alias in node.names:
                if f"{base}.{alias.name}" in MODULES:  # from checker import cache: the module
                    yield Import(module, f"{base}.{alias.name}", (), node.lineno)
                else:
                    names.append(alias.name)
            if names:
                yield Import(module, base, tuple(names), node.lineno)


def all_imports() -> list[Import]:
    return [imp for module in MODULES for imp in imports_of(module) if imp.imported != imp.importer]


def entry_of(module: str) -> tuple[int, str]:
    """The layer of ``module`` and the entry that holds it."""
    for index, layer in enumerate(LAYERS):
        for entry in layer.modules:
            if module == entry or (entry != "checker" and module.startswith(entry + ".")):
                return index, entry
    raise AssertionError(f"{module} is in no layer: add it to LAYERS here and to docs/architecture.md")


def breaks_layers(imp: Import) -> bool:
    (source, source_entry), (target, target_entry) = entry_of(imp.importer), entry_of(imp.imported)
    allowed = LAYERS[source].only
    if target > source or (target < source and allowed is not None and LAYERS[target].name not in allowed):
        return True
    if target == source and source_entry != target_entry and not LAYERS[source].siblings_import:
        return True
    return any(name.startswith("_") for name in imp.names) and not imp.imported.startswith(source_entry)


def violations() -> dict[tuple[str, str], list[Import]]:
    found: dict[tuple[str, str], list[Import]] = {}
    for imp in all_imports():
        if breaks_layers(imp):
            found.setdefault((imp.importer, imp.imported), []).append(imp)
    return found


def test_every_module_is_in_a_layer() -> None:
    for module in MODULES:
        entry_of(module)


def test_no_import_runs_back_up() -> None:
    new = {edge: found for edge, found in violations().items() if edge not in KNOWN_VIOLATIONS}
    assert not new, "\n".join(
        f"{imp.importer}:{imp.line} imports {imp.imported} {list(imp.names) or ''} against the layers"
        for found in new.values()
        for imp in found
    )


def test_known_violations_still_happen() -> None:
    """Remove an entry of KNOWN_VIOLATIONS once the code no longer does it."""
    edges = {(imp.importer, imp.imported) for imp in all_imports()}
    gone = [edge for edge in KNOWN_VIOLATIONS if edge not in edges or (edge not in violations() and not cyclic(edge))]
    assert not gone, f"no longer happens, remove from KNOWN_VIOLATIONS: {gone}"


def graph(skip_known: bool) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {module: set() for module in MODULES}
    for imp in all_imports():
        if not (skip_known and (imp.importer, imp.imported) in KNOWN_VIOLATIONS):
            edges[imp.importer].add(imp.imported)
    return edges


def reaches(edges: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, stack = set(), [start]
    while stack:
        module = stack.pop()
        if module == goal:
            return True
        if module not in seen:
            seen.add(module)
            stack.extend(edges.get(module, ()))
    return False


def cyclic(edge: tuple[str, str]) -> bool:
    """Whether the import ``edge`` closes a cycle."""
    return reaches(graph(skip_known=False), edge[1], edge[0])


def test_no_cycle() -> None:
    edges = graph(skip_known=True)
    cycles = sorted((a, b) for a, targets in edges.items() for b in targets if reaches(edges, b, a))
    assert not cycles, f"imports that close a cycle: {cycles}"


def test_the_reader_sees_lazy_and_type_checking_imports() -> None:
    """The reader is what the test stands on: it must see imports in functions and under
    TYPE_CHECKING, and resolve ``from checker import x`` to the module checker.x."""
    found = {(imp.importer, imp.imported) for imp in all_imports()}
    assert ("checker.engine", "checker.extract.claims") in found  # inside analyse()
    assert ("checker.report", "checker.ruleset") in found  # under TYPE_CHECKING
    assert ("checker.normalize", "checker.cache") in found  # from checker import cache
    assert ("checker.cli", "checker") not in found


def test_the_documented_table_is_this_one() -> None:
    """docs/architecture.md lists the same layers, bottom first, with the same modules
    and the same restrictions."""
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    documented = []
    for row in doc.splitlines():
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        if len(cells) == 3 and cells[1].startswith("`checker") and "/" not in cells[1]:
            name, modules, may_import = cells
            only = None if may_import.startswith(("below", "nothing")) else may_import.partition(":")[0]
            documented.append((name, tuple(m.strip(" `") for m in modules.split(",")), only))
    assert documented == [(layer.name, layer.modules, layer.only and ", ".join(layer.only)) for layer in LAYERS]


def test_what_breaks_the_layers() -> None:
    def breaks(importer: str, imported: str, *names: str) -> bool:
        return breaks_layers(Import(importer, imported, names, 1))

    assert breaks("checker.model", "checker.normalize")  # back up
    assert breaks("checker.report.html", "checker.engine")  # below, but not what a renderer may read
    assert breaks("checker.fix", "checker.annotate")  # a sibling of its layer
    assert breaks("checker.engine", "checker.parse", "_private")  # a private name of another module
    assert not breaks("checker.report.html", "checker.report.summary")  # its own package
    assert not breaks("checker.report.sarif", "checker.ruleset")  # a layer it may read
    assert not breaks("checker.ruleschema", "checker.ruleset")  # a layer whose modules build on each other
    assert not breaks("checker.load.pdf", "checker.load.text", "_x")  # its own package's private name
    assert not breaks("checker.cli", "checker.api")
