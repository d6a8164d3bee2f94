"""The notebooks: stored without outputs, and each runs top to bottom in a fresh Python kernel."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import REPO

NOTEBOOKS = REPO / "notebooks"
NAMES = ("01_quickstart.ipynb", "02_retrain_on_your_letters.ipynb", "03_error_analysis.ipynb")


def test_the_three_notebooks_are_there():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(NAMES)


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebooks_are_stored_without_outputs(path):
    nb = json.loads(path.read_text("utf-8"))
    for k, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name}: cell {k} has outputs (strip them before committing)"
            assert cell.get("execution_count") is None, f"{path.name}: cell {k} has an execution count"


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    """A python3 kernel spec that runs this interpreter, whatever 'python' is on PATH."""
    pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    spec_dir = tmp_path_factory.mktemp("jupyter") / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3", "language": "python"}), "utf-8")
    return spec_dir.parent.parent


def _run(name: str, kernel_env: Path, monkeypatch, cwd: Path):
    import nbclient
    import nbformat

    monkeypatch.setenv("JUPYTER_PATH", str(kernel_env))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(cwd)}})
    client.execute()  # raises CellExecutionError, with the failing cell and traceback, on any error
    return nb


def _outputs(nb) -> list:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def _data(nb, mime: str) -> list:
    return [o["data"][mime] for o in _outputs(nb) if mime in o.get("data", {})]


def _text(nb) -> str:
    return "\n".join([o.get("text", "") for o in _outputs(nb)] + [str(t) for t in _data(nb, "text/plain")])


def test_quickstart_runs(kernel_env, monkeypatch):
    nb = _run(NAMES[0], kernel_env, monkeypatch, NOTEBOOKS)
    text = _text(nb)
    assert "-- tasks (" in text and "Sở Y tế" in text  # the table
    assert any("<iframe srcdoc=" in h and "data-role=&quot;lead&quot;" in h
               for h in _data(nb, "text/html"))  # the HTML view


def test_retrain_notebook_runs(kernel_env, monkeypatch):
    nb = _run(NAMES[1], kernel_env, monkeypatch, NOTEBOOKS)
    text = _text(nb)
    assert "2 gold files, 0 problems" in text
    assert "bad label 'obligation'" in text
    assert "retrained" in text and "shipped" in text and "label macro-F1" in text


DEV_GOLD = REPO.parent / "shared" / "dev" / "gold"


@pytest.mark.parametrize("where", ["shared dev", "corpus test split"])
def test_error_analysis_runs_from_the_repository_root(kernel_env, monkeypatch, tmp_path, where):
    if where == "shared dev":
        if not DEV_GOLD.is_dir():
            pytest.skip(f"{DEV_GOLD} is not here: ../shared is only present in CI and developer checkouts")
        monkeypatch.delenv("VN_OBLIGATIONS_DEV_GOLD", raising=False)
        expect = f"{len(list(DEV_GOLD.glob('*.json')))} gold letters from dev/gold"
    else:  # as in a user's clone, with no ../shared beside it
        monkeypatch.setenv("VN_OBLIGATIONS_DEV_GOLD", str(tmp_path / "absent"))
        expect = "gold letters from corpus test split"
    nb = _run(NAMES[2], kernel_env, monkeypatch, REPO)
    assert _data(nb, "image/png"), "the confusion matrix is plotted"
    text = _text(nb)
    assert expect in text
    assert "confusion matrix" in text and "label_accuracy" in text and "gold actors missed" in text
