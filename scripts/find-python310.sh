#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 supports Python 3.8-3.10 only).
set -u
for candidate in python3.10 "$(command -v pyenv >/dev/null && pyenv root 2>/dev/null)/versions/"3.10*/bin/python3.10; do
  if [ -n "$candidate" ] && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
    command -v "$candidate" || echo "$candidate"
    exit 0
  fi
done
cat >&2 <<'MSG'
Geen Python 3.10 gevonden. Rasa 3.6 werkt alleen met Python 3.8 tot 3.10 (niet met 3.11).
Installeer Python 3.10, bijvoorbeeld met pyenv:  pyenv install 3.10.13
of met je pakketbeheerder (python3.10 en python3.10-venv), en probeer opnieuw.
MSG
exit 1
