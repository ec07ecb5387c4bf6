"""The staff loop on the running bot: a message with a nickname staff use for the
werkbaarheidscheque is not placed, enters the inbox, is assigned on the command line, and the
same or a near-identical message then gets the werkbaarheidscheque answer in a new
conversation, without retraining; the export is valid Rasa training data."""
from __future__ import annotations

import json
import os
import subprocess
import uuid

from bot.rasa_api import decode
from tests.servers import REPO, VENV_BIN

MESSAGE = "hoe vraag ik die wbc-bon aan?"
NEAR_IDENTICAL = "Hoe vraag ik de WBC-bon aan"
UNPLACED = {"declined", "clarified", "no_context"}


def sender() -> str:
    return f"inbox-{uuid.uuid4().hex[:10]}"


def bot(stack, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """`python -m bot ARGS` on the stack's database, as staff run it."""
    env = {**os.environ, "BOT_DATABASE_URL": stack.env["BOT_DATABASE_URL"], "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
    return subprocess.run([str(VENV_BIN / "python"), "-m", "bot", *args], cwd=REPO, env=env, text=True,
                          capture_output=True, timeout=300, check=check)


def inbox_items(stack, *args: str) -> list:
    return json.loads(bot(stack, "inbox", "list", "--json", *args).stdout)["items"]


def test_an_assignment_on_the_command_line_answers_the_next_message(stack, tmp_path):
    before = decode(stack.say(sender(), MESSAGE))
    assert before.primary_measure is None, before  # not placed: declined or asked back
    assert not any("werkbaarheidscheque" in text.lower() for text in before.texts), before.texts

    [item] = [i for i in inbox_items(stack) if i["text"] == MESSAGE]
    assert item["reason"] in UNPLACED and item["count"] == 1 and item["status"] == "open"
    assert item["reply"] == before.texts[0] and item["last_seen"]

    refused = bot(stack, "inbox", "assign", str(item["id"]), "wbc-bon", check=False)
    assert refused.returncode == 1 and "'wbc-bon' is geen maatregel" in refused.stderr
    assert [i["status"] for i in inbox_items(stack) if i["id"] == item["id"]] == ["open"]

    done = bot(stack, "inbox", "assign", str(item["id"]), "werkbaar-werk", "--by", "e2e")
    assert done.stdout.strip() == f"Item #{item['id']}: assigned -> werkbaar-werk"
    assert not [i for i in inbox_items(stack) if i["id"] == item["id"]]  # no longer open
    [decided] = [i for i in inbox_items(stack, "--all") if i["id"] == item["id"]]
    assert (decided["status"], decided["measure"]) == ("assigned", "werkbaar-werk")

    for text in (MESSAGE, NEAR_IDENTICAL):
        after = decode(stack.say(sender(), text))  # a new conversation
        assert after.primary_measure == "werkbaar-werk", (text, after)
        assert "werkbaarheidscheque" in " ".join(after.texts).lower(), (text, after.texts)

    exported = tmp_path / "inbox.yml"
    assert "voorbeelden geschreven" in bot(stack, "inbox", "export", "--file", str(exported)).stdout
    content = exported.read_text(encoding="utf-8")
    intent = content[content.index("- intent: ask_werkbaar_werk"):]
    assert f"    - {MESSAGE}\n" in intent.split("- intent:", 2)[1]
    validate = subprocess.run(
        [str(VENV_BIN / "rasa"), "data", "validate", "--domain", "domain.yml", "--data", "data/nlu",
         str(exported), "data/rules.yml", "data/stories.yml"],
        cwd=REPO, capture_output=True, text=True, timeout=600,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert validate.returncode == 0, validate.stdout[-3000:] + validate.stderr[-3000:]
