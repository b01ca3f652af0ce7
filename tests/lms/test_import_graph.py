"""The apps depend in one direction, and no module of an app imports itself back through others.

Read from the source (every import, also those inside functions), so a lazy import cannot hide
a circle: `models` never reaches `services`/`selectors`, `services` never reaches `tasks` back."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# upstream first (DESIGN §3); an app may import only those before it
LAYERS = ["lms", "staff", "competencies", "courses", "assessments", "certificates", "reports"]
# apps that may read any of the layers above
READERS = {"cms", "demo"}
# project wiring: the URLconf mounts every app's views
WIRING = {"lms.urls"}
APPS = LAYERS + sorted(READERS)


def _modules(app: str):
    base = ROOT / app
    if not base.is_dir():
        return
    for path in base.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if "migrations" in relative.parts:
            continue
        if "assets" in relative.parts and app == "demo":
            continue
        name = ".".join(relative.with_suffix("").parts)
        if name.endswith(".__init__"):
            name = name[: -len(".__init__")]
        yield name, path


def _targets(module: str, is_package: bool, node: ast.ImportFrom, known: set[str]) -> set[str]:
    """What `from … import …` loads: each name that is a submodule, else the module named."""
    if node.level == 0:
        base = node.module or ""
    else:
        parts = module.split(".")
        if not is_package:
            parts = parts[:-1]
        parts = parts[: len(parts) - (node.level - 1)]
        base = ".".join(parts + ([node.module] if node.module else []))
    found = set()
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        found.add(submodule if submodule in known else base)
    return found


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    found: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.update(_targets(module, is_package, node, known))
    # a package's __init__ always runs before its modules: not an import back
    return {target for target in found if not module.startswith(f"{target}.")}


def _graph() -> dict[str, set[str]]:
    modules = {name: path for app in APPS for name, path in _modules(app)}
    known = set(modules)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {target for target in _imports(name, path, known) if target in known}
        graph[name].discard(name)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _app(module: str) -> str:
    return module.split(".")[0]


def test_no_module_imports_itself_back_through_others():
    assert _cycles(_graph()) == []


def test_an_upstream_app_never_imports_a_downstream_one():
    wrong = []
    for module, targets in _graph().items():
        source = _app(module)
        if source in READERS or module in WIRING:
            continue
        for target in targets:
            destination = _app(target)
            if destination == source:
                continue
            if destination in READERS or LAYERS.index(destination) > LAYERS.index(source):
                wrong.append(f"{module} -> {target}")
    assert wrong == []
