"""Processes on loopback ports: HTTP helpers, readiness polling, free ports, the Procfile's
command lines and who listens where."""
from __future__ import annotations

import ipaddress
import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, List, Optional, Tuple

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = REPO / ".venv" / "bin"
MODEL = REPO / "models" / "current.tar.gz"
PROCFILE = REPO / "Procfile"


def http(method: str, url: str, body: Optional[dict] = None, headers: Optional[dict] = None,
         timeout: float = 30.0):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        raw = response.read()
        return response.status, (json.loads(raw) if raw else None)


def http_raw(method: str, url: str, data: Optional[bytes] = None, headers: Optional[dict] = None,
             timeout: float = 60.0) -> Tuple[int, bytes, Dict[str, str]]:
    """Like http(), for any body and any status: (status, body bytes, headers); never raises on 4xx/5xx."""
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers or {})


def wait_until(check, timeout: float, what: str, process: Optional[subprocess.Popen] = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            if check():
                return
        except (urllib.error.URLError, ConnectionError, OSError, ValueError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{what} not ready after {timeout:.0f} s")


def reachable(host: str, port: int) -> bool:
    """Whether something accepts connections there (PostgreSQL, Redis, a server)."""
    try:
        with socket.create_connection((host, port), timeout=3):
            return True
    except OSError:
        return False


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def procfile_command(name: str) -> str:
    """The command of the Procfile line `name: command`."""
    for line in PROCFILE.read_text().splitlines():
        key, _, command = line.partition(":")
        if key.strip() == name and command.strip():
            return command.strip()
    raise KeyError(f"no '{name}:' line in {PROCFILE}")


@contextmanager
def serving(servers):
    """Yield running servers (a Stack or a Cluster); print their logs when something fails
    and stop them in every case."""
    try:
        yield servers
    except Exception:
        print(servers.logs())
        raise
    finally:
        servers.stop()


def listening_addresses(port: int) -> List[str]:
    """The local addresses a TCP socket listens on for `port` (from /proc/net/tcp and tcp6)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, port_hex = fields[1].split(":")
            if fields[3] != "0A" or int(port_hex, 16) != port:  # 0A = LISTEN
                continue
            raw = bytes.fromhex(address)
            # /proc prints each 32-bit word in host (little-endian) order
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
            found.append(str(ipaddress.ip_address(raw)))
    return found
