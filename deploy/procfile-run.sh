#!/usr/bin/env bash
# Runs one line of the Procfile (the one place the command lines live) for supervisord, its output
# prefixed with LABEL as honcho did:   deploy/procfile-run.sh NAME [LABEL]
# The command replaces this shell (exec, twice), so the process supervisord starts, watches,
# restarts and signals is the server itself.
set -euo pipefail
cd "$(dirname "$0")/.."
name="$1"
label="$(printf '%-8s' "${2:-$1}")"
command="$(sed -n "s/^${name}: //p" Procfile)"
if [[ -z "$command" ]]; then
  echo "No '${name}:' line in the Procfile" >&2
  exit 2
fi
# The prefixer ignores SIGTERM and SIGINT (supervisord stops the whole process group): it ends when
# the server has written its last line, so a server's shutdown never writes into a closed pipe.
exec > >(trap '' TERM INT; exec sed -u "s/^/${label} | /") 2>&1
exec bash -c "$command"
