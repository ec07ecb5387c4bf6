"""The vocabulary file: target groups, interests, aspect cues and decline cues
(data/catalogue/vocabulary.yml). Plain data: the NLU turns it into phrases to match."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from bot.catalogue.constants import ASPECTS
from bot.settings import catalogue_dir


@dataclass(frozen=True)
class Vocabulary:
    target_groups: Dict[str, dict]
    interests: Dict[str, dict]
    aspects: Dict[str, Dict[str, float]]
    declines: Dict[str, List[str]]

    def label(self, kind: str, key: str) -> str:
        table = self.target_groups if kind == "doelgroep" else self.interests
        return table.get(key, {}).get("label", key)

    def interest_themes(self, interest: str) -> Tuple[str, ...]:
        return tuple(self.interests.get(interest, {}).get("themes", ()))


def load_vocabulary(path: Path) -> Vocabulary:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    unknown = set(raw["aspects"]) - set(ASPECTS)
    if unknown:
        raise ValueError(f"{path}: unknown aspects {sorted(unknown)}")
    return Vocabulary(raw["target_groups"], raw["interests"], raw["aspects"], raw["declines"])


def vocabulary() -> Vocabulary:
    """The vocabulary file as it is now: a staff edit plus `catalogue load` reaches a running
    server without a restart."""
    path = catalogue_dir() / "vocabulary.yml"
    return _load_cached(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=2)
def _load_cached(path: Path, _mtime_ns: int) -> Vocabulary:
    return load_vocabulary(path)
