"""The two configurations under test and the variants derived from them."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any, Dict, Iterable

import yaml

from bot.settings import REPO_ROOT

PROJECT_CONFIG = REPO_ROOT / "config.yml"
STOCK_CONFIG = Path(__file__).with_name("stock-config.yml")
CATALOGUE_MATCHER = "CatalogueEntityMatcher"


def load(path: Path) -> Dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def without_components(config: Dict[str, Any], names: Iterable[str]) -> Dict[str, Any]:
    """A copy of the config without the pipeline components whose (dotted) name ends in one of
    `names`."""
    names = tuple(names)
    copy = dict(config)
    copy["pipeline"] = [c for c in config.get("pipeline", [])
                        if not str(c.get("name", "")).split(".")[-1] in names]
    return copy


def nlu_only(config: Dict[str, Any]) -> Dict[str, Any]:
    """The pipeline part only (for `rasa train nlu`)."""
    return {k: v for k, v in config.items() if k != "policies"}


def absolute_paths(config: Dict[str, Any], base: Path = REPO_ROOT) -> Dict[str, Any]:
    """SpacyNLP's `model: var/spacy-nl` made absolute, so training and serving do not depend on
    the working directory."""
    copy = dict(config)
    pipeline = []
    for component in config.get("pipeline", []):
        component = dict(component)
        model = component.get("model")
        if component.get("name") == "SpacyNLP" and model and ("/" in str(model)) and not Path(model).is_absolute():
            component["model"] = str((base / model).resolve())
        pipeline.append(component)
    copy["pipeline"] = pipeline
    return copy


def write(config: Dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def rasa_default_config() -> Dict[str, Any]:
    """Rasa's own default config file (what `rasa init` writes), read without importing rasa."""
    spec = importlib.util.find_spec("rasa")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("rasa is not installed")
    root = Path(list(spec.submodule_search_locations)[0])
    return load(root / "engine" / "recipes" / "config_files" / "default_config.yml")
