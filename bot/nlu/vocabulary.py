"""The vocabulary file: target groups, interests and aspect cues (data/catalogue/vocabulary.yml)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from bot.nlu.phrase_matcher import Phrase
from bot.settings import catalogue_dir

ASPECTS = ("overview", "eligibility", "how_to_apply", "amount", "status", "contact")


@dataclass(frozen=True)
class Vocabulary:
    target_groups: Dict[str, dict]
    interests: Dict[str, dict]
    aspects: Dict[str, Dict[str, float]]
    declines: Dict[str, List[str]]

    def phrases(self) -> List[Phrase]:
        out: List[Phrase] = []
        for group, entry in self.target_groups.items():
            out.extend(Phrase(cue, "doelgroep", group) for cue in entry["cues"])
        for interest, entry in self.interests.items():
            out.extend(Phrase(cue, "interesse", interest) for cue in entry["cues"])
        for aspect, cues in self.aspects.items():
            out.extend(Phrase(cue, "aspect", aspect, weight=float(w)) for cue, w in cues.items())
        for reason, cues in self.declines.items():
            out.extend(Phrase(cue, "afwijzing", reason, exact_only=True) for cue in cues)
        return out

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


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return load_vocabulary(catalogue_dir() / "vocabulary.yml")
