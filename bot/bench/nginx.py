"""A throw-away nginx in front of several Rasa servers: temporary prefix and config, loopback
port, stopped by its own pid."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import string
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Optional, Sequence

from bot.settings import REPO_ROOT

# The deployment's nginx config: two Rasa servers and the web app.
DEPLOY_TEMPLATE = REPO_ROOT / "deploy" / "nginx.conf.template"


def find_nginx() -> Optional[str]:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")
         if os.access(p, os.X_OK)), None)


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


def render_deploy_template(prefix: Path, listen: str, rasa_servers: Sequence[str], web_server: str,
                           allowed_origin: str) -> str:
    """deploy/nginx.conf.template with its ${...} placeholders filled in (nginx's own $variables
    stay); it has exactly two Rasa servers."""
    if len(rasa_servers) != 2:
        raise ValueError("the deploy template has two Rasa servers")
    return string.Template(DEPLOY_TEMPLATE.read_text()).safe_substitute(
        NGINX_PREFIX=str(prefix), NGINX_LISTEN=listen, RASA_SERVER_1=rasa_servers[0],
        RASA_SERVER_2=rasa_servers[1], WEB_SERVER=web_server, BOT_ALLOWED_ORIGIN=allowed_origin)


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx:
    """nginx on 127.0.0.1:`port` in front of `upstreams`: the deployment's template
    (deploy/nginx.conf.template) for two upstreams, else a minimal round-robin config. Only
    /webhooks/rest/ is used, so the template's web upstream points at an unused port."""

    def __init__(self, prefix: Path, port: int, upstreams: Sequence[str]) -> None:
        self.prefix = prefix
        self.port = port
        self.upstreams = list(upstreams)
        self.template = DEPLOY_TEMPLATE if len(upstreams) == 2 else None
        self.process: Optional[subprocess.Popen] = None

    @property
    def config_source(self) -> str:
        return str(self.template.relative_to(REPO_ROOT)) if self.template else "minimal round-robin config"

    def render(self) -> str:
        if self.template is None:
            return render_config(self.prefix, self.port, self.upstreams)
        # nginx's workers run as nobody: they need to reach their temp folders
        self.prefix.chmod(0o755)
        (self.prefix / "tmp").mkdir(mode=0o755, parents=True, exist_ok=True)
        return render_deploy_template(self.prefix, f"127.0.0.1:{self.port}", self.upstreams,
                                      f"127.0.0.1:{free_port()}", self.url)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> None:
        binary = find_nginx()
        if binary is None:
            raise FileNotFoundError("nginx is not installed (apt-get install -y nginx)")
        self.prefix.mkdir(parents=True, exist_ok=True)
        config = self.prefix / "nginx.conf"
        config.write_text(self.render())
        log = open(self.prefix / "stdout.log", "wb")
        self.process = subprocess.Popen(
            [binary, "-p", str(self.prefix), "-c", str(config), "-e", str(self.prefix / "error.log"),
             "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {(self.prefix / 'error.log').read_text(errors='replace')[-500:]}")
            try:
                with urllib.request.urlopen(self.url + "/webhooks/rest/", timeout=2) as response:
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
