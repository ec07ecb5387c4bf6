"""xSID (CoNLL) to Rasa NLU training data, converted at run time into a temporary folder.

xSID blocks look like

    # id = 3
    # text = Voeg een herinnering toe voor vandaag om 4 uur 's middags
    # intent = reminder/set_reminder
    1<TAB>Voeg<TAB>reminder/set_reminder<TAB>O

Only the text and the intent are used (the benchmark compares intent accuracy; the slots are
left out so both pipelines train the same task). The data is CC BY-SA 4.0 (see the README next
to it): nothing converted is kept in the repository.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Tuple

XSID_DIR = Path("/work/shared/benchmarks/xsid-nl")
TRAIN_FILE = "nl.valid.conll"
TEST_FILE = "nl.test.conll"

_HEADER = re.compile(r"^#\s*(text|intent)\s*[=:]\s?(.*)$")


@dataclass(frozen=True)
class Utterance:
    text: str
    intent: str  # the xSID label, e.g. "alarm/set_alarm"


class XsidFormatError(ValueError):
    pass


def parse_conll(content: str) -> List[Utterance]:
    """The utterances of one xSID CoNLL file; the text comes from `# text =` (or `# text:`),
    falling back to the tokens joined by spaces, the intent from `# intent` or column 3."""
    utterances = []
    for number, block in enumerate(re.split(r"\n\s*\n", content.strip()), start=1):
        text = intent = None
        tokens: List[str] = []
        token_intents = set()
        for line in block.splitlines():
            header = _HEADER.match(line)
            if header:
                if header.group(1) == "text":
                    text = header.group(2).strip()
                else:
                    intent = header.group(2).strip()
            elif line.strip() and not line.startswith("#"):
                columns = line.split("\t")
                if len(columns) >= 3:
                    tokens.append(columns[1])
                    token_intents.add(columns[2])
        if not text and tokens:
            text = " ".join(tokens)
        if not intent and len(token_intents) == 1:
            intent = token_intents.pop()
        if not text and not intent:
            continue
        if not text or not intent:
            raise XsidFormatError(f"block {number}: no text or no intent")
        utterances.append(Utterance(text, intent))
    return utterances


def rasa_intent(label: str) -> str:
    """Rasa reads `a/b` as a retrieval intent, so xSID's `alarm/set_alarm` becomes `alarm_set_alarm`."""
    name = re.sub(r"[^0-9A-Za-z_]+", "_", label).strip("_")
    if not name:
        raise XsidFormatError(f"intent label {label!r} has no usable characters")
    return name


def rasa_text(text: str) -> str:
    """One line of an `examples: |` block: Rasa's entity syntax uses [..](..) and [..]{..},
    so square brackets become round ones; whitespace is collapsed."""
    return re.sub(r"\s+", " ", text.replace("[", "(").replace("]", ")")).strip()


def to_rasa_yaml(utterances: Iterable[Utterance]) -> str:
    by_intent: Dict[str, List[str]] = {}
    for utterance in utterances:
        by_intent.setdefault(rasa_intent(utterance.intent), [])
        line = rasa_text(utterance.text)
        if line and line not in by_intent[rasa_intent(utterance.intent)]:
            by_intent[rasa_intent(utterance.intent)].append(line)
    lines = ['version: "3.1"', "nlu:"]
    for intent in sorted(by_intent):
        lines.append(f"- intent: {intent}")
        lines.append("  examples: |")
        lines += [f"    - {text}" for text in by_intent[intent]]
    return "\n".join(lines) + "\n"


def to_test_json(utterances: Iterable[Utterance]) -> str:
    return json.dumps([{"text": rasa_text(u.text), "intent": rasa_intent(u.intent)} for u in utterances],
                      ensure_ascii=False, indent=1)


@dataclass
class ConvertedSplit:
    train_yaml: Path
    test_json: Path
    train_counts: Counter
    test_counts: Counter

    @property
    def unseen_test_intents(self) -> List[str]:
        """Test intents with no training example: they can never be predicted."""
        return sorted(set(self.test_counts) - set(self.train_counts))


def convert(source_dir: Path, target_dir: Path, train_file: str = TRAIN_FILE,
            test_file: str = TEST_FILE) -> ConvertedSplit:
    train = parse_conll((source_dir / train_file).read_text(encoding="utf-8"))
    test = parse_conll((source_dir / test_file).read_text(encoding="utf-8"))
    target_dir.mkdir(parents=True, exist_ok=True)
    train_yaml = target_dir / "xsid-nl-train.yml"
    test_json = target_dir / "xsid-nl-test.json"
    train_yaml.write_text(to_rasa_yaml(train), encoding="utf-8")
    test_json.write_text(to_test_json(test), encoding="utf-8")
    return ConvertedSplit(train_yaml, test_json, Counter(rasa_intent(u.intent) for u in train),
                          Counter(rasa_intent(u.intent) for u in test))


def accuracy(pairs: Iterable[Tuple[str, str]]) -> Tuple[int, int]:
    """(correct, total) over (expected, predicted) pairs."""
    items = list(pairs)
    return sum(e == p for e, p in items), len(items)
