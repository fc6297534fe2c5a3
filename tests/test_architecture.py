"""The one-way imports of DESIGN.md, read from the source with `ast`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("data", "forecast", "staffing", "peakplan", "dashboard")
ALLOWED = {
    "data": set(),
    "forecast": {"data"},
    "staffing": {"data"},
    "peakplan": {"data", "forecast", "staffing"},
    "dashboard": {"data", "forecast", "staffing", "peakplan"},
}
HEAVY = {
    "prophet": {"forecast/prophet_model.py"},
    "statsforecast": {"forecast/statsforecast_model.py"},
    "pulp": {"staffing/schedule/solver.py"},
    "highspy": {"staffing/schedule/highs.py"},
    "dask": {"forecast/parallel.py"},
    "streamlit": {"dashboard/"},
}


def modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (REPO / package).rglob("*.py"))


def imported_roots(path: Path) -> set[str]:
    """Top-level names of every module `path` imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = path.relative_to(REPO).parts[0]
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            roots.add(package if node.level else (node.module or "").split(".")[0])
    return roots


def test_every_package_exists() -> None:
    for package in PACKAGES:
        assert (REPO / package / "__init__.py").is_file(), package


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(REPO)))
def test_imports_follow_the_flow(path: Path) -> None:
    package = path.relative_to(REPO).parts[0]
    wrong = (imported_roots(path) & set(PACKAGES)) - ALLOWED[package] - {package}
    assert not wrong, f"{path.relative_to(REPO)} imports {sorted(wrong)} against DESIGN.md"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(REPO)))
def test_heavy_libraries_stay_in_their_module(path: Path) -> None:
    relative = path.relative_to(REPO).as_posix()
    for library, owners in HEAVY.items():
        if library in imported_roots(path):
            assert any(relative.startswith(o) for o in owners), \
                f"{relative} imports {library}; only {sorted(owners)} may"


def test_the_checker_sees_a_wrong_edge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above could fail: an edge against the flow is found."""
    bad = REPO / "data" / "__probe_wrong_edge.py"
    source = "from forecast import something\nimport prophet\n"
    monkeypatch.setattr(Path, "read_text", lambda self, **_: source)
    roots = imported_roots(bad)
    assert "forecast" in roots and "prophet" in roots
    assert (roots & set(PACKAGES)) - ALLOWED["data"] - {"data"} == {"forecast"}


def test_core_packages_import_without_heavy_libraries() -> None:
    """`data` and `peakplan` load without prophet, pulp, highspy, dask or streamlit."""
    import subprocess
    import sys

    code = ("import sys, data, peakplan.cli; "
            "heavy = {'prophet', 'pulp', 'highspy', 'dask', 'streamlit'} & set(sys.modules); "
            "sys.exit(f'loaded {heavy}' if heavy else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, check=False)
    assert result.returncode == 0, result.stderr + result.stdout


def deep_imports(path: Path, package: str) -> list[str]:
    """Modules below `package` (e.g. `staffing.schedule.rules`) that `path` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                 else [])
        found += [n for n in names if n.startswith(f"{package}.")]
    return found


@pytest.mark.parametrize("path", [p for p in modules() if p.relative_to(REPO).parts[0]
                                  in ("peakplan", "dashboard")],
                         ids=lambda p: str(p.relative_to(REPO)))
def test_staffing_is_used_through_its_public_names(path: Path) -> None:
    """Outside `staffing`, only `from staffing import name`: its subpackages can move."""
    deep = deep_imports(path, "staffing")
    assert not deep, f"{path.relative_to(REPO)} imports {deep}; use `from staffing import ...`"


@pytest.mark.parametrize("path", [p for p in modules() if p.relative_to(REPO).parts[0]
                                  == "dashboard"], ids=lambda p: str(p.relative_to(REPO)))
def test_peakplan_is_used_through_its_public_names(path: Path) -> None:
    """The dashboard uses `from peakplan import name` only, the names the CLI's stages
    use too: settings, inputs, stages, pipeline and run store."""
    deep = deep_imports(path, "peakplan")
    assert not deep, f"{path.relative_to(REPO)} imports {deep}; use `from peakplan import ...`"


def test_the_public_names_check_sees_a_deep_import(monkeypatch: pytest.MonkeyPatch) -> None:
    source = "from staffing.schedule.rules import ScheduleRules\nfrom staffing import roster\n"
    monkeypatch.setattr(Path, "read_text", lambda self, **_: source)
    assert deep_imports(REPO / "peakplan" / "probe.py", "staffing") == ["staffing.schedule.rules"]


@pytest.mark.parametrize("package", ["staffing", "peakplan", "forecast", "data"])
def test_every_public_name_exists(package: str) -> None:
    import importlib

    module = importlib.import_module(package)
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert not missing, missing


MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def long_parts(path: Path) -> list[str]:
    """The module itself if over MAX_MODULE_LINES, and each function over
    MAX_FUNCTION_LINES (decorators left out), as 'name: N lines'."""
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    found = [f"module: {lines} lines"] if lines > MAX_MODULE_LINES else []
    for node in ast.walk(ast.parse(text, filename=str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{node.name}: {length} lines")
    return found


def own_files(folder: str) -> list[Path]:
    """The project's .py files under `folder`, leaving out hidden folders (such as a
    benchmark's own virtual environment)."""
    return sorted(p for p in (REPO / folder).rglob("*.py")
                  if not any(part.startswith(".") for part in p.relative_to(REPO).parts))


@pytest.mark.parametrize("path", [*modules(), *own_files("benchmarks"), *own_files("tests")],
                         ids=lambda p: str(p.relative_to(REPO)))
def test_modules_and_functions_fit_on_a_screen(path: Path) -> None:
    """DESIGN's house rule: about 400 lines a module, a function on a screen (60 lines)."""
    long = long_parts(path)
    assert not long, f"{path.relative_to(REPO)}: {long}; split it"


def test_the_size_check_sees_a_long_function(monkeypatch: pytest.MonkeyPatch) -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(61))
    monkeypatch.setattr(Path, "read_text", lambda self, **_: f"def f():\n{body}")
    assert long_parts(REPO / "data" / "probe.py") == ["f: 62 lines"]
