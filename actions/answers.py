"""Answers about measures, asking back when unsure, and handing over to a person."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import catalogue_errors_answered, leave_form, send
from bot.answers import answer_message
from bot.catalogue.db import session_scope
from bot.dialogue import decline_reason, fallback_plan
from bot.feedback import record_handoff
from bot.guidance import clarify_reply, handoff_reply, no_measure_reply, recommendation_reply
from bot.replies import DECLINES, Reply


def _context(tracker: Tracker) -> tuple:
    return tracker.get_slot("measure"), tracker.get_slot("instrument")


def _ranked_intents(tracker: Tracker) -> List[Text]:
    return [r.get("name") for r in tracker.latest_message.get("intent_ranking", [])]


def _topic_events(topic, reply) -> List[Dict[Text, Any]]:
    return [
        SlotSet("measure", topic.measure_id),
        SlotSet("instrument", reply.measures[0].get("instrument")),
        SlotSet("aspect", reply.aspect),
        SlotSet("misses", 0),
    ]


def _hand_off(dispatcher, tracker, reason: str) -> List[Dict[Text, Any]]:
    with session_scope() as session:
        record_handoff(session, tracker.sender_id, reason, tracker.latest_message.get("text"))
    send(dispatcher, handoff_reply())
    return [SlotSet("handed_off", True), SlotSet("misses", 0)]


class ActionAnswerMeasure(Action):
    def name(self) -> Text:
        return "action_answer_measure"

    @catalogue_errors_answered
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        message = tracker.latest_message
        reason = decline_reason(message.get("entities", []))
        if reason:
            send(dispatcher, Reply(DECLINES[reason]))
            return leave_form(tracker)
        with session_scope() as session:
            intent = message["intent"]
            reply, topic = answer_message(session, intent.get("name"), message.get("entities", []),
                                          _context(tracker), intent.get("confidence", 1.0))
            if reply is None:
                # A follow-up with nothing to follow: who the person is and what they want may
                # still say enough for a recommendation.
                events = _act_on_words(dispatcher, tracker, session, follow_up=False)
                if events is None:
                    send(dispatcher, no_measure_reply(session, _ranked_intents(tracker)))
                    events = []
                return events + leave_form(tracker)
        send(dispatcher, reply)
        return _topic_events(topic, reply) + leave_form(tracker)


# Below this confidence an out-of-scope verdict may be overruled by the words and the context.
UNSURE_DECLINE = 0.75


def _act_on_words(dispatcher, tracker, session, follow_up: bool = True,
                  recommend: bool = True) -> Optional[List[Dict[Text, Any]]]:
    """Act on clear words in a message the classifier could not place (bot.dialogue.
    fallback_plan); None when the words are not clear enough either. `follow_up` allows
    reading the message as a question about the measure in context, `recommend` answering
    who-and-what words with a recommendation."""
    entities = tracker.latest_message.get("entities", [])
    plan = fallback_plan(entities, tracker.get_slot("measure") if follow_up else None)
    if plan == "decline":
        send(dispatcher, Reply(DECLINES[decline_reason(entities)]))
        return []
    if plan == "recommend" and recommend:
        values = {e["entity"]: e["value"] for e in entities}
        send(dispatcher, recommendation_reply(session, values["doelgroep"], values["interesse"]))
        return [SlotSet("misses", 0)]
    if plan in ("answer", "followup"):
        context = _context(tracker) if plan == "followup" else (None, None)
        reply, topic = answer_message(session, None, entities, context)
        if reply is not None:
            send(dispatcher, reply)
            return _topic_events(topic, reply)
    return None


class ActionFallback(Action):
    """Not understood: act on clear words; otherwise ask back with the likeliest measures;
    a second miss in a row offers VDAB."""

    def name(self) -> Text:
        return "action_fallback"

    @catalogue_errors_answered
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        with session_scope() as session:
            events = _act_on_words(dispatcher, tracker, session)
            if events is not None:
                return events
            misses = (tracker.get_slot("misses") or 0) + 1
            if misses < 2:
                send(dispatcher, clarify_reply(session, _ranked_intents(tracker)))
                return [SlotSet("misses", misses)]
        return _hand_off(dispatcher, tracker, "second miss")


class ActionDecline(Action):
    """Out of scope. Yet a message put with "other subjects" that names a measure, or one the
    classifier is unsure about that reads as a follow-up on the measure in context ("hoe
    schrijf ik mij in?"), is answered: the words decide."""

    def name(self) -> Text:
        return "action_decline"

    @catalogue_errors_answered
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        intent = tracker.latest_message["intent"]
        unsure = (intent.get("confidence") or 0.0) < UNSURE_DECLINE
        if intent.get("name") == "out_of_scope" or unsure:
            with session_scope() as session:
                # A sure "other subjects" verdict yields to a named measure only: "ik volg een
                # opleiding" in a request to translate a sentence is no question about training.
                events = _act_on_words(dispatcher, tracker, session, follow_up=unsure, recommend=unsure)
            if events is not None:
                return events + leave_form(tracker)
        intent = intent.get("name")
        send(dispatcher, Reply(DECLINES.get(intent, DECLINES["out_of_scope"])))
        return leave_form(tracker)


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    @catalogue_errors_answered
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        return _hand_off(dispatcher, tracker, "asked for a person") + leave_form(tracker)
