"""A Redis lock store for several Rasa servers (deploy/endpoints.production.yml).

Rasa's RedisLockStore serialises the messages of one conversation with "tickets" kept in one
Redis key, but it (1) reads, changes and writes that key without a transaction, so two servers
that take a ticket for the same conversation at the same moment can overwrite each other's
ticket (RasaHQ/rasa#11256; the fix, ConcurrentRedisLockStore, is not in Rasa Open Source 3.6),
and (2) lets the ticket of a message that is still *waiting* expire: when the server holding the
conversation dies (kill -9) and the waiting message's ticket expires in the same polling interval
as the dead one, the waiting message polls forever and the person gets no answer.

ResilientRedisLockStore changes exactly that: every change of a conversation's tickets is one
optimistic Redis transaction (WATCH/MULTI), and a waiting message keeps its ticket alive. The
tickets of a dead server still expire after TICKET_LOCK_LIFETIME seconds (Rasa's setting,
default 60; 15 is recommended here), so its conversations continue on the other server.

endpoints:
    lock_store:
      type: bot.lock_store.ResilientRedisLockStore
      url: 127.0.0.1
      port: 6379
      db: 0
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, Callable, Optional, Text, Tuple

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore

logger = logging.getLogger(__name__)

Update = Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], Any]]


class ResilientRedisLockStore(RedisLockStore):
    """RedisLockStore with atomic ticket changes and waiting tickets that do not expire."""

    def __init__(self, endpoint_config: Any = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # Rasa creates custom lock stores from the endpoints file
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _key(self, conversation_id: Text) -> Text:
        return self.key_prefix + conversation_id

    def _atomic(self, conversation_id: Text, update: Update) -> Any:
        """Apply `update` to the stored lock in one Redis transaction (retried on conflict);
        `update` returns (new lock or None to delete it, result)."""
        import redis

        key = self._key(conversation_id)
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    new_lock, result = update(lock)
                    pipe.multi()
                    if new_lock is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new_lock.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def update(lock: Optional[TicketLock]):
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._atomic(conversation_id, update)
        except Exception as error:  # noqa: BLE001 - as Rasa's LockStore.issue_ticket
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def _keep_waiting(self, conversation_id: Text, ticket: int, lifetime: float) -> TicketLock:
        """Drop expired tickets; put this (still waiting) ticket back if it expired meanwhile."""

        def update(lock: Optional[TicketLock]):
            lock = lock or TicketLock(conversation_id)
            lock.remove_expired_tickets()
            if all(t.number != ticket for t in lock.tickets):
                tickets = sorted([*lock.tickets, Ticket(ticket, time.time() + lifetime)], key=lambda t: t.number)
                lock.tickets.clear()
                lock.tickets.extend(tickets)
            return lock, lock

        return self._atomic(conversation_id, update)

    async def _acquire_lock(self, conversation_id: Text, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        while True:
            lock = self._keep_waiting(conversation_id, ticket, LOCK_LIFETIME)
            if not lock.is_locked(ticket):
                logger.debug(f"Acquired lock for conversation '{conversation_id}'.")
                return lock
            await asyncio.sleep(wait_time_in_seconds)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Remove this ticket; delete the lock when no other ticket is left."""

        def update(lock: Optional[TicketLock]):
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            lock.remove_expired_tickets()
            return (lock if lock.tickets else None), None

        self._atomic(conversation_id, update)
