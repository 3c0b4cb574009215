"""The package's arrows point one way, read from the source with ``ast``.

The protocol core's subpackages form a stack (``model`` at the bottom, ``aio`` at
the top); each module imports, at module level, only from its own layer or the
layers below.  Only ``protocol.aio`` may import an event-loop library, and the
protocol core never imports the packages built on it.  Imports inside functions
that reach upward are listed in :data:`LAZY_UPWARD` with the reason.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "seroval"

#: The protocol core's layers, bottom first.
PROTOCOL_LAYERS = (
    "errors",
    "stack",
    "collector",
    "model",
    "temporal",
    "tree",
    "jstext",
    "aio",
    "serializers",
)

#: The packages above the protocol core, and what each may import from ``seroval``.
ALLOWED: dict[str, set[str]] = {
    "protocol": {"protocol"},
    "codecs": {"protocol", "codecs"},
    "plugins": {"protocol", "plugins"},
    "rpc": {"protocol", "codecs", "plugins", "rpc"},
    "transports": {"protocol", "codecs", "plugins", "rpc", "transports"},
    # Framework helpers sit above the codecs (they choose and drive them).
    "integrations": {"protocol", "codecs", "integrations"},
}

#: Optional frameworks and HTTP clients: only the modules named for each may import it.
FRAMEWORKS: dict[str, tuple[str, ...]] = {
    "starlette": ("integrations.starlette",),
    "fastapi": (),
    "httpx": ("integrations.httpx", "transports.http", "transports.websocket"),
}

#: The RPC call protocol is sans-I/O: what ``rpc.core`` may import from ``seroval``.
RPC_CORE_ALLOWED = (
    "seroval.rpc.core",
    "seroval.codecs",
    "seroval.protocol.errors",
    "seroval.protocol.model",
)

EVENT_LOOP_LIBRARIES = {"anyio", "trio", "asyncio", "sniffio"}

#: (importing module, imported module): why a function body may import upward.
LAZY_UPWARD = {
    ("protocol.model.promises", "protocol.aio.waiting"): "awaiting a pending promise needs a loop",
    ("protocol.model.stream", "protocol.aio.waiting"): "reading an open stream needs a loop",
    ("rpc.registry", "transports.asgi"): "functions.asgi_app(): the server front door's carrier",
    ("rpc.lifetime", "transports.http"): "Client(url) and the framework clients: the default",
    ("rpc.sync_client", "transports.http"): "SyncClient(url): its default transport",
    ("rpc.profiles", "transports.asgi"): "profiles.asgi_app(): asgi_app(profile=) with options",
    ("rpc.client", "transports.stdio"): "Client.stdio(argv): its transport",
    ("rpc.client", "transports.websocket"): "Client.websocket(url): its transport",
    ("rpc.client", "transports.memory_mux"): "Client.multiplexed(functions): its transport",
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, relative to ``seroval``
    target: str  # the imported module, absolute
    lazy: bool  # inside a function body
    type_only: bool  # under ``if TYPE_CHECKING:``


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[Import]:
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, lazy: bool, type_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            child_lazy = lazy or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            child_type_only = type_only or (
                isinstance(child, ast.If) and ast.unparse(child.test) == "TYPE_CHECKING"
            )
            targets: list[str] = []
            if isinstance(child, ast.Import):
                targets = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = ["seroval", *package.split(".")] if package else ["seroval"]
                    base = base[: len(base) - child.level + 1]
                    prefix = ".".join(base)
                    stem = f"{prefix}.{child.module}" if child.module else prefix
                else:
                    stem = child.module or ""
                targets = [stem]
                # ``from package import module`` imports the module.
                for alias in child.names:
                    candidate = f"{stem}.{alias.name}"
                    relative = candidate.removeprefix("seroval.").replace(".", "/")
                    if (PACKAGE / f"{relative}.py").exists() or (PACKAGE / relative).is_dir():
                        targets.append(candidate)
            for target in targets:
                found.append(Import(module, target, lazy, type_only))
            visit(child, child_lazy, child_type_only)

    visit(ast.parse(path.read_text()), False, False)
    return found


ALL_IMPORTS = [
    item
    for path in sorted(PACKAGE.rglob("*.py"))
    if "node_modules" not in path.parts
    for item in _imports(path)
]


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "protocol" or len(parts) < 2:
        return None
    return PROTOCOL_LAYERS.index(parts[1]) if parts[1] in PROTOCOL_LAYERS else None


def test_the_scan_sees_the_imports() -> None:
    """The checks below can fail: the scan finds known imports in both directions."""
    pairs = {(item.module, item.target) for item in ALL_IMPORTS}
    assert ("protocol.tree.parse", "seroval.protocol.model.values") in pairs
    assert ("protocol.model.promises", "seroval.protocol.aio.waiting") in pairs
    assert any(item.target == "anyio" for item in ALL_IMPORTS)


def test_protocol_layers_import_downward_only() -> None:
    wrong = []
    for item in ALL_IMPORTS:
        source = _layer(item.module)
        if source is None or not item.target.startswith("seroval.protocol."):
            continue
        target = _layer(item.target.removeprefix("seroval."))
        if target is None or target <= source or item.type_only:
            continue
        if item.lazy and (item.module, item.target.removeprefix("seroval.")) in LAZY_UPWARD:
            continue
        wrong.append(f"{item.module} imports {item.target}")
    assert not wrong, wrong


def test_only_aio_imports_an_event_loop_library() -> None:
    wrong = [
        f"{item.module} imports {item.target}"
        for item in ALL_IMPORTS
        if item.target.split(".")[0] in EVENT_LOOP_LIBRARIES
        and item.module.startswith("protocol.")
        and not item.module.startswith("protocol.aio")
        and not item.type_only
    ]
    assert not wrong, wrong


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_packages_import_only_what_is_below_them(package: str) -> None:
    wrong = [
        f"{item.module} imports {item.target}"
        for item in ALL_IMPORTS
        if item.module.split(".")[0] == package
        and item.target.startswith("seroval.")
        and item.target.split(".")[1] not in ALLOWED[package]
        and not (item.lazy and (item.module, item.target.removeprefix("seroval.")) in LAZY_UPWARD)
    ]
    assert not wrong, wrong


def test_the_rpc_core_is_sans_io() -> None:
    """``rpc.core`` imports no event loop, no transport, no HTTP client, and only the
    protocol's model and errors (not its async half)."""
    wrong = [
        f"{item.module} imports {item.target}"
        for item in ALL_IMPORTS
        if item.module.startswith("rpc.core")
        and not item.type_only
        and (
            item.target.split(".")[0] in EVENT_LOOP_LIBRARIES | {"httpx"}
            or (item.target.startswith("seroval.") and not item.target.startswith(RPC_CORE_ALLOWED))
        )
    ]
    assert not wrong, wrong


def test_importing_the_rpc_core_loads_no_event_loop_library() -> None:
    script = (
        "import sys, types\n"
        f"root = {str(PACKAGE)!r}\n"
        "for name, path in (('seroval', root), ('seroval.rpc', root + '/rpc')):\n"
        "    module = types.ModuleType(name); module.__path__ = [path]\n"
        "    sys.modules[name] = module\n"
        "import seroval.rpc.core\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{sorted(EVENT_LOOP_LIBRARIES | {'httpx'})!r} or m.startswith("
        "('seroval.protocol.aio', 'seroval.transports')))\n"
        "print(loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout


def test_only_its_integration_imports_a_framework() -> None:
    wrong = [
        f"{item.module} imports {item.target}"
        for item in ALL_IMPORTS
        if item.target.split(".")[0] in FRAMEWORKS
        and not item.lazy
        and not item.type_only
        and item.module not in FRAMEWORKS[item.target.split(".")[0]]
    ]
    assert not wrong, wrong


def test_the_integrations_package_imports_no_framework() -> None:
    """``import seroval.integrations`` (and its framework-free part) loads no framework."""
    script = (
        "import sys, seroval, seroval.integrations, seroval.integrations.content\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(FRAMEWORKS)!r}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout


def test_the_sync_core_loads_no_event_loop_library() -> None:
    """Importing the sync core's modules on their own loads neither anyio nor ``aio``."""
    script = (
        "import sys, importlib.util, types\n"
        f"root = {str(PACKAGE)!r}\n"
        # A bare parent package, so that seroval/__init__.py (the whole API) stays out.
        "for name, path in (('seroval', root), ('seroval.protocol', root + '/protocol')):\n"
        "    module = types.ModuleType(name); module.__path__ = [path]\n"
        "    sys.modules[name] = module\n"
        "import seroval.protocol.tree.api, seroval.protocol.jstext.api\n"
        "import seroval.protocol.jstext.reader\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{sorted(EVENT_LOOP_LIBRARIES)!r} or m.startswith('seroval.protocol.aio'))\n"
        "print(loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout
