"""Guards of the layering described in ``docs/architecture.md``, read from the source (no module is imported).

- ``matchmaker/`` never imports ``jobs/`` (the scheduler sits on top of the app, not inside it);
- the import graph of ``matchmaker/`` and ``jobs/`` at module level has no cycle (a cycle makes the import order
  matter and hides the real dependencies);
- imports of project modules inside functions, the usual way round a cycle, stay few and each says why.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("matchmaker", "jobs")
#: In-function imports of project modules allowed (each needs a comment on its line or the line above).
MAX_FUNCTION_IMPORTS = 15


@dataclass(frozen=True)
class Import:
    """One import statement of a project module: where it is and which modules it names."""

    module: str  # importing module
    line: int
    targets: tuple[str, ...]  # imported project modules
    in_function: bool
    type_checking: bool  # under ``if TYPE_CHECKING:`` (never executed)


def module_files() -> dict[str, Path]:
    """Every module of the project packages, by dotted name (a package by its ``__init__``)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = module_files()


def _is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def _resolve(module: str, node: ast.ImportFrom | ast.Import) -> tuple[str, ...]:
    """The project modules an import statement loads (the most precise name: a submodule when one is named)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
        return tuple(name for name in names if name in MODULES)
    if node.level:
        package = module if _is_package(module) else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{node.module}" if node.module else package
    else:
        base = node.module or ""
    if base.split(".")[0] not in PACKAGES:
        return ()
    targets = []
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        if sub in MODULES:
            targets.append(sub)
        elif base in MODULES:
            targets.append(base)
    return tuple(dict.fromkeys(targets))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(module: str) -> list[Import]:
    """The imports of project modules in ``module``, with whether each is inside a function."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: list[Import] = []

    def walk(node: ast.AST, in_function: bool, type_checking: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                targets = _resolve(module, child)
                if targets:
                    found.append(Import(module, child.lineno, targets, in_function, type_checking))
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                walk(child, True, type_checking)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for part in child.body:
                    walk(ast.Module(body=[part], type_ignores=[]), in_function, True)
                for part in child.orelse:
                    walk(ast.Module(body=[part], type_ignores=[]), in_function, type_checking)
            else:
                walk(child, in_function, type_checking)

    walk(tree, False, False)
    return found


ALL_IMPORTS = [imp for module in MODULES for imp in imports_of(module)]


def module_graph() -> dict[str, set[str]]:
    """Edges ``a → b`` when module ``a`` imports ``b`` as it loads (module level, outside ``TYPE_CHECKING``)."""
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for imp in ALL_IMPORTS:
        if not imp.in_function and not imp.type_checking:
            graph[imp.module].update(target for target in imp.targets if target != imp.module)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:
        # iterative, so a long chain does not hit the recursion limit
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def _where(imp: Import) -> str:
    return f"{MODULES[imp.module].relative_to(ROOT)}:{imp.line}"


def test_the_app_never_imports_the_jobs():
    wrong = [
        f"{_where(imp)} imports {', '.join(imp.targets)}"
        for imp in ALL_IMPORTS
        if imp.module.startswith("matchmaker") and any(t.split(".")[0] == "jobs" for t in imp.targets)
    ]
    # importlib.import_module("jobs…") and the like would hide the dependency from the import statements
    for module, path in MODULES.items():
        if module.startswith("matchmaker"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call):
                    for arg in node.args:
                        if (
                            isinstance(arg, ast.Constant)
                            and isinstance(arg.value, str)
                            and (arg.value == "jobs" or arg.value.startswith("jobs."))
                        ):
                            wrong.append(f"{path.relative_to(ROOT)}:{arg.lineno} names the module {arg.value!r}")
    assert not wrong, "matchmaker/ must not depend on jobs/ (jobs/ sits on top of the app):\n" + "\n".join(wrong)


def test_no_import_cycle_between_project_modules():
    found = cycles(module_graph())
    assert not found, "import cycles (module level):\n" + "\n".join(" ↔ ".join(c) for c in found)


def test_few_imports_inside_functions_each_with_a_reason():
    inside = [imp for imp in ALL_IMPORTS if imp.in_function]
    listing = "\n".join(_where(imp) for imp in inside)
    assert len(inside) <= MAX_FUNCTION_IMPORTS, (
        f"{len(inside)} imports of project modules inside functions (at most {MAX_FUNCTION_IMPORTS}); "
        f"import at the top of the module:\n{listing}"
    )
    unexplained = []
    for imp in inside:
        lines = MODULES[imp.module].read_text(encoding="utf-8").splitlines()
        here, above = lines[imp.line - 1], lines[imp.line - 2] if imp.line > 1 else ""
        if "#" not in here and not above.strip().startswith("#"):
            unexplained.append(_where(imp))
    assert not unexplained, "in-function imports without a comment saying why:\n" + "\n".join(unexplained)


def test_the_guards_see_what_they_guard():
    """The walk finds the modules and imports it is meant to check (an empty walk would pass everything)."""
    assert {"matchmaker.app", "matchmaker.cli", "jobs.schedule"} <= set(MODULES)
    assert ["a", "b"] in cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}})
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    assert any(imp.module == "jobs.schedule" and "jobs.operations" in imp.targets for imp in ALL_IMPORTS)
