"""The shape of the package: no import cycles, inside functions included."""

from __future__ import annotations

import ast

from conftest import ROOT

PACKAGE = ROOT / "handouts"


def _modules() -> dict[str, object]:
    mods = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mods[name] = path
    return mods


def import_graph() -> dict[str, set[str]]:
    """Module -> the handouts modules it imports, at the top or inside a function.

    ``from handouts.pkg import module`` counts as importing that module, not its package.
    """
    mods = _modules()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("handouts"):
                subs = [f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in mods]
                targets = subs if len(subs) == len(node.names) else [node.module, *subs]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name.startswith("handouts")]
            graph[name] |= {t for t in targets if t in mods and t != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_import_graph_has_no_cycle():
    assert _cycles(import_graph()) == []


def test_the_cycle_check_can_fail():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]


def _unexplained_imports_in_functions() -> list[str]:
    """Imports inside functions without a ``# lazy:`` reason, outside ``handouts/cli/``.

    The command line imports Handouts' own modules inside its commands so that ``handouts --help``
    loads only click; anywhere else an import inside a function must say why it is lazy (an optional
    or platform-specific module, a renderer only one kind of document needs), on its line or on a
    comment line directly above its block of imports."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "cli" in path.relative_to(PACKAGE).parts[:1]:
            continue
        lines = path.read_text(encoding="utf-8").split("\n")
        for fn in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(fn):
                if isinstance(node, (ast.Import, ast.ImportFrom)) and not _says_lazy(lines, node.lineno - 1):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return found


def _says_lazy(lines: list[str], i: int) -> bool:
    if "# lazy" in lines[i]:
        return True
    j = i - 1
    while j >= 0 and lines[j].strip().startswith(("from ", "import ", ")")) or lines[j].strip() == "":
        j -= 1
    above = lines[j].strip() if j >= 0 else ""
    return above.startswith("# lazy") or above.startswith("try:  # lazy")


def test_imports_inside_functions_say_why_they_are_lazy():
    assert _unexplained_imports_in_functions() == []


def test_the_lazy_import_check_can_fail():
    assert not _says_lazy(["def f():", "    import os"], 1)
    assert _says_lazy(["def f():", "    # lazy: reason", "    import os", "    import sys"], 3)


def _map_entries() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Module map", 1)[1].split("\n### ", 1)[0]
    return {line.split("`")[1] for line in section.splitlines() if line.startswith("- `handouts/")}


def _package_entries() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        found.add(rel.removesuffix("__init__.py") if path.name == "__init__.py" else rel)
    return found


def test_the_readme_module_map_matches_the_package():
    entries, modules = _map_entries(), _package_entries()
    assert sorted(modules - entries) == [], "modules missing from the README's module map"
    assert sorted(entries - modules) == [], "the README's module map names modules that do not exist"


#: Layers, lowest first: a module imports only modules of its own layer or lower ones.
LAYERS = [
    # shared facts: the model, limits, errors, labels, fonts' glyphs, text escaping, paths
    {
        "handouts",
        "model",
        "limits",
        "errors",
        "glyphs",
        "colour",
        "text",
        "paths",
        "i18n",
        "resources",
        "compose",
        "checkedjson",
        "cachedir",
        "deferred",
        "records",
        "initialisers",
        "perthread",
    },
    # the bottom of reading (nodes with positions, typed fields, shapes) and of writing (pdf)
    {"read.nodes", "read.fields", "read.shapes", "read.schema", "read.record", "pdf"},
    # pictures: read from figure files and drawn for pages
    {"figures"},
    # reading the library, programmes and CSV; rendering documents (never one from the other)
    {"read", "render"},
    # driving them: the library layer, builds, the manifest, the download page, init
    {"api", "build", "manifest", "fingerprint", "site", "starter"},
    # the ways in
    {"cli", "desk", "__main__"},
]


def _layer(module: str) -> tuple[int, str]:
    name = module.removeprefix("handouts.") if module != "handouts" else "handouts"
    for rank, members in enumerate(LAYERS):
        for member in sorted(members, key=len, reverse=True):
            if name == member or name.startswith(member + "."):
                return rank, member
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def _layer_breaks(graph: dict[str, set[str]]) -> list[str]:
    breaks = []
    for module, deps in sorted(graph.items()):
        rank, group = _layer(module)
        for dep in sorted(deps):
            dep_rank, dep_group = _layer(dep)
            upward = dep_rank > rank
            across = dep_rank == rank == 3 and {group, dep_group} == {"read", "render"}
            if upward or across:
                breaks.append(f"{module} -> {dep}")
    return breaks


def test_the_pipeline_runs_one_way():
    """read -> render -> pdf; build, api and the site drive them; the CLI and the desk call them:
    following paper, lang or large_print from the command line to the page goes downward only."""
    assert _layer_breaks(import_graph()) == []


def test_the_layer_check_can_fail():
    graph = {"handouts.read.library": {"handouts.render.sheet"}, "handouts.model": {"handouts.build"}}
    assert _layer_breaks(graph) == [
        "handouts.model -> handouts.build",
        "handouts.read.library -> handouts.render.sheet",
    ]


#: Modules of a few hundred lines named for what they hold; functions that fit a screen.
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def _too_long(paths) -> list[str]:
    found = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES:
            found.append(f"{path.name}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    found.append(f"{path.name}: {node.name}() {n} lines")
    return found


def test_no_module_or_function_is_too_long():
    assert _too_long(sorted(PACKAGE.rglob("*.py"))) == []


def test_the_length_check_can_fail(tmp_path):
    long = tmp_path / "long.py"
    long.write_text("def f():\n" + "    x = 1\n" * 81 + "\n" * 330, encoding="utf-8")
    assert _too_long([long]) == ["long.py: 412 lines", "long.py: f() 82 lines"]
