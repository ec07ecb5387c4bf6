"""The answer items' questions as training examples: every measure intent gets examples, texts
the hand-written data already has are left out, and an unchanged file is not rewritten."""
import os

import yaml
from sqlalchemy.orm import Session

from bot.catalogue.db import get_engine
from bot.nlu.outputs import intent_for_measure
from bot.nlu.training_data import catalogue_examples, existing_examples, write_examples
from bot.settings import REPO_ROOT


def test_examples_cover_every_measure_and_skip_known_texts(catalogue_database, tmp_path):
    known = existing_examples(REPO_ROOT / "data" / "nlu")
    with Session(get_engine(catalogue_database)) as session:
        examples = catalogue_examples(session, known)
    from bot.catalogue.constants import MEASURE_IDS

    assert set(examples) == {intent_for_measure(m) for m in MEASURE_IDS}
    texts = [t.lower() for ts in examples.values() for t in ts]
    assert len(texts) == len(set(texts)) and not set(texts) & known

    path = tmp_path / "nlu" / "examples.yml"
    count = write_examples(examples, path)
    parsed = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert count == sum(len(b["examples"].splitlines()) for b in parsed["nlu"])
    os.utime(path, (1, 1))
    write_examples(examples, path)
    assert path.stat().st_mtime == 1  # unchanged content: the file keeps its time


def test_follow_up_forms_are_no_examples_of_one_measure():
    from bot.nlu.training_data import is_follow_up_form

    assert is_follow_up_form("en hoeveel kost dat?") and is_follow_up_form("wie betaalt da?")
    assert not is_follow_up_form("wat is een digibank?")
    assert not is_follow_up_form("hoeveel uur opleidingsverlof krijg ik als ik deeltijds werk?")
