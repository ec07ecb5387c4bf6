"""NLU-only checks scored by `rasa test nlu`: the external Dutch xSID set (both variants trained on
its training split, tested on its test split) and 5-fold cross-validation of the project's
pipeline on its own data.

xSID blocks look like

    # id = 3
    # text = Voeg een herinnering toe voor vandaag om 4 uur 's middags
    # intent = reminder/set_reminder
    1<TAB>Voeg<TAB>reminder/set_reminder<TAB>O

Only the text and the intent are used, so both pipelines learn the same task. The data is
CC BY-SA 4.0 (see the README next to it): it is converted at run time into a temporary folder
and nothing converted is kept.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List

from bench import training
from bench.measure import quiet_env, run_measured
from bench.training import PROJECT, RASA, VARIANTS

XSID_DIR = training.REPO_ROOT.parent / "shared" / "benchmarks" / "xsid-nl"
XSID_TRAIN, XSID_TEST = "nl.valid.conll", "nl.test.conll"
# Components that read the bot's catalogue: they have nothing to find in xSID.
CATALOGUE_COMPONENTS = ("CatalogueEntityMatcher", "AnswerItemRanker")
FOLDS = 5
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
        headers: Dict[str, str] = {}
        tokens: List[str] = []
        token_intents = set()
        for line in block.splitlines():
            header = _HEADER.match(line)
            if header:
                headers[header.group(1)] = header.group(2).strip()
            elif line.strip() and not line.startswith("#"):
                columns = line.split("\t")
                if len(columns) >= 3:
                    tokens.append(columns[1])
                    token_intents.add(columns[2])
        text = headers.get("text") or " ".join(tokens)
        intent = headers.get("intent") or (token_intents.pop() if len(token_intents) == 1 else "")
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
        examples = by_intent.setdefault(rasa_intent(utterance.intent), [])
        line = rasa_text(utterance.text)
        if line and line not in examples:
            examples.append(line)
    lines = ['version: "3.1"', "nlu:"]
    for intent in sorted(by_intent):
        lines += [f"- intent: {intent}", "  examples: |", *(f"    - {text}" for text in by_intent[intent])]
    return "\n".join(lines) + "\n"


def intent_report(folder: Path) -> Dict[str, float]:
    """Accuracy and weighted F1 in % from the intent_report.json that `rasa test nlu` writes."""
    report = json.loads((folder / "intent_report.json").read_text(encoding="utf-8"))
    return {"accuracy": 100.0 * report["accuracy"], "f1": 100.0 * report["weighted avg"]["f1-score"],
            "n": report["weighted avg"]["support"]}


def rasa_test_nlu(args: list, out: Path, log: Path, timeout: float, env: Dict[str, str]) -> Dict[str, float]:
    measured = run_measured([RASA, "test", "nlu", *args, "--out", out, "--no-plot", "--no-errors",
                             "--no-warnings"], log, timeout, quiet_env(**env))
    if not measured.ok:
        raise RuntimeError(f"rasa test nlu failed:\n{measured.tail()}")
    return {**intent_report(out), "seconds": measured.seconds}


def xsid(tmp: Path, source: Path = XSID_DIR) -> dict:
    """Both variants trained on xSID's Dutch validation split and scored on its test split."""
    train = parse_conll((source / XSID_TRAIN).read_text(encoding="utf-8"))
    test = parse_conll((source / XSID_TEST).read_text(encoding="utf-8"))
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "train.yml").write_text(to_rasa_yaml(train), encoding="utf-8")
    (tmp / "test.yml").write_text(to_rasa_yaml(test), encoding="utf-8")
    trained, tested = Counter(rasa_intent(u.intent) for u in train), Counter(rasa_intent(u.intent) for u in test)
    result: dict = {"train_examples": len(train), "test_examples": len(test),
                    "unseen_test_intents": {i: n for i, n in tested.items() if i not in trained}}
    for variant in VARIANTS:
        config = training.nlu_config(variant, tmp / f"{variant}-config.yml", CATALOGUE_COMPONENTS)
        model = tmp / f"xsid-{variant}.tar.gz"
        fit = training.train_nlu(config, tmp / "train.yml", model, tmp / f"cache-{variant}",
                                 tmp / f"train-{variant}.log", {})
        scores = rasa_test_nlu(["--model", model, "--nlu", tmp / "test.yml"], tmp / f"test-{variant}",
                          tmp / f"test-{variant}.log", 1800, {})
        result[variant] = {**scores, "train_seconds": fit.seconds}
    return result


def cross_validation(tmp: Path, data: Path, env: Dict[str, str]) -> dict:
    """`rasa test nlu --cross-validation` of the project's pipeline on its NLU data; the scores
    are those of the held-out folds together."""
    config = training.nlu_config(PROJECT, tmp / "config.yml")
    scores = rasa_test_nlu(["--config", config, "--nlu", data / "nlu", "--cross-validation", "--folds", FOLDS],
                      tmp / "results", tmp / "cross-validation.log", 4 * 3600,
                      {"RASA_CACHE_DIRECTORY": str(tmp / "cache"), **env})
    return {**scores, "folds": FOLDS}
