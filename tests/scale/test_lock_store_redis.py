"""bot.lock_store.ResilientRedisLockStore on the real Redis (127.0.0.1:6379): the lock store of
deploy/endpoints.production.yml. Rasa's own RedisLockStore fails both first tests."""
from __future__ import annotations

import asyncio
import os
import threading
import time
import uuid

import pytest

redis = pytest.importorskip("redis")

from bot.lock_store import ResilientRedisLockStore  # noqa: E402

HOST = os.environ.get("BOT_TEST_REDIS_HOST", "127.0.0.1")
PORT = int(os.environ.get("BOT_TEST_REDIS_PORT", "6379"))


@pytest.fixture
def store():
    try:
        redis.StrictRedis(host=HOST, port=PORT, socket_timeout=3).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is not running on {HOST}:{PORT}: {error}")
    prefix = f"bottest{uuid.uuid4().hex[:8]}"
    made = []

    def make():
        made.append(ResilientRedisLockStore(host=HOST, port=PORT, db=0, key_prefix=prefix))
        return made[-1]

    yield make
    client = redis.StrictRedis(host=HOST, port=PORT)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_two_servers_taking_tickets_at_once_never_get_the_same_number(store):
    first, second = store(), store()  # two Rasa servers
    conversation = f"c-{uuid.uuid4().hex}"
    tickets, lock = [], threading.Lock()

    def take(lock_store):
        for _ in range(100):
            number = lock_store.issue_ticket(conversation, 60)
            with lock:
                tickets.append(number)

    threads = [threading.Thread(target=take, args=(s,)) for s in (first, second, first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(tickets) == 400
    assert len(set(tickets)) == 400
    assert len(first.get_lock(conversation).tickets) == 400


def test_a_waiting_message_survives_a_dead_servers_ticket_expiring_with_its_own(store):
    """A server died holding the conversation (its ticket stays); the next message waits. Both
    tickets expire before the waiter looks again: it must still get the lock, not poll forever."""
    lock_store = store()
    conversation = f"c-{uuid.uuid4().hex}"
    lock_store.issue_ticket(conversation, 2)  # the dead server's ticket

    async def next_message():
        started = time.monotonic()
        async with lock_store.lock(conversation, lock_lifetime=2, wait_time_in_seconds=3):
            return time.monotonic() - started

    waited = asyncio.run(asyncio.wait_for(next_message(), 20))
    assert 2 <= waited < 8
    assert lock_store.get_lock(conversation) is None  # cleaned up


def test_messages_of_one_conversation_take_turns(store):
    lock_store = store()
    conversation = f"c-{uuid.uuid4().hex}"
    order = []

    async def message(name, hold):
        async with lock_store.lock(conversation, lock_lifetime=30, wait_time_in_seconds=0.05):
            order.append(f"{name} start")
            await asyncio.sleep(hold)
            order.append(f"{name} end")

    async def both():
        first = asyncio.ensure_future(message("first", 0.5))
        await asyncio.sleep(0.1)
        await asyncio.gather(first, message("second", 0))

    asyncio.run(asyncio.wait_for(both(), 20))
    assert order == ["first start", "first end", "second start", "second end"]
    assert lock_store.get_lock(conversation) is None


def test_a_message_costs_three_redis_round_trips(store):
    """Take a ticket, take the turn, give it back: one atomic script each (the WATCH/MULTI
    transactions this store used before sent a dozen commands, each a round trip)."""
    lock_store = store()
    sent = []
    execute = lock_store.red.execute_command

    def counted(*args, **options):
        sent.append(args[0])
        return execute(*args, **options)

    lock_store.red.execute_command = counted

    async def message(conversation):
        async with lock_store.lock(conversation, lock_lifetime=30, wait_time_in_seconds=0.05):
            pass

    asyncio.run(message(f"c-{uuid.uuid4().hex}"))  # the first use loads the scripts into Redis
    sent.clear()
    asyncio.run(message(f"c-{uuid.uuid4().hex}"))
    assert sent == ["EVALSHA"] * 3


def test_reads_and_writes_the_tickets_in_rasas_format(store):
    from rasa.core.lock import TicketLock
    from rasa.core.lock_store import RedisLockStore

    lock_store = store()
    conversation = f"c-{uuid.uuid4().hex}"
    rasa_store = RedisLockStore(host=HOST, port=PORT, db=0)
    rasa_store.key_prefix = lock_store.key_prefix  # the same keys
    first = lock_store.issue_ticket(conversation, 60)
    second = rasa_store.issue_ticket(conversation, 60)  # Rasa's own code reads ours and adds one
    third = lock_store.issue_ticket(conversation, 60)
    assert (first, second, third) == (1, 2, 3)
    lock = rasa_store.get_lock(conversation)
    assert isinstance(lock, TicketLock) and [t.number for t in lock.tickets] == [1, 2, 3]
    for number in (1, 2, 3):
        lock_store.cleanup(conversation, number)
    assert rasa_store.get_lock(conversation) is None
