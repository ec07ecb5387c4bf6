#!/usr/bin/env bash
# The production layout on one machine, under supervisord in the foreground
# (deploy/supervisord.cluster.conf; Ctrl-C or SIGTERM stops everything):
#   nginx (deploy/nginx.conf.template)  ->  two Rasa servers (deploy/endpoints.production.yml:
#   PostgreSQL tracker store, Redis lock store)  +  one action server  +  the web app.
# The servers are started with the Procfile's own command lines. A process that stops is started
# again; meanwhile nginx sends the messages of a Rasa server that is down to the other one.
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
#   BOT_RUN_DIR (a new /tmp/bot-cluster-XXXXXX)  nginx's config and logs, supervisord's socket and log
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

run_dir_made=false
if [[ -z "${BOT_RUN_DIR:-}" ]]; then
  BOT_RUN_DIR="$(mktemp -d /tmp/bot-cluster-XXXXXX)"
  run_dir_made=true
fi
export BOT_RUN_DIR
# nginx's workers run as nobody: they need to enter the directory and write their temp files.
mkdir -p "$BOT_RUN_DIR"
chmod 755 "$BOT_RUN_DIR"
mkdir -p -m 755 "$BOT_RUN_DIR/tmp"
export NGINX_BIN="$NGINX" NGINX_PREFIX="$BOT_RUN_DIR" WEB_SERVER="127.0.0.1:${WEB_PORT}"
export RASA_SERVER_1="127.0.0.1:${RASA_PORT_1}" RASA_SERVER_2="127.0.0.1:${RASA_PORT_2}"
# Only our placeholders: nginx's own $variables stay as they are.
envsubst '${NGINX_PREFIX} ${NGINX_LISTEN} ${RASA_SERVER_1} ${RASA_SERVER_2} ${WEB_SERVER} ${BOT_ALLOWED_ORIGIN}' \
  < deploy/nginx.conf.template > "$BOT_RUN_DIR/nginx.conf"

if $check_only; then
  status=0
  "$NGINX" -t -p "$BOT_RUN_DIR" -c "$BOT_RUN_DIR/nginx.conf" -e "$BOT_RUN_DIR/error.log" || status=$?
  if $run_dir_made; then rm -rf "$BOT_RUN_DIR"; fi
  exit "$status"
fi

: "${RASA_TOKEN:?set RASA_TOKEN (the Rasa HTTP API token)}"
: "${BOT_DATABASE_URL:?set BOT_DATABASE_URL (postgresql://... for catalogue and feedback)}"
: "${TRACKER_DB_NAME:?set TRACKER_DB_NAME (an existing PostgreSQL database for the conversations)}"

.venv/bin/python -m bot catalogue load  # migrates the database, loads the catalogue when it changed

echo "nginx on ${NGINX_LISTEN}; nginx's config and logs, supervisord's socket and log: $BOT_RUN_DIR"
# supervisord writes the programs' output through /dev/stdout opened anew; when that is a file
# (run-cluster.sh > file), append mode keeps its lines and supervisord's own from overwriting
# each other.
if [[ -f /dev/stdout ]]; then exec >>/dev/stdout; fi
exec .venv/bin/supervisord -c deploy/supervisord.cluster.conf
