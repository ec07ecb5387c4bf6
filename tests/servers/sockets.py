"""The chat page's transport: socket.io with the python client, and the same over a plain
websocket for what goes through nginx."""
from __future__ import annotations

import asyncio
import json
from typing import List, Optional


async def socketio_turns(base_url: str, session_id: str, messages: List[object],
                         transports: Optional[List[str]] = None, quiet: float = 0.8,
                         timeout: float = 60.0, raw: bool = False) -> List[List[dict]]:
    """Send `messages` over socket.io as the chat page does (session_request, then user_uttered
    with session_id) and collect the bot_uttered events of each turn: a turn ends `quiet`
    seconds after its last event. With raw=True each message is emitted as the event's data
    unchanged (for malformed payloads)."""
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    received: "asyncio.Queue[dict]" = asyncio.Queue()
    confirmed = asyncio.Event()

    @client.on("bot_uttered")
    async def on_bot(data=None, *_):
        await received.put(data)

    @client.on("session_confirm")
    async def on_confirm(*_):
        confirmed.set()

    await client.connect(base_url, socketio_path="socket.io", transports=transports or ["polling"],
                         wait_timeout=20)
    turns: List[List[dict]] = []
    try:
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), 20)
        for message in messages:
            payload = message if raw else {"message": message, "session_id": session_id}
            await client.emit("user_uttered", payload)
            turn = [await asyncio.wait_for(received.get(), timeout)]
            while True:
                try:
                    turn.append(await asyncio.wait_for(received.get(), quiet))
                except asyncio.TimeoutError:
                    break
            turns.append(turn)
    finally:
        await client.disconnect()
    return turns


async def socketio_websocket_turns(base_url: str, session_id: str, messages: List[str],
                                   quiet: float = 0.8, timeout: float = 60.0,
                                   origin: Optional[str] = None) -> List[List[dict]]:
    """socketio_turns() over a plain websocket (Engine.IO 4 / Socket.IO 5 packets written by
    hand): python-engineio 4.15's websocket client needs a newer aiohttp than Rasa pins. This
    is what goes through nginx's Upgrade/Connection headers."""
    import websockets

    url = base_url.replace("http://", "ws://", 1) + "/socket.io/?EIO=4&transport=websocket"
    async with websockets.connect(url, open_timeout=20, max_size=2 ** 22, origin=origin) as socket:

        async def next_event(wait: float):
            while True:
                packet = await asyncio.wait_for(socket.recv(), wait)
                if packet == "2":  # Engine.IO ping
                    await socket.send("3")
                elif packet.startswith("42"):
                    name, *args = json.loads(packet[2:])
                    return name, args
                elif packet.startswith("40"):
                    return "connect", []
                elif packet.startswith("44"):
                    raise ConnectionError(f"socket.io refused the connection: {packet}")

        opening = await asyncio.wait_for(socket.recv(), 20)
        if not opening.startswith("0"):
            raise ConnectionError(f"no Engine.IO open packet: {opening!r}")
        await socket.send("40")
        if (await next_event(20))[0] != "connect":
            raise ConnectionError("no socket.io connect")
        await socket.send("42" + json.dumps(["session_request", {"session_id": session_id}]))
        while (await next_event(20))[0] != "session_confirm":
            pass
        turns: List[List[dict]] = []
        for message in messages:
            await socket.send("42" + json.dumps(["user_uttered", {"message": message, "session_id": session_id}]))
            turn: List[dict] = []
            wait = timeout
            while True:
                try:
                    name, args = await next_event(wait)
                except asyncio.TimeoutError:
                    if not turn:
                        raise
                    break
                if name == "bot_uttered":
                    turn.append(args[0] if args else {})
                    wait = quiet
            turns.append(turn)
        return turns
