#!/usr/bin/env bash
# What `make run` starts once everything is built: the Procfile's processes under supervisord
# (deploy/supervisord.conf), in the foreground. A process that stops is started again; Ctrl-C
# (or SIGTERM) stops them all. The tokens come from var/local.env unless they are set already.
# BOT_RUN_DIR (default var/run): supervisord's control socket, pid file and log.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -f var/local.env ]]; then
  while IFS='=' read -r key value; do
    if [[ "$key" =~ ^[A-Za-z_][A-Za-z0-9_]*$ && -z "${!key:-}" ]]; then
      export "$key=$value"
    fi
  done < var/local.env
fi
export BOT_RUN_DIR="${BOT_RUN_DIR:-$PWD/var/run}"
mkdir -p "$BOT_RUN_DIR"
# supervisord writes the programs' output through /dev/stdout opened anew; when that is a file
# (make run > file), append mode keeps its lines and supervisord's own from overwriting each other.
if [[ -f /dev/stdout ]]; then exec >>/dev/stdout; fi
exec .venv/bin/supervisord -c deploy/supervisord.conf
