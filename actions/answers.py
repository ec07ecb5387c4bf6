"""The one answer path: read the turn, let bot.dialogue plan the reply, send it."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import catalogue_errors_answered, leave_form, send, turn_of
from bot import inbox
from bot.catalogue.db import session_scope
from bot.dialogue.plan import plan_reply
from bot.feedback import record_handoff

GUIDANCE_FORM = "guidance_form"


class ActionReply(Action):
    def name(self) -> Text:
        return "action_reply"

    @catalogue_errors_answered
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        turn = turn_of(tracker)
        with session_scope() as session:
            plan = plan_reply(session, turn)
            if plan.kind == "handoff":
                record_handoff(session, tracker.sender_id, plan.reason, turn.text)
            if plan.inbox:
                inbox.record(session, turn.text, plan.inbox, plan.reply.text, plan.candidates)
        if plan.start_guidance:
            return [FollowupAction(GUIDANCE_FORM)]
        send(dispatcher, plan.reply)
        events: List[Dict[Text, Any]] = [SlotSet("misses", plan.misses)]
        if plan.measure:
            events += [SlotSet("measure", plan.measure), SlotSet("instrument", plan.instrument)]
        if plan.kind == "handoff":
            events.append(SlotSet("handed_off", True))
        return events + leave_form(tracker)
