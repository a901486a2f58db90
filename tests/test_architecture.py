"""The house rules that keep the code extensible, checked on the source itself (docs/architecture.md)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_PACKAGES = ("surveys", "webapp", "nlp")


def _sources(*packages: str):
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _is_role(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Role"


def test_no_role_list_outside_the_permission_policy():
    """Who may do what is written once, in surveys/access.py; everything else asks ``can``."""
    found = []
    for name, tree in _sources("surveys", "webapp"):
        if name == "surveys/access.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Tuple | ast.List | ast.Set) and sum(map(_is_role, node.elts)) >= 2:
                found.append(f"{name}:{node.lineno} role list")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "has_role":
                found.append(f"{name}:{node.lineno} has_role")
    templates = [path for path in (ROOT / "webapp").rglob("*.html") if "has_role" in path.read_text(encoding="utf-8")]
    assert found == [] and templates == []


def test_views_leave_errors_and_transactions_to_the_boundary():
    """No view catches a DomainError or commits: webapp/boundary.py does both, once per request."""
    found = []
    for name, tree in _sources("webapp"):
        if not name.endswith("routes.py"):
            continue
        for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.ExceptHandler)
                    and node.type is not None
                    and "DomainError" in ast.unparse(node.type)
                ):
                    found.append(f"{name}:{node.lineno} except DomainError")
                if isinstance(node, ast.Call) and ast.unparse(node.func) in (
                    "db.session.commit",
                    "db.session.rollback",
                ):
                    found.append(f"{name} {function.name}: {ast.unparse(node.func)}")
    # The API writes a token's day of use before the view runs, on purpose: a refused call was a use too.
    allowed = {f"webapp/api/routes.py {f}: db.session.commit" for f in ("token_required", "wrapped")}
    assert set(found) <= allowed


MAX_FUNCTION_LINES = 60


def test_no_function_is_longer_than_sixty_lines():
    """Long functions are split into named steps; a data literal is a module constant, not a function."""
    long = [
        f"{name}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for name, tree in _sources(*APP_PACKAGES)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []


def test_template_lines_fit_in_160_characters():
    long = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "webapp").rglob("*"))
        if "templates" in path.parts and path.suffix in (".html", ".txt")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if len(line) > 160
    ]
    assert long == []


def test_every_form_refuses_what_the_database_cannot_store():
    """Forms derive from webapp.forms.Form, whose text fields refuse NUL and bytes that were not UTF-8."""
    found = [
        f"{name}:{node.lineno} {node.name}"
        for name, tree in _sources("webapp")
        if name != "webapp/forms.py"
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and any(getattr(base, "id", "") == "FlaskForm" for base in node.bases)
    ]
    assert not found, "forms deriving from FlaskForm directly:\n" + "\n".join(found)
