"""Answers about measures, asking back when unsure, and handing over to a person."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import catalogue_errors_answered, leave_form, send
from bot.answers import answer_message
from bot.catalogue.db import session_scope
from bot.dialogue import decline_reason
from bot.feedback import record_handoff
from bot.guidance import clarify_reply, handoff_reply, no_measure_reply, recommendation_reply


def _context(tracker: Tracker) -> tuple:
    return tracker.get_slot("measure"), tracker.get_slot("instrument")


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
            dispatcher.utter_message(response=f"utter_{reason}")
            return leave_form(tracker)
        with session_scope() as session:
            reply, topic = answer_message(
                session, message["intent"].get("name"), message.get("entities", []), _context(tracker)
            )
            if reply is None:
                send(dispatcher, no_measure_reply())
                return leave_form(tracker)
        send(dispatcher, reply)
        return _topic_events(topic, reply) + leave_form(tracker)


class ActionFallback(Action):
    """Not understood: decline or answer anyway when the words make it clear (a measure is
    named, or who the person is and what they want); otherwise ask back with the likeliest
    measures; the second miss in a row offers VDAB's contact."""

    def name(self) -> Text:
        return "action_fallback"

    @catalogue_errors_answered
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        message = tracker.latest_message
        entities = message.get("entities", [])
        reason = decline_reason(entities)
        if reason:
            dispatcher.utter_message(response=f"utter_{reason}")
            return []
        kinds = {e.get("entity"): e.get("value") for e in entities}
        if {"doelgroep", "interesse"} <= kinds.keys():
            with session_scope() as session:
                send(dispatcher, recommendation_reply(session, kinds["doelgroep"], kinds["interesse"]))
            return [SlotSet("misses", 0)]
        if kinds.keys() & {"measure", "instrument"}:
            with session_scope() as session:
                reply, topic = answer_message(session, None, entities, (None, None))
            if reply is not None:
                send(dispatcher, reply)
                return _topic_events(topic, reply)
        misses = (tracker.get_slot("misses") or 0) + 1
        if misses >= 2:
            return _hand_off(dispatcher, tracker, "second miss")
        ranking = [r.get("name") for r in message.get("intent_ranking", [])]
        with session_scope() as session:
            send(dispatcher, clarify_reply(session, ranking))
        return [SlotSet("misses", misses)]


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    @catalogue_errors_answered
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        return _hand_off(dispatcher, tracker, "asked for a person") + leave_form(tracker)
