"""A Redis lock store for several Rasa servers (deploy/endpoints.production.yml).

Rasa's RedisLockStore serialises the messages of one conversation with "tickets" kept in one
Redis key, but it (1) reads, changes and writes that key without a transaction, so two servers
that take a ticket for the same conversation at the same moment can overwrite each other's
ticket (RasaHQ/rasa#11256; the fix, ConcurrentRedisLockStore, is not in Rasa Open Source 3.6),
and (2) lets the ticket of a message that is still *waiting* expire: when the server holding the
conversation dies (kill -9) and the waiting message's ticket expires in the same polling interval
as the dead one, the waiting message polls forever and the person gets no answer.

ResilientRedisLockStore changes exactly that: every change of a conversation's tickets is one
Lua script, which Redis runs atomically, and a waiting message keeps its ticket alive. The
tickets of a dead server still expire after TICKET_LOCK_LIFETIME seconds (Rasa's setting,
default 60; 15 is recommended here), so its conversations continue on the other server.
A message costs three Redis round trips (take a ticket, take its turn, give it back), each one
blocking the server's event loop; the optimistic WATCH/MULTI transactions this store used
before took a dozen. On loopback that did not change the throughput measurably (py-spy had put
17 % of the server's samples in them, mostly waiting); with Redis on another host each round
trip costs a network delay.
The tickets are stored as Rasa stores them, so `get_lock` and Rasa's tools read them as usual.

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
from typing import Any, Optional, Text

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore

logger = logging.getLogger(__name__)

# Shared by the scripts: the live tickets of a conversation (sorted by number), and storing them
# in Rasa's format (the lock as JSON, each ticket a JSON string in it; no tickets, no key).
_TICKETS = """
local function live_tickets(key, now)
  local tickets, expired = {}, false
  local raw = redis.call('GET', key)
  if raw then
    for _, text in ipairs(cjson.decode(raw)['tickets'] or {}) do
      local ticket = cjson.decode(text)
      if ticket['expires'] >= now then table.insert(tickets, ticket) else expired = true end
    end
  end
  return tickets, expired, raw
end
local function store(key, conversation_id, tickets)
  if #tickets == 0 then
    redis.call('DEL', key)
    return false
  end
  local texts = {}
  for i, ticket in ipairs(tickets) do
    texts[i] = cjson.encode({number = ticket['number'], expires = ticket['expires']})
  end
  local lock = cjson.encode({conversation_id = conversation_id, tickets = texts})
  redis.call('SET', key, lock)
  return lock
end
"""
# KEYS[1] lock key; ARGV conversation id, now, lifetime -> the new ticket's number
_ISSUE = _TICKETS + """
local now = tonumber(ARGV[2])
local tickets = live_tickets(KEYS[1], now)
local number = 1
if #tickets > 0 then number = tickets[#tickets]['number'] + 1 end
table.insert(tickets, {number = number, expires = now + tonumber(ARGV[3])})
store(KEYS[1], ARGV[1], tickets)
return number
"""
# ARGV conversation id, ticket, now, lifetime -> the lock, with this ticket put back if it expired
_KEEP_WAITING = _TICKETS + """
local now, number = tonumber(ARGV[3]), tonumber(ARGV[2])
local tickets, expired, raw = live_tickets(KEYS[1], now)
local present = false
for _, ticket in ipairs(tickets) do
  if ticket['number'] == number then present = true end
end
if present and not expired then return raw end
if not present then
  table.insert(tickets, {number = number, expires = now + tonumber(ARGV[4])})
  table.sort(tickets, function(a, b) return a['number'] < b['number'] end)
end
return store(KEYS[1], ARGV[1], tickets)
"""
# ARGV conversation id, ticket, now: drop this ticket (and expired ones)
_CLEANUP = _TICKETS + """
local now, number = tonumber(ARGV[3]), tonumber(ARGV[2])
local kept = {}
for _, ticket in ipairs(live_tickets(KEYS[1], now)) do
  if ticket['number'] ~= number then table.insert(kept, ticket) end
end
store(KEYS[1], ARGV[1], kept)
return 0
"""


class ResilientRedisLockStore(RedisLockStore):
    """RedisLockStore with atomic ticket changes and waiting tickets that do not expire."""

    def __init__(self, endpoint_config: Any = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # Rasa creates custom lock stores from the endpoints file
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)
        self._issue = self.red.register_script(_ISSUE)
        self._keep_waiting_script = self.red.register_script(_KEEP_WAITING)
        self._cleanup = self.red.register_script(_CLEANUP)

    def _key(self, conversation_id: Text) -> Text:
        return self.key_prefix + conversation_id

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return int(self._issue(keys=[self._key(conversation_id)],
                                   args=[conversation_id, time.time(), lock_lifetime]))
        except Exception as error:  # noqa: BLE001 - as Rasa's LockStore.issue_ticket
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def _keep_waiting(self, conversation_id: Text, ticket: int, lifetime: float) -> TicketLock:
        """Drop expired tickets; put this (still waiting) ticket back if it expired meanwhile."""
        raw = self._keep_waiting_script(keys=[self._key(conversation_id)],
                                        args=[conversation_id, ticket, time.time(), lifetime])
        return TicketLock.from_dict(json.loads(raw))

    async def _acquire_lock(self, conversation_id: Text, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        while True:
            lock = self._keep_waiting(conversation_id, ticket, LOCK_LIFETIME)
            if not lock.is_locked(ticket):
                logger.debug(f"Acquired lock for conversation '{conversation_id}'.")
                return lock
            await asyncio.sleep(wait_time_in_seconds)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Remove this ticket; delete the lock when no other ticket is left."""
        self._cleanup(keys=[self._key(conversation_id)], args=[conversation_id, ticket_number, time.time()])
