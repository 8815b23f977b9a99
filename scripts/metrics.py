"""The code-shape figures of docs/architecture.md, measured again: `python scripts/metrics.py`.

Lines of JS, CSS class names written both in a Jinja template and in a script (per view), files
over 500 lines, import cycles between the package's modules, bare method strings, and the pairs
`duplicates` finds outside migrations and tests (when that command is on the PATH).
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "workshop"

# Which scripts and templates make each view (a view's class names should be written once).
VIEWS = {
    "board": (
        ("live/board.js", "openspace/board-openspace.js", "live/board-control.js"),
        (
            "live/board.html",
            "live/_board_wall.html",
            "live/_board_results.html",
            "live/_board_terms.html",
            "openspace/_openspace_board.html",
            "live/_board_control.html",
        ),
    ),
    "console": (
        ("live/facilitate.js", "openspace/console-openspace.js"),
        ("live/facilitate.html", "live/_console_live.html", "openspace/_openspace_console.html"),
    ),
    "curation": (("curation/curate.js",), ("curation/curate.html", "curation/_curate_live.html")),
    "phone": (
        (
            "live/participant.js",
            "cafe/phone-cafe.js",
            "cafe/phone-cafe-render.js",
            "live/phone-notes.js",
            "live/phone-store.js",
            "openspace/phone-openspace.js",
            "openspace/phone-openspace-render.js",
            "openspace/phone-openspace-sessions.js",
            "openspace.js",
        ),
        (
            "live/participant.html",
            "cafe/_cafe_phone_items.html",
            "openspace/_openspace_phone.html",
            "openspace/_openspace_phone_items.html",
        ),
    ),
    "phone, Open Space part": (
        (
            "openspace/phone-openspace.js",
            "openspace/phone-openspace-render.js",
            "openspace/phone-openspace-sessions.js",
            "openspace.js",
        ),
        ("openspace/_openspace_phone.html", "openspace/_openspace_phone_items.html"),
    ),
    "photos": (("photos/photos.js",), ("photos/_photos.html", "photos/_photo_upload.html")),
}
JINJA = re.compile(r"{{.*?}}|{%.*?%}", re.S)
TEMPLATE_CLASS = re.compile(r'\bclass="([^"]*)"')
SCRIPT_CLASS = re.compile(
    r"""(?:\bclass\s*:\s*|className\s*=\s*|classList\.(?:add|remove|toggle|contains)\()\s*["'`]([^"'`]*)["'`]"""
)
METHOD_STRING = re.compile(r"""["'](world-cafe|open-space)["']""")
CLASS_TOKEN = re.compile(r"^[a-z][a-z0-9_-]*$")


def lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def class_tokens(text: str, pattern: re.Pattern[str]) -> set[str]:
    found = set()
    for value in pattern.findall(text):
        found.update(token for token in JINJA.sub(" ", value).split() if CLASS_TOKEN.match(token))
    return found


def classes_in_both() -> dict[str, int]:
    counts = {}
    for view, (scripts, templates) in VIEWS.items():
        in_scripts: set[str] = set()
        for name in scripts:
            path = ROOT / "static" / "js" / name
            if path.exists():
                in_scripts |= class_tokens(path.read_text(encoding="utf-8"), SCRIPT_CLASS)
        in_templates: set[str] = set()
        for name in templates:
            path = ROOT / "templates" / name
            if path.exists():
                in_templates |= class_tokens(
                    JINJA.sub(lambda m: m.group(0) if "class" in m.group(0) else " ", path.read_text(encoding="utf-8")),
                    TEMPLATE_CLASS,
                )
        counts[view] = len(in_scripts & in_templates)
    return counts


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def walk_outside_type_checking(tree: ast.AST):
    """Every node but those under `if TYPE_CHECKING:` (imports for annotations only run nothing)."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                todo.extend(child.orelse)
                continue
            todo.append(child)


def imports_of(path: Path, name: str) -> set[str]:
    """Modules of the package this one imports, at the top or inside a function (a deferred import
    only hides a cycle from the interpreter, not from the reader)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in walk_outside_type_checking(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            if base.startswith("workshop"):
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("workshop"))
    return found


def import_cycles() -> list[list[str]]:
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts}
    graph = {name: sorted(imports_of(path, name) & modules.keys() - {name}) for name, path in modules.items()}
    # Tarjan's strongly connected components: a component of two or more modules is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            # A package's __init__ importing its own modules is how packages work, not a cycle.
            if len(component) > 1 and not all(
                m.startswith(min(component) + ".") or m == min(component) for m in component
            ):
                cycles.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in graph:
        if node not in index:
            visit(node)
    return cycles


def bare_method_strings() -> dict[str, int]:
    counts = {"python": 0, "js": 0, "templates": 0}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts or path.name == "methods.py":
            continue
        counts["python"] += len(METHOD_STRING.findall(path.read_text(encoding="utf-8")))
    for path in (ROOT / "static" / "js").rglob("*.js"):
        counts["js"] += len(METHOD_STRING.findall(path.read_text(encoding="utf-8")))
    for path in (ROOT / "templates").rglob("*.html"):
        counts["templates"] += len(METHOD_STRING.findall(path.read_text(encoding="utf-8")))
    return counts


def long_files(limit: int = 500) -> list[tuple[str, int]]:
    paths = [*PACKAGE.rglob("*.py"), *(ROOT / "static").rglob("*.js"), *(ROOT / "templates").rglob("*.html")]
    found = [(str(p.relative_to(ROOT)), lines(p)) for p in paths if "migrations" not in p.parts]
    return sorted(((name, count) for name, count in found if count > limit), key=lambda item: -item[1])


def duplicate_pairs() -> int | None:
    if shutil.which("duplicates") is None:
        return None
    out = subprocess.run(
        ["duplicates", "--most", "200", "--seconds", "120"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout
    rows = [line for line in out.splitlines() if re.match(r"^D\d+ ", line)]
    return sum(1 for row in rows if "migrations/" not in row and "tests/" not in row)


def main() -> None:
    js_lines = sum(lines(p) for p in (ROOT / "static").rglob("*.js"))
    both = classes_in_both()
    cycles = import_cycles()
    strings = bare_method_strings()
    longs = long_files()
    pairs = duplicate_pairs()
    print("| figure | value |")
    print("|---|---|")
    print(f"| lines of JS (static/) | {js_lines} |")
    for view, count in both.items():
        print(f"| class names in both Jinja and JS: {view} | {count} |")
    print(f"| files over 500 lines (package, scripts, templates) | {len(longs)} |")
    print(f"| import cycles between modules | {len(cycles)} |")
    print(
        f"| bare method strings (Python / JS / templates) | {strings['python']} / {strings['js']} / {strings['templates']} |"
    )
    print(
        f"| `duplicates` pairs outside migrations and tests | {'n/a (no duplicates command)' if pairs is None else pairs} |"
    )
    for name, count in longs:
        print(f"  long: {name} ({count} lines)")
    for cycle in cycles:
        print(f"  cycle: {' ↔ '.join(cycle)}")


if __name__ == "__main__":
    main()
