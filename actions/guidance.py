"""The guidance form: who the person is and what they want, then recommendations."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import ActionReply
from actions.common import catalogue_errors_answered, send, turn_of
from bot.catalogue.db import session_scope
from bot.catalogue.vocabulary import vocabulary
from bot.dialogue.guidance import guidance_question, recommendation_reply
from bot.dialogue.plan import guidance_asked_for


class ValidateGuidanceForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_guidance_form"

    def validate_doelgroep(self, value: Any, dispatcher: CollectingDispatcher,
                           tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if value in vocabulary().target_groups:
            return {"doelgroep": value}
        dispatcher.utter_message(text="Dat herkende ik niet. Kies een van de knoppen, of typ bijvoorbeeld 'werkzoekende' of 'werkgever'.")
        return {"doelgroep": None}

    def validate_interesse(self, value: Any, dispatcher: CollectingDispatcher,
                           tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if value in vocabulary().interests:
            return {"interesse": value}
        dispatcher.utter_message(text="Dat herkende ik niet. Kies een van de knoppen, of typ bijvoorbeeld 'een opleiding volgen'.")
        return {"interesse": None}


class ActionRecommend(Action):
    def name(self) -> Text:
        return "action_recommend"

    @catalogue_errors_answered
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        if not (tracker.get_slot("doelgroep") and tracker.get_slot("interesse")):
            return []  # the form ended early: its first message was answered instead
        if not guidance_asked_for(turn_of(tracker)):
            # Both slots were known from earlier messages, so the form completed at once on a
            # message the classifier only half read as "help me kiezen": answer that message.
            return ActionReply().run(dispatcher, tracker, domain)
        with session_scope() as session:
            reply = recommendation_reply(
                session, tracker.get_slot("doelgroep"), tracker.get_slot("interesse")
            )
        send(dispatcher, reply)
        primary = reply.measures[0]["id"] if reply.measures else None
        return [SlotSet("measure", primary), SlotSet("instrument", None)]


class GuidanceQuestion(Action):
    """Asks for one slot of the guidance form; when the form was started by a message that did
    not really ask for guidance, ends the form and answers that message instead."""
    slot = ""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        if not guidance_asked_for(turn_of(tracker)):
            # The form is being activated (the tracker does not show it yet): end it, and answer.
            events = ActionReply().run(dispatcher, tracker, domain)
            return events + [ActiveLoop(None), SlotSet("requested_slot", None)]
        send(dispatcher, guidance_question(self.slot))
        return []


class ActionAskDoelgroep(GuidanceQuestion):
    slot = "doelgroep"


class ActionAskInteresse(GuidanceQuestion):
    slot = "interesse"
