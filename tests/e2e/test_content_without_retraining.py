"""Staff edit a catalogue file and load it: the running bot answers with the edited answer item,
answers a new item's question and recognises a new name, with no restart and no retraining."""
from __future__ import annotations

import shutil
import time
import uuid

import yaml

from bot.catalogue.db import get_engine
from bot.catalogue.loader import load_catalogue
from bot.rasa_api import decode
from bot.settings import catalogue_dir
from tests.servers import bot_texts

NEW_TEXT = "Dit is een testtekst die een medewerker net in de catalogus zette."
NEW_ITEM = {
    "id": "telewerk-kotwerk-test", "aspect": "eligibility", "label": "Mag ik kotwerken?",
    "questions": ["geldt het actieplan telewerk ook voor kotwerken op een studentenkamer?"],
    "answer": "Testantwoord: over kotwerken zegt het actieplan telewerk niets.", "sources": ["S51"],
}


def until(check, what, seconds=30):
    """The NLU component re-reads the catalogue within its refresh interval (5 s)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(1)


def test_an_edited_item_a_new_item_and_a_new_alias_reach_the_running_bot(stack, tmp_path):
    engine = get_engine(stack.env["BOT_DATABASE_URL"])
    copy = tmp_path / "catalogue"
    shutil.copytree(catalogue_dir(), copy)
    path = copy / "measures" / "telewerk.yml"
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    overview = next(i for i in entry["items"] if i["aspect"] == "overview")
    overview["answer"] = NEW_TEXT
    entry["items"].append(NEW_ITEM)
    entry["aliases"].append("kotwerkregeling")
    path.write_text(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def ask(text):
        return stack.say(f"content-{uuid.uuid4().hex[:8]}", text)

    try:
        assert load_catalogue(engine, copy).ok
        # The edited text is read from the database at once (the action server reads per version).
        until(lambda: NEW_TEXT in bot_texts(ask(overview["questions"][0])), "edited item text")
        until(lambda: NEW_ITEM["answer"] in bot_texts(ask(NEW_ITEM["questions"][0])), "new item")
        until(lambda: any(e["entity"] == "measure" and e["value"] == "telewerk"
                          for e in stack.parse("wat is de kotwerkregeling?")["entities"]), "new alias")
        assert decode(ask("wat is de kotwerkregeling?")).primary_measure == "telewerk"
    finally:
        assert load_catalogue(engine, catalogue_dir()).ok
