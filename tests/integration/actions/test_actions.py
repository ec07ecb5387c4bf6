"""The custom actions run against real rasa_sdk trackers and the real catalogue database."""
from __future__ import annotations

from typing import Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswerMeasure, ActionDecline, ActionFallback, ActionHandoff
from actions.guidance import ActionAskDoelgroep, ActionRecommend


def tracker(text: str, intent: str, entities: Optional[List[Dict]] = None,
            slots: Optional[Dict] = None, ranking: Optional[List[str]] = None,
            active_loop: Optional[str] = None, confidence: float = 0.9) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": confidence},
              "entities": entities or [],
              "intent_ranking": [{"name": n, "confidence": 0.3} for n in (ranking or [])]}
    return Tracker("tester", slots or {}, latest, [], False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def run(action, tracker_):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker_, {})
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}, events


def payload(messages):
    return next((m["custom"]["data"] for m in messages if m.get("custom")), None)


@pytest.fixture(autouse=True)
def _database(catalogue_database):
    yield


def test_answer_names_the_measure_sets_context_and_offers_follow_ups():
    messages, slots, _ = run(ActionAnswerMeasure(), tracker(
        "wat is een werkbaarheidscheque", "ask_werkbaar_werk",
        [{"entity": "instrument", "value": "werkbaarheidscheque"}]))
    data = payload(messages)
    assert data["measures"][0]["id"] == "werkbaar-werk"
    assert data["measures"][0]["instrument"] == "werkbaarheidscheque"
    assert "Bron:" in messages[0]["text"] and messages[0]["buttons"]
    assert slots["measure"] == "werkbaar-werk" and slots["instrument"] == "werkbaarheidscheque"


def test_follow_up_reads_the_context_from_the_tracker():
    messages, slots, _ = run(ActionAnswerMeasure(), tracker(
        "hoeveel is dat?", "ask_followup", [{"entity": "aspect", "value": "amount"}],
        slots={"measure": "werkbaar-werk", "instrument": "werkbaarheidscheque"}))
    assert payload(messages)["aspect"] == "amount"
    assert slots["instrument"] == "werkbaarheidscheque"


def test_follow_up_without_context_asks_which_measure_offering_the_likeliest():
    messages, _, _ = run(ActionAnswerMeasure(), tracker(
        "is daar steun voor?", "ask_followup", ranking=["ask_followup", "ask_actieplan_e_leren", "greet"]))
    assert payload(messages) is None
    assert "Over welke maatregel" in messages[0]["text"]
    intents = [b["payload"] for b in messages[0]["buttons"]]
    assert intents[0].startswith("/ask_actieplan_e_leren") and intents[-1] == "/start_guidance"


def test_follow_up_without_context_that_says_who_and_what_gets_a_recommendation():
    messages, _, _ = run(ActionAnswerMeasure(), tracker(
        "ik ben werkzoekende en wil iets digitaal leren, wat kan ik doen?", "ask_followup",
        [{"entity": "doelgroep", "value": "werkzoekende"}, {"entity": "interesse", "value": "digitaal"}]))
    assert payload(messages)["aspect"] == "recommendation"
    assert payload(messages)["measures"]


def test_other_region_is_declined_even_with_a_measure_name():
    messages, _, _ = run(ActionAnswerMeasure(), tracker(
        "opleidingscheques in Wallonië?", "ask_opleidingsportefeuille",
        [{"entity": "instrument", "value": "opleidingscheques"},
         {"entity": "afwijzing", "value": "oos_other_region"}]))
    assert payload(messages) is None
    assert "Actiris" in messages[0]["text"]


def test_switching_topic_ends_the_guidance_form():
    _, _, events = run(ActionAnswerMeasure(), tracker(
        "wat is telewerk", "ask_telewerk", active_loop="guidance_form"))
    assert {"event": "active_loop", "name": None, "timestamp": None} in events


def test_fallback_asks_back_with_the_likeliest_measures_then_hands_over():
    first, slots, _ = run(ActionFallback(), tracker(
        "euh", "nlu_fallback", ranking=["nlu_fallback", "ask_telewerk", "ask_werkbaar_werk", "greet"]))
    titles = [b["payload"] for b in first[0]["buttons"]]
    assert titles[0].startswith("/ask_telewerk") and titles[1].startswith("/ask_werkbaar_werk")
    assert slots["misses"] == 1
    second, slots, _ = run(ActionFallback(), tracker("euh", "nlu_fallback", slots={"misses": 1}))
    assert "0800 30 700" in second[0]["text"] and slots["handed_off"] is True


def test_fallback_recommends_for_a_described_situation():
    messages, _, _ = run(ActionFallback(), tracker(
        "ik ben tijdelijk werkloos en wil iets bijleren", "nlu_fallback",
        [{"entity": "doelgroep", "value": "tijdelijk werkloze"},
         {"entity": "interesse", "value": "opleiding"}]))
    assert payload(messages)["measures"][0]["id"] == "opleiding-tijdelijk-werklozen"


def test_handoff_gives_vdab():
    messages, slots, _ = run(ActionHandoff(), tracker("ik wil iemand spreken", "handoff"))
    assert "0800 30 700" in messages[0]["text"] and slots["handed_off"] is True


def test_guidance_question_and_recommendation():
    messages, _, _ = run(ActionAskDoelgroep(), tracker("help me kiezen", "start_guidance"))
    assert any('"doelgroep": "werkgever"' in b["payload"] for b in messages[0]["buttons"])
    messages, slots, _ = run(ActionRecommend(), tracker(
        "stagiairs", "inform", slots={"doelgroep": "werkgever", "interesse": "aanwerven"}))
    data = payload(messages)
    assert 1 <= len(data["measures"]) <= 3
    assert slots["measure"] == data["measures"][0]["id"]
    assert "stagebonus" not in [m.get("instrument") for m in data["measures"]]


def test_fallback_with_an_aspect_and_a_measure_in_context_answers_the_follow_up():
    messages, slots, _ = run(ActionFallback(), tracker(
        "hoeveel is die waard?", "nlu_fallback", [{"entity": "aspect", "value": "amount"}],
        slots={"measure": "werkbaar-werk", "instrument": "werkbaarheidscheque"}))
    data = payload(messages)
    assert (data["measures"][0]["id"], data["aspect"]) == ("werkbaar-werk", "amount")


def test_out_of_scope_is_declined_unless_it_is_a_follow_up_in_context():
    messages, _, _ = run(ActionDecline(), tracker("wat is het weer morgen", "out_of_scope"))
    assert payload(messages) is None and "niet mee helpen" in messages[0]["text"]
    contact = [{"entity": "aspect", "value": "contact"}]
    messages, _, _ = run(ActionDecline(), tracker(
        "wie kan ik bellen?", "out_of_scope", contact, slots={"measure": "telewerk"}, confidence=0.6))
    assert (payload(messages)["measures"][0]["id"], payload(messages)["aspect"]) == ("telewerk", "contact")
    # A sure verdict stands: "hoe vraag ik een sociale woning aan" is no follow-up.
    messages, _, _ = run(ActionDecline(), tracker(
        "hoe vraag ik een sociale woning aan", "out_of_scope", [{"entity": "aspect", "value": "how_to_apply"}],
        slots={"measure": "sociale-economie"}, confidence=0.99))
    assert payload(messages) is None
    messages, _, _ = run(ActionDecline(), tracker(
        "hoeveel is mijn uitkering", "oos_federal", [{"entity": "aspect", "value": "amount"}],
        slots={"measure": "telewerk"}))
    assert payload(messages) is None and "RVA" in messages[0]["text"]
    messages, _, _ = run(ActionDecline(), tracker(
        "hoe schrijf ik mij in?", "oos_personal_data", [{"entity": "aspect", "value": "how_to_apply"}],
        slots={"measure": "telewerk"}, confidence=0.41))
    assert payload(messages)["aspect"] == "how_to_apply"


def test_a_sure_out_of_scope_verdict_yields_to_a_named_measure_but_not_to_who_and_what_words():
    words = [{"entity": "doelgroep", "value": "werknemer"}, {"entity": "interesse", "value": "opleiding"}]
    messages, _, _ = run(ActionDecline(), tracker(
        "vertaal naar het Frans: ik volg een opleiding", "out_of_scope", words, confidence=0.99))
    assert payload(messages) is None
    named = [{"entity": "instrument", "value": "opleidingscheques"}]
    messages, _, _ = run(ActionDecline(), tracker("opleidingscheques", "out_of_scope", named, confidence=0.99))
    assert payload(messages)["measures"][0]["id"] == "opleidingsportefeuille"
    messages, _, _ = run(ActionDecline(), tracker(
        "ik ben werknemer en wil iets leren", "out_of_scope", words, confidence=0.5))
    assert payload(messages)["aspect"] == "recommendation"
