"""`python -m bot web --port N [--host 127.0.0.1]`: serve the web app with uvicorn."""
from __future__ import annotations


def register(subparsers) -> None:
    parser = subparsers.add_parser("web", help="serve the chat page, feedback API and staff page")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    parser.set_defaults(func=run)


def run(args) -> int:
    import uvicorn

    from bot.web.app import create_app

    uvicorn.run(create_app(), host=args.host, port=args.port, log_level=args.log_level,
                proxy_headers=True, server_header=False)
    return 0
