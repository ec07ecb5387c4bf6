#!/usr/bin/env bash
# The production layout on one machine, in the foreground (Ctrl-C stops everything):
#   nginx (deploy/nginx.conf.template)  ->  two Rasa servers (deploy/endpoints.production.yml:
#   PostgreSQL tracker store, Redis lock store)  +  one action server  +  the web app.
# The servers are started with the Procfile's own command lines.
#
#   deploy/run-cluster.sh           start everything
#   deploy/run-cluster.sh --check   only render the nginx config and test it (nginx -t)
#
# Required:  RASA_TOKEN            the Rasa HTTP API token
#            BOT_DATABASE_URL      catalogue + feedback, postgresql://user@host:5432/bot
#            TRACKER_DB_NAME       an existing PostgreSQL database for the conversations
# Optional (default):
#   PUBLIC_URL (http://127.0.0.1:$NGINX_PORT)  the address people open; CORS and socket.io origin
#   NGINX_LISTEN (127.0.0.1:$NGINX_PORT)  NGINX_PORT (8080)
#   RASA_PORT_1 (5005)  RASA_PORT_2 (5006)  ACTIONS_PORT (5055)  WEB_PORT (8000)
#   TRACKER_DB_HOST (127.0.0.1)  TRACKER_DB_PORT (5432)  TRACKER_DB_USER (postgres)  TRACKER_DB_PASSWORD ()
#   REDIS_HOST (127.0.0.1)  REDIS_PORT (6379)  REDIS_DB (0)  TICKET_LOCK_LIFETIME (15)
#   BOT_STAFF_TOKEN  the staff page token (empty: staff page closed)
# nginx: apt-get install -y nginx. Run as root (nginx's workers drop to nobody).
set -euo pipefail
cd "$(dirname "$0")/.."

check_only=false
[[ "${1:-}" == "--check" ]] && check_only=true

export NGINX_PORT="${NGINX_PORT:-8080}"
export NGINX_LISTEN="${NGINX_LISTEN:-127.0.0.1:${NGINX_PORT}}"
export PUBLIC_URL="${PUBLIC_URL:-http://127.0.0.1:${NGINX_PORT}}"
export RASA_PORT_1="${RASA_PORT_1:-5005}" RASA_PORT_2="${RASA_PORT_2:-5006}"
export ACTIONS_PORT="${ACTIONS_PORT:-5055}" WEB_PORT="${WEB_PORT:-8000}"
export TRACKER_DB_HOST="${TRACKER_DB_HOST:-127.0.0.1}" TRACKER_DB_PORT="${TRACKER_DB_PORT:-5432}"
export TRACKER_DB_USER="${TRACKER_DB_USER:-postgres}" TRACKER_DB_PASSWORD="${TRACKER_DB_PASSWORD:-}"
export REDIS_HOST="${REDIS_HOST:-127.0.0.1}" REDIS_PORT="${REDIS_PORT:-6379}" REDIS_DB="${REDIS_DB:-0}"
export TICKET_LOCK_LIFETIME="${TICKET_LOCK_LIFETIME:-15}"
export RASA_ENDPOINTS=deploy/endpoints.production.yml
export ACTION_SERVER_URL="http://127.0.0.1:${ACTIONS_PORT}/webhook"
export BOT_ALLOWED_ORIGIN="$PUBLIC_URL" BOT_RASA_PUBLIC_URL="$PUBLIC_URL"
export BOT_RASA_URL="http://127.0.0.1:${RASA_PORT_1}"
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 SQLALCHEMY_SILENCE_UBER_WARNING=1

NGINX="$(command -v nginx || true)"
[[ -z "$NGINX" && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
if [[ -z "$NGINX" ]]; then
  echo "nginx is not installed: apt-get update && apt-get install -y nginx" >&2
  exit 1
fi

prefix="$(mktemp -d /tmp/bot-nginx-XXXXXX)"
chmod 755 "$prefix"
mkdir -m 755 "$prefix/tmp"
export NGINX_PREFIX="$prefix" RASA_SERVER_1="127.0.0.1:${RASA_PORT_1}" RASA_SERVER_2="127.0.0.1:${RASA_PORT_2}"
export WEB_SERVER="127.0.0.1:${WEB_PORT}"
# Only our placeholders: nginx's own $variables stay as they are.
envsubst '${NGINX_PREFIX} ${NGINX_LISTEN} ${RASA_SERVER_1} ${RASA_SERVER_2} ${WEB_SERVER} ${BOT_ALLOWED_ORIGIN}' \
  < deploy/nginx.conf.template > "$prefix/nginx.conf"

if $check_only; then
  status=0
  "$NGINX" -t -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log" || status=$?
  rm -rf "$prefix"
  exit "$status"
fi

: "${RASA_TOKEN:?set RASA_TOKEN (the Rasa HTTP API token)}"
: "${BOT_DATABASE_URL:?set BOT_DATABASE_URL (postgresql://... for catalogue and feedback)}"
: "${TRACKER_DB_NAME:?set TRACKER_DB_NAME (an existing PostgreSQL database for the conversations)}"

.venv/bin/python -m bot catalogue load  # migrates the database, loads the catalogue when it changed

procfile() { sed -n "s/^$1: //p" Procfile; }
pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  wait || true
  echo "nginx logs and config: $prefix"
}
trap stop EXIT INT TERM

start() {  # name, command...: own process group, so stop() ends its children too
  setsid "${@:2}" > >(sed -u "s/^/$1 | /") 2>&1 &
  pids+=("$!")
}
start actions bash -c "$(procfile actions)"
RASA_PORT="$RASA_PORT_1" start rasa-1 bash -c "$(procfile rasa)"
RASA_PORT="$RASA_PORT_2" start rasa-2 bash -c "$(procfile rasa)"
start web bash -c "$(procfile web)"

echo "Waiting for both Rasa servers ..."
for port in "$RASA_PORT_1" "$RASA_PORT_2"; do
  until curl -fsS "http://127.0.0.1:${port}/status?token=${RASA_TOKEN}" >/dev/null 2>&1; do sleep 2; done
done
start nginx "$NGINX" -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log" -g 'daemon off;'
echo "The chat page: ${PUBLIC_URL}/  (nginx on ${NGINX_LISTEN})"
wait -n
echo "A process stopped; stopping the others." >&2
exit 1
