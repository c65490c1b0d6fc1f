"""The matching library stands alone: no module of matchmaker/matching imports the app, Flask or SQLAlchemy.

Read from the source (every import statement, in functions too), so an import that only runs on some path is
caught as well. The one exception is the command `python -m matchmaker.matching` (__main__.py): a program, not
part of the library, it is the one place that knows where the project's data folder is (matchmaker.paths).
"""

from __future__ import annotations

import ast
from pathlib import Path

import matchmaker.matching

LIBRARY = Path(matchmaker.matching.__file__).resolve().parent
PACKAGE = "matchmaker.matching"
#: Frameworks of the app the library must not depend on (a top-level package name, or its prefix).
FORBIDDEN_TOP = ("flask", "flask_", "sqlalchemy", "alembic", "apscheduler", "werkzeug", "jinja2", "click")
#: What the command may import from the app besides the library.
COMMAND_ALLOWED = {"__main__.py": {"matchmaker.paths"}}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in a module of the library, relative ones resolved."""
    module = f"{PACKAGE}.{path.stem}" if path.stem != "__init__" else PACKAGE
    package = module.rsplit(".", 1)[0] if path.stem != "__init__" else PACKAGE
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            out.append((node.lineno, name))
    return out


def offending(path: Path, root: Path = LIBRARY) -> list[str]:
    """The imports of one library module (under `root`) reaching outside the library: the app or its frameworks."""
    allowed = COMMAND_ALLOWED.get(path.name, set())
    out = []
    for line, name in imported_modules(path):
        top = name.split(".")[0]
        app = top == "matchmaker" and name != PACKAGE and not name.startswith(PACKAGE + ".") and name not in allowed
        framework = any(top == f or (f.endswith("_") and top.startswith(f)) for f in FORBIDDEN_TOP)
        if app or framework:
            out.append(f"{path.relative_to(root.parent.parent)}:{line} imports {name}")
    return out


def test_no_module_of_the_matching_library_imports_the_app_or_its_frameworks():
    modules = sorted(LIBRARY.rglob("*.py"))
    assert len(modules) > 10  # the walk does see the library
    found = [problem for path in modules for problem in offending(path)]
    assert found == []


def test_the_check_sees_app_imports_relative_ones_and_imports_inside_functions(tmp_path):
    # the check itself can fail: each of these is an app or framework import written a different way
    library = tmp_path / "matchmaker" / "matching"
    library.mkdir(parents=True)
    sample = library / "sample.py"
    sample.write_text(
        "import numpy\nfrom . import profile\nfrom .scorer import MatchScorer\n"
        "from matchmaker.paths import DATA_DIR\nfrom ..particles import attach\n"
        "def f():\n    import flask\n    from sqlalchemy.orm import Session\n    import flask_mail\n"
        "    from matchmaker import extensions\n",
        encoding="utf-8",
    )
    names = [name for _, name in imported_modules(sample)]
    assert names == [
        "numpy",
        "matchmaker.matching",
        "matchmaker.matching.scorer",
        "matchmaker.paths",
        "matchmaker.particles",
        "flask",
        "sqlalchemy.orm",
        "flask_mail",
        "matchmaker",
    ]
    assert [p.split(" imports ")[1] for p in offending(sample, library)] == [
        "matchmaker.paths",
        "matchmaker.particles",
        "flask",
        "sqlalchemy.orm",
        "flask_mail",
        "matchmaker",
    ]
