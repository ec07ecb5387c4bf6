"""What every action shares: the turn the dialogue sees, sending a reply, leaving the form,
and surviving a database outage."""
from __future__ import annotations

import functools
import logging
from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from bot.dialogue.replies import UNAVAILABLE, Reply
from bot.dialogue.turn import Turn

logger = logging.getLogger(__name__)


def turn_of(tracker: Tracker) -> Turn:
    return Turn.from_parse(tracker.latest_message, tracker.current_slot_values())


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
    payload = reply.payload()
    if payload:
        dispatcher.utter_message(json_message=payload)


def leave_form(tracker: Tracker) -> List[Dict[str, Any]]:
    """Events that end the guidance form when the person switched to another topic."""
    if tracker.active_loop_name:
        return [ActiveLoop(None), SlotSet("requested_slot", None)]
    return []


def catalogue_errors_answered(run):
    """A database outage gets a friendly Dutch message with VDAB's contact, not silence."""

    @functools.wraps(run)
    def wrapper(self, dispatcher, tracker, domain):
        try:
            return run(self, dispatcher, tracker, domain)
        except SQLAlchemyError:
            logger.exception("Catalogue database unavailable")
            dispatcher.utter_message(text=UNAVAILABLE)
            return []

    return wrapper
