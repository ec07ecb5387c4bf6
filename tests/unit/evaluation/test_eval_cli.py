"""`python -m bot ask | evaluate` against a local stand-in for Rasa over real HTTP."""
from __future__ import annotations

import json
import socket

import pytest

from bot.cli import main
from tests.unit.evaluation.fake_rasa import TOKEN, reply, serving

REPLIES = {
    "Wat is telewerk?": reply("Telewerk: het actieplan telt 47 acties.", "telewerk", "overview"),
    "Bestaat de stagebonus nog?": reply("De stagebonus bestaat nog.", "stagebonus", "status"),
    "Hoe laat is het?": reply("Daar kan ik je niet mee helpen."),
}
QUESTIONS = """\
questions:
  - {id: q1, text: "Wat is telewerk?", expect: telewerk, aspect: overview, must: [["actieplan"], ["47"]]}
  - {id: q2, text: "Bestaat de stagebonus nog?", expect: stagebonus, aspect: status,
     must: [["afgeschaft", "bestaat niet meer"]], must_not: ["bestaat nog"]}
  - {id: q3, text: "Hoe laat is het?", expect: out_of_scope}
conversations:
  - id: c1
    turns:
      - {text: "Wat is telewerk?", expect: telewerk}
      - {text: "Hoe laat is het?", expect: telewerk}
"""


@pytest.fixture
def tokens(monkeypatch, tmp_path):
    """Tokens as `make` writes them, in a var/local.env of our own; none in the environment."""
    env_file = tmp_path / "local.env"
    env_file.write_text(f"RASA_TOKEN={TOKEN}\nBOT_STAFF_TOKEN=staff\n")
    monkeypatch.setattr("bot.rasa_api.LOCAL_ENV", env_file)
    for name in ("RASA_TOKEN", "BOT_STAFF_TOKEN", "BOT_RASA_URL"):
        monkeypatch.setenv(name, "placeholder")
        monkeypatch.delenv(name)
    return monkeypatch


def test_ask_reads_the_token_from_var_local_env(tokens, capsys):
    with serving(REPLIES) as fake:
        assert main(["ask", "Wat is telewerk?", "--url", fake.url, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["measure"] == "telewerk" and shown["intent"] == "ask_measure"
    assert fake.calls[0][1]["token"] == [TOKEN]


def test_ask_with_a_wrong_token_says_so(tokens, capsys):
    tokens.setenv("RASA_TOKEN", "wrong")  # set variables win over the file
    with serving(REPLIES) as fake:
        assert main(["ask", "Wat is telewerk?", "--url", fake.url]) == 1
    err = capsys.readouterr().err
    assert "Het token ontbreekt of is fout (RASA_TOKEN, zie var/local.env)." in err
    assert "Start hem eerst" not in err


def test_ask_when_the_bot_is_not_running(tokens, capsys):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["ask", "Wat is telewerk?", "--url", f"http://127.0.0.1:{port}"]) == 1
    assert "De chatbot antwoordt niet op" in capsys.readouterr().err


def test_evaluate_writes_json_and_report(tokens, tmp_path, capsys):
    questions = tmp_path / "dev.yml"
    questions.write_text(QUESTIONS, encoding="utf-8")
    figures_file, report = tmp_path / "figures.json", tmp_path / "report.html"
    with serving(REPLIES) as fake:
        code = main(["evaluate", str(questions), "--url", fake.url, "--json", str(figures_file),
                     "--report", str(report)])
    assert code == 0
    assert "Juiste maatregel (binnen bereik):" in capsys.readouterr().out
    assert [c[0] for c in fake.calls] == ["/webhooks/rest/webhook"] * 5  # no /model/parse unasked
    assert fake.connections == 1
    figures = json.loads(figures_file.read_text(encoding="utf-8"))
    assert figures["right_measure"] == {"hits": 2, "total": 2, "pct": 100.0}
    assert figures["out_of_scope"]["hits"] == 1 and figures["follow_ups"]["hits"] == 0
    assert figures["answers"] == {"hits": 1, "total": 2, "pct": 50.0}
    assert figures["answers_per_aspect"]["status"]["hits"] == 0
    assert figures["failing"] == ["c1#1", "q2"]
    senders = [c[2]["sender"] for c in fake.calls]
    assert senders[3] == senders[4] and len(set(senders[:4])) == 4  # one conversation, fresh questions
    html = report.read_text(encoding="utf-8")
    assert "verboden tekst gevonden: “bestaat nog”" in html


def test_evaluate_understand_needs_the_token(tokens, tmp_path, capsys):
    tokens.setenv("RASA_TOKEN", "wrong")
    questions = tmp_path / "dev.yml"
    questions.write_text(QUESTIONS, encoding="utf-8")
    with serving(REPLIES) as fake:
        assert main(["evaluate", str(questions), "--url", fake.url, "--understand"]) == 1
    assert "Het token ontbreekt of is fout" in capsys.readouterr().err


def test_evaluate_bad_file(tokens, tmp_path, capsys):
    questions = tmp_path / "bad.csv"
    questions.write_text("id,text,expect\nq1,,telewerk\n", encoding="utf-8")
    assert main(["evaluate", str(questions), "--url", "http://127.0.0.1:9"]) == 1
    assert f"{questions}, rij 2" in capsys.readouterr().err
