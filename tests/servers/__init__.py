"""The server harness that the tests and the benchmark (bench/) share: the bot's real servers on
free loopback ports, polled until ready, stopped by their own process ids."""
from tests.servers.cluster import (NGINX_INSTALL, PRODUCTION_ENDPOINTS, Cluster, PostgresDatabase, find_nginx,
                                   render_nginx_config)
from tests.servers.conversations import (ConversationReport, Transcript, answer_texts, bot_texts,
                                         check_conversations, tracker_events)
from tests.servers.process import (MODEL, PROCFILE, REPO, VENV_BIN, free_port, http, http_raw, listening_addresses,
                                   procfile_command, reachable, serving, wait_until)
from tests.servers.sockets import socketio_turns, socketio_websocket_turns
from tests.servers.stack import Stack

__all__ = [
    "MODEL", "NGINX_INSTALL", "PROCFILE", "PRODUCTION_ENDPOINTS", "REPO", "VENV_BIN", "Cluster",
    "ConversationReport", "PostgresDatabase", "Stack", "Transcript", "answer_texts", "bot_texts",
    "check_conversations", "find_nginx", "free_port", "http", "http_raw", "listening_addresses",
    "procfile_command", "reachable", "render_nginx_config", "serving", "socketio_turns", "socketio_websocket_turns",
    "tracker_events", "wait_until",
]
