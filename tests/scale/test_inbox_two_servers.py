"""A staff assignment in the inbox takes effect on both Rasa servers of the cluster at the next
message, without retraining or restarting: it lives in the shared catalogue database
(PostgreSQL here), which every action server reads at each message."""
from __future__ import annotations

import json
import os
import subprocess
import uuid

from bot.rasa_api import decode
from tests.servers import REPO, VENV_BIN

MESSAGE = "hoe vraag ik die wbc-bon aan?"


def bot(cluster, *args: str) -> str:
    env = {**os.environ, "BOT_DATABASE_URL": cluster.env["BOT_DATABASE_URL"], "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
    return subprocess.run([str(VENV_BIN / "python"), "-m", "bot", *args], cwd=REPO, env=env, text=True,
                          capture_output=True, timeout=300, check=True).stdout


def ask(cluster, server: str, text: str):
    """`text` in a new conversation, sent to this Rasa server directly (not through nginx)."""
    return decode(cluster.say_at(server, f"inbox-{uuid.uuid4().hex[:10]}", text))


def test_an_assignment_reaches_both_servers(cluster):
    for server in cluster.rasa_urls:
        before = ask(cluster, server, MESSAGE)
        assert before.primary_measure is None, (server, before)
    [item] = [i for i in json.loads(bot(cluster, "inbox", "list", "--json"))["items"] if i["text"] == MESSAGE]
    assert item["count"] == 2 and item["reason"] in ("declined", "clarified", "no_context")  # one item for both servers

    bot(cluster, "inbox", "assign", str(item["id"]), "werkbaar-werk", "--by", "scale-test")
    for server in cluster.rasa_urls:
        after = ask(cluster, server, MESSAGE)
        assert after.primary_measure == "werkbaar-werk", (server, after)
        assert "werkbaarheidscheque" in " ".join(after.texts).lower(), (server, after.texts)
