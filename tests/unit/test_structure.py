"""The structure the code promises (README, "Layout"): imports run one way, the action server
loads no language model, decisions live in bot/, modules stay small."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MAX_LINES = 400


def modules(folder: str):
    return [p for p in (REPO / folder).rglob("*.py") if "migrations" not in p.parts]


def imported(path: Path):
    """Every module name an import statement in `path` names (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def offenders(folder: str, forbidden):
    return sorted({f"{p.relative_to(REPO)} imports {name}" for p in modules(folder) for name in imported(p)
                   if any(name == f or name.startswith(f + ".") for f in forbidden)})


@pytest.mark.parametrize("folder", ["bot", "actions"])
def test_no_module_is_over_the_limit(folder):
    long = [f"{p.relative_to(REPO)}: {n}" for p in modules(folder)
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert long == []


def test_the_runtime_package_imports_nothing_from_actions_tests_or_the_bench():
    assert offenders("bot", ["actions", "tests", "bench"]) == []


def test_the_catalogue_imports_no_language_model_no_rasa_and_nothing_above_it():
    forbidden = ["bot.nlu", "bot.dialogue", "bot.web", "bot.inbox", "bot.evaluation", "spacy", "rasa", "rasa_sdk"]
    assert offenders("bot/catalogue", forbidden) == []


def test_the_dialogue_imports_no_language_model_and_no_rasa():
    assert offenders("bot/dialogue", ["spacy", "rasa", "rasa_sdk", "bot.web", "bot.nlu.catalogue_matcher",
                                      "bot.nlu.phrase_matcher", "bot.nlu.item_index", "bot.nlu.pipeline"]) == []


def test_importing_the_actions_loads_no_spacy_thinc_tensorflow_or_rasa_nlu():
    code = ("import importlib, pkgutil, sys, actions\n"
            "for m in pkgutil.iter_modules(actions.__path__): importlib.import_module('actions.' + m.name)\n"
            "print(','.join(sorted(n for n in ('spacy', 'thinc', 'tensorflow', 'rasa.nlu') if n in sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_no_decision_threshold_lives_in_the_actions():
    numbers = []
    for path in modules("actions"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                    and isinstance(node.value.value, (int, float)) and not isinstance(node.value.value, bool):
                numbers.append(f"{path.name}: {ast.unparse(node)}")
    assert numbers == []
