"""Staff edit a catalogue file and load it: the running bot answers with the new text and
recognises a new name, with no restart and no retraining."""
from __future__ import annotations

import shutil
import time
import uuid

import yaml

from bot.catalogue.db import get_engine
from bot.catalogue.loader import load_catalogue
from bot.settings import catalogue_dir
from tests.servers import bot_payload, bot_texts

NEW_TEXT = "Dit is een testtekst die een medewerker net in de catalogus zette."


def test_edited_text_and_new_alias_reach_the_running_bot(stack, tmp_path):
    engine = get_engine(stack.env["BOT_DATABASE_URL"])
    copy = tmp_path / "catalogue"
    shutil.copytree(catalogue_dir(), copy)
    path = copy / "measures" / "telewerk.yml"
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry["answers"]["overview"]["text"] = NEW_TEXT
    entry["aliases"].append("kotwerkregeling")
    path.write_text(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        assert load_catalogue(engine, copy).ok
        messages = stack.say(f"content-{uuid.uuid4().hex[:8]}", "Wat is het actieplan telewerk?")
        assert NEW_TEXT in bot_texts(messages)
        # The NLU component re-reads the names within its refresh interval (5 s).
        deadline = time.monotonic() + 30
        while True:
            parsed = stack.parse("wat is de kotwerkregeling?")
            if any(e["entity"] == "measure" and e["value"] == "telewerk" for e in parsed["entities"]):
                break
            assert time.monotonic() < deadline, parsed["entities"]
            time.sleep(1)
        answer = stack.say(f"content-{uuid.uuid4().hex[:8]}", "wat is de kotwerkregeling?")
        assert bot_payload(answer)["measures"][0]["id"] == "telewerk"
    finally:
        assert load_catalogue(engine, catalogue_dir()).ok
