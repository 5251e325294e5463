"""The layering in docs/architecture.md holds: every module imports only what its part may.

The allowed imports are read from the document itself (each part's ``May import:`` line), so
the picture a reader sees and the rule this test enforces cannot drift apart. Every import
counts, including those inside functions: a lazy import hides an arrow, it does not remove it.
An import inside a function must also say why it is there (``# lazy: <reason> (<what>)``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "pinocchio_eval"
DOC = ROOT / "docs" / "architecture.md"
TOP = "pinocchio_eval"

#: Third-party libraries only some parts may use: the harnesses stay at the edges, and the
#: command line and the charts stay out of the core.
EDGE_LIBRARIES = {
    "inspect_ai": {"inspect_task", "commands"},
    "lm_eval": {"lmeval", "commands"},
    "click": {"cli", "commands"},
    "matplotlib": {"leaderboard", "commands"},
}

#: Imports allowed to break the rules for now: (module, imported part or library) -> why, and
#: how it goes away. Empty today; the test fails if an entry is no longer needed.
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}


def documented_rules() -> dict[str, set[str]]:
    """Part name -> the parts it may import, from each ``### `part` `` section of the doc."""
    rules: dict[str, set[str]] = {}
    part = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        head = re.match(r"^### `([\w.]+?)/?`", line)
        if head:
            part = head.group(1)
        elif part and line.startswith("May import:"):
            rules[part] = set(re.findall(r"`([\w.]+?)/?`", line))
            part = None
    return rules


def part_of(module: str) -> str:
    """``pinocchio_eval.scoring.engine`` -> ``scoring``; the package itself is its own part."""
    parts = module.split(".")
    return TOP if len(parts) == 1 else parts[1]


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    names = list(rel.parts)
    return ".".join(names[:-1] if names[-1] == "__init__" else names)


def imports_in(source: str, name: str, is_package: bool = False) -> set[str]:
    """Every module (ours, dotted) or library that module ``name`` imports, anywhere in it."""
    package = name if is_package else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            for alias in node.names:  # `from pkg import module` imports that module
                sub = f"{origin}.{alias.name}"
                path = PACKAGE.parent / sub.replace(".", "/")
                is_module = origin.startswith(TOP) and (path.with_suffix(".py").exists()
                                                        or path.is_dir())
                found.add(sub if is_module else origin)
    return found


def imports_of(path: Path) -> set[str]:
    return imports_in(path.read_text(encoding="utf-8"), module_name(path),
                      path.name == "__init__.py")


def breaks(name: str, targets: set[str], rules: dict[str, set[str]]
           ) -> dict[tuple[str, str], str]:
    """(module, part or library) -> what it imports, for each import the rules forbid."""
    own = part_of(name)
    out: dict[tuple[str, str], str] = {}
    for target in targets:
        root = target.split(".")[0]
        if root == TOP:
            other = part_of(target)
            if other != own and other not in rules.get(own, set()):
                out[(name, other)] = f"{name} imports {target}"
        elif root in EDGE_LIBRARIES and own not in EDGE_LIBRARIES[root]:
            out[(name, root)] = f"{name} imports {target}"
    return out


MODULES = sorted(PACKAGE.rglob("*.py"))


def violations() -> dict[tuple[str, str], str]:
    rules = documented_rules()
    out: dict[tuple[str, str], str] = {}
    for path in MODULES:
        out.update(breaks(module_name(path), imports_of(path), rules))
    return out


def test_every_part_of_the_package_is_documented():
    parts = {part_of(module_name(p)) for p in MODULES}
    assert parts - set(documented_rules()) == set(), "add a section to docs/architecture.md"
    assert set(documented_rules()) - parts == set(), "the doc names a part that does not exist"


def test_rules_only_name_existing_parts():
    rules = documented_rules()
    for part, allowed in rules.items():
        assert allowed <= set(rules), f"{part}: may import an unknown part {allowed - set(rules)}"


def test_imports_follow_the_documented_layers():
    broken = {k: v for k, v in violations().items() if k not in KNOWN_EXCEPTIONS}
    assert not broken, "imports that break docs/architecture.md:\n" + "\n".join(
        sorted(broken.values()))


def test_known_exceptions_are_still_needed():
    stale = set(KNOWN_EXCEPTIONS) - set(violations())
    assert not stale, f"fixed, remove from KNOWN_EXCEPTIONS: {sorted(stale)}"


def test_the_plugin_floor_imports_nothing_of_the_package():
    for path in (PACKAGE / "plugins").glob("*.py"):
        ours = {t for t in imports_of(path) if t.split(".")[0] == TOP
                and part_of(t) != "plugins"}
        assert not ours, f"{path.name} imports {ours}"


def test_the_layers_have_no_cycle():
    rules = documented_rules()
    seen: dict[str, int] = {}

    def visit(part: str, trail: tuple[str, ...]) -> None:
        assert part not in trail, f"cycle: {' -> '.join((*trail, part))}"
        if seen.get(part):
            return
        for nxt in sorted(rules[part]):
            visit(nxt, (*trail, part))
        seen[part] = 1

    for part in rules:
        visit(part, ())


@pytest.mark.parametrize("source", [
    "from ..scoring import engine",          # a module through its package
    "from ..scoring.engine import score_table",
    "import pinocchio_eval.scoring",
    "import matplotlib.pyplot as plt",
])
def test_a_lazy_upward_import_is_caught(source):
    name = "pinocchio_eval.battery.probe"
    found = imports_in(f"def f():\n    {source}\n", name)
    assert breaks(name, found, documented_rules()), f"{source!r} was allowed in battery/"


#: Why an import may sit inside a function: ``# lazy: <reason> (<what>)`` on its line or on a
#: comment line right above it (docs/architecture.md). Any other import goes at the top.
LAZY_REASONS = {
    "heavy": "a library that takes long to import, kept off the CLI's start (or the battery's)",
    "optional": "an optional dependency (an extra): the module must import without it",
    "cycle": "the two modules import each other; the detail names the loop (a -> b -> a)",
    "start": "one of our modules that, imported at the top, measurably slows the CLI's start",
}
LAZY_COMMENT = re.compile(r"#\s*lazy:\s*(\w+)\s*\(([^)]+)\)")


def function_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Imports inside a function (at any depth), leaving out ``if TYPE_CHECKING:`` blocks."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if in_function and isinstance(child, ast.Import | ast.ImportFrom):
                found.append(child)
            visit(child, in_function
                  or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

    visit(tree, False)
    return found


def lazy_reason(lines: list[str], node: ast.Import | ast.ImportFrom) -> tuple[str, str] | None:
    """The (reason, detail) of a function-level import's ``# lazy:`` comment, if it has one."""
    own = lines[node.lineno - 1: node.end_lineno]
    above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
    for line in [*own, above if above.startswith("#") else ""]:
        found = LAZY_COMMENT.search(line)
        if found:
            return found.group(1), found.group(2)
    return None


def unexplained_lazy_imports(source: str, name: str) -> list[str]:
    """Function-level imports without a valid ``# lazy: <reason> (<what>)`` comment."""
    lines = source.splitlines()
    bad = []
    for node in function_imports(ast.parse(source)):
        why = lazy_reason(lines, node)
        if (why is None or why[0] not in LAZY_REASONS
                or (why[0] == "cycle" and "->" not in why[1])):
            bad.append(f"{name}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return bad


def test_every_import_inside_a_function_says_why():
    bad = [b for path in MODULES for b in unexplained_lazy_imports(
        path.read_text(encoding="utf-8"), module_name(path))]
    assert not bad, ("move these imports to the top of the module, or say why they are lazy "
                     f"(# lazy: {'|'.join(LAZY_REASONS)} (...)):\n" + "\n".join(bad))


@pytest.mark.parametrize(("source", "flagged"), [
    ("def f():\n    import json\n", True),                       # no comment
    ("def f():\n    import json  # lazy: fast\n", True),          # no reason in the fixed form
    ("def f():\n    import json  # lazy: because (json)\n", True),  # unknown reason
    ("def f():\n    from . import a  # lazy: cycle (a and b)\n", True),  # the loop unnamed
    ("def f():\n    x = 1\n    # lazy: heavy (sklearn)\n\n    import sklearn\n", True),
    ("def f():\n    import sklearn  # lazy: heavy (scikit-learn)\n", False),
    ("def f():\n    # lazy: optional (inspect_ai)\n    from inspect_ai import eval\n", False),
    ("def f():\n    from . import a  # lazy: cycle (a -> b -> a)\n", False),
    ("class C:\n    def m(self):\n        import json  # lazy: start (json)\n", False),
    ("import json\nif TYPE_CHECKING:\n    import pandas\n", False),  # module level
])
def test_an_unexplained_lazy_import_is_caught(source, flagged):
    assert bool(unexplained_lazy_imports(source, "probe")) is flagged


def test_functions_are_shorter_than_60_lines():
    """Every function in src/ is under 60 lines, with no exception list."""
    long = set()
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if node.end_lineno - node.lineno + 1 >= 60:  # type: ignore[operator]
                    long.add((module_name(path), node.name))
    assert long == set(), "split these functions"
