"""A throw-away nginx in front of several Rasa servers: temporary prefix and config, loopback
port, stopped by its own pid."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Optional, Sequence


def find_nginx() -> Optional[str]:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx")
                                          if Path(p).exists()), None)


def render_config(prefix: Path, port: int, upstreams: Sequence[str]) -> str:
    """nginx.conf for a round-robin upstream of `upstreams` (host:port) on 127.0.0.1:`port`."""
    if not upstreams:
        raise ValueError("at least one upstream server is needed")
    servers = "\n".join(f"    server {u} max_fails=0;" for u in upstreams)
    return f"""worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {prefix}/client_body;
  proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fastcgi;
  uwsgi_temp_path {prefix}/uwsgi;
  scgi_temp_path {prefix}/scgi;
  upstream rasa {{
{servers}
    keepalive 32;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://rasa;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_read_timeout 60s;
    }}
  }}
}}
"""


class Nginx:
    def __init__(self, prefix: Path, port: int, upstreams: Sequence[str]) -> None:
        self.prefix = prefix
        self.port = port
        self.upstreams = list(upstreams)
        self.process: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> None:
        binary = find_nginx()
        if binary is None:
            raise FileNotFoundError("nginx is not installed (apt-get install -y nginx)")
        self.prefix.mkdir(parents=True, exist_ok=True)
        config = self.prefix / "nginx.conf"
        config.write_text(render_config(self.prefix, self.port, self.upstreams))
        log = open(self.prefix / "stdout.log", "wb")
        self.process = subprocess.Popen(
            [binary, "-p", str(self.prefix), "-c", str(config), "-e", str(self.prefix / "error.log"),
             "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {(self.prefix / 'error.log').read_text(errors='replace')[-500:]}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise TimeoutError("nginx not ready")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None
