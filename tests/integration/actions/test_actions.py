"""The custom actions run against real rasa_sdk trackers and the real catalogue database; the
parsed message carries answer items ranked by the real index (see `parse_data`)."""
from __future__ import annotations

from typing import Dict, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.answers import ActionReply
from actions.guidance import ActionAskDoelgroep, ActionRecommend
from bot.catalogue.db import session_scope
from bot.catalogue.records import Handoff


@pytest.fixture
def tracker(parse_data, catalogue_database):
    def make(text: str, intent: str, confidence: float = 0.9, entities=(), ranking=(),
             slots: Optional[Dict] = None, active_loop: Optional[str] = None) -> Tracker:
        latest = parse_data(text, intent, confidence, entities, ranking)
        return Tracker("tester", slots or {}, latest, [], False, None,
                       {"name": active_loop} if active_loop else {}, "action_listen")

    return make


def run(action, tracker_):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker_, {})
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}, events


def payload(messages):
    return next((m["custom"]["data"] for m in messages if m.get("custom")), None)


def test_an_answer_sends_text_buttons_and_payload_and_sets_the_context(tracker):
    messages, slots, _ = run(ActionReply(), tracker(
        "hoeveel is een werkbaarheidscheque waard?", "ask_werkbaar_werk", 0.95,
        [("instrument", "werkbaarheidscheque")]))
    data = payload(messages)
    assert data["measures"][0]["id"] == "werkbaar-werk" and data["item"]
    assert "10.000" in messages[0]["text"] and "Bron" in messages[0]["text"]
    assert slots["measure"] == "werkbaar-werk" and slots["misses"] == 0


def test_a_follow_up_reads_the_context_from_the_tracker(tracker):
    messages, slots, _ = run(ActionReply(), tracker(
        "en hoeveel keer kan ik die krijgen?", "ask_followup", 0.95,
        slots={"measure": "werkbaar-werk", "instrument": "werkbaarheidscheque"}))
    assert payload(messages)["measures"][0]["id"] == "werkbaar-werk"
    assert slots["measure"] == "werkbaar-werk"


def test_a_decline_sets_no_measure_and_keeps_the_context(tracker):
    messages, slots, _ = run(ActionReply(), tracker(
        "hoeveel bedraagt mijn werkloosheidsuitkering?", "oos_federal", 0.97, slots={"measure": "telewerk"}))
    assert payload(messages) is None and "RVA" in messages[0]["text"]
    assert "measure" not in slots


def test_switching_topic_ends_the_guidance_form(tracker):
    _, _, events = run(ActionReply(), tracker("wat is telewerk", "ask_telewerk", 0.95,
                                              [("measure", "telewerk")], active_loop="guidance_form"))
    assert {"event": "active_loop", "name": None, "timestamp": None} in events


def test_saying_who_you_are_starts_the_guidance_form(tracker):
    messages, _, events = run(ActionReply(), tracker("ik ben werkgever", "inform", 0.95, [("doelgroep", "werkgever")]))
    assert messages == [] and events == [{"event": "followup", "name": "guidance_form", "timestamp": None}]


def test_a_question_half_read_as_help_me_choose_is_answered_not_guided(tracker):
    messages, _, events = run(ActionAskDoelgroep(), tracker("Ik heb een kleine zaak. Bestaat er subsidie voor opleidingen?",
                                                           "start_guidance", 0.17))
    assert "KMO-portefeuille" in messages[0]["text"] and "Wie ben je" not in messages[0]["text"]
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    messages, _, events = run(ActionRecommend(), tracker("Ik heb een kleine zaak.", "start_guidance", 0.17))
    assert messages == [] and events == []  # the form that ended early recommends nothing


def test_a_follow_up_half_read_as_help_me_choose_is_answered_when_the_form_would_complete_at_once(tracker):
    known = {"doelgroep": "zelfstandige", "interesse": "opleiding", "measure": "online-opleidingsaanbod"}
    messages, slots, _ = run(ActionRecommend(), tracker("hoe schrijf ik me in?", "start_guidance", 0.1, slots=known))
    assert payload(messages)["measures"][0]["id"] == "online-opleidingsaanbod"
    assert not messages[0]["text"].startswith("Dit past misschien") and slots["measure"] == "online-opleidingsaanbod"
    messages, _, _ = run(ActionRecommend(), tracker("help me kiezen", "start_guidance", 0.95, slots=known))
    assert messages[0]["text"].startswith("Dit past misschien")


def test_a_second_miss_hands_over_and_is_recorded_for_staff(tracker):
    first, slots, _ = run(ActionReply(), tracker("euh wat moet ik nu doen", "nlu_fallback", 0.3))
    assert slots["misses"] == 1 and first[0]["buttons"]
    second, slots, _ = run(ActionReply(), tracker("euh wat moet ik nu doen", "nlu_fallback", 0.3, slots={"misses": 1}))
    assert "0800 30 700" in second[0]["text"] and slots["handed_off"] is True
    with session_scope() as session:
        reasons = session.execute(select(Handoff.reason).where(Handoff.sender_id == "tester")).scalars().all()
    assert "second miss" in reasons


def test_guidance_question_and_recommendation(tracker):
    messages, _, _ = run(ActionAskDoelgroep(), tracker("help me kiezen", "start_guidance"))
    assert any('"doelgroep": "werkgever"' in b["payload"] for b in messages[0]["buttons"])
    messages, slots, _ = run(ActionRecommend(), tracker(
        "stagiairs", "inform", slots={"doelgroep": "werkgever", "interesse": "aanwerven"}))
    data = payload(messages)
    assert 1 <= len(data["measures"]) <= 3
    assert slots["measure"] == data["measures"][0]["id"]
    assert "stagebonus" not in [m.get("instrument") for m in data["measures"]]


def test_a_database_outage_gets_a_dutch_message(tracker, monkeypatch):
    monkeypatch.setenv("BOT_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    from bot.catalogue import db

    monkeypatch.setattr(db, "_engines", {})
    messages, slots, _ = run(ActionReply(), tracker("wat is telewerk", "ask_telewerk", 0.95))
    assert "technisch probleem" in messages[0]["text"] and "0800 30 700" in messages[0]["text"]
