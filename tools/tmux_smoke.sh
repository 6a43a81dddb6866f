#!/usr/bin/env bash
# Smoke test of the terminal UI in a real terminal: start `python -m game play` in tmux,
# play a turn of the tutorial with keys (NORTH human; SOUTH a computer; automatic umpire),
# read the screens, quit (which saves), and check the save exists.
#
#   tools/tmux_smoke.sh [WIDTH HEIGHT]      (default 80 24; needs tmux)
#   UMPIRE=human tools/tmux_smoke.sh        the umpire is human too (SOUTH passive): it plays
#                                           the Council, reviews the results, applies them
#
# Exit status 0 when every expected screen showed up. Set KEEP=1 to leave the session open.
set -euo pipefail

WIDTH=${1:-80}
HEIGHT=${2:-24}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
[ -x "$PY" ] || PY=python3
SESSION="pp-smoke-$$"
# a server of its own (-L): another tmux on the machine (a developer's, a second run) neither
# disturbs this one nor is disturbed by it; KEEP=1: attach with 'tmux -L pp-smoke-PID attach'
tm() { tmux -L "$SESSION" "$@"; }
SAVES=$(mktemp -d)
SOCKET="${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SESSION"
trap '[ -n "${KEEP:-}" ] || { tm kill-server 2>/dev/null; rm -f "$SOCKET"; }; rm -rf "$SAVES"' EXIT

screen() { tm capture-pane -p -t "$SESSION"; }

wait_for() {  # wait_for TEXT [SECONDS]: until the screen shows TEXT
  local text=$1 limit=${2:-20} i
  for ((i = 0; i < limit * 10; i++)); do
    if screen | grep -qF -- "$text"; then return 0; fi
    sleep 0.1
  done
  echo "tmux_smoke: '$text' never appeared; the screen was:" >&2
  screen >&2
  exit 1
}

keys() { tm send-keys -t "$SESSION" "$@"; }

cd "$ROOT"
if [ "${UMPIRE:-auto}" = human ]; then SOUTH=passive; SEATS=SOUTH=passive,control=human
else SOUTH=random; SEATS=SOUTH=random,control=auto; fi
tm new-session -d -s "$SESSION" -x "$WIDTH" -y "$HEIGHT" \
  "POWERPLAY_SAVES='$SAVES' TERM=xterm-256color '$PY' -m game play tutorial --seed 2 \
   --seats $SEATS; echo EXITED \$?; sleep 30"

wait_for "POWER PLAY — set up a game"
wait_for "computer: $SOUTH"
keys s
wait_for "Pass the keyboard to"
wait_for "NORTH"
keys Enter
wait_for "Mass troops at the border"
keys Enter                                   # open the order form on the first move
wait_for "Northland orders: Mass troops"
keys -l "leverage from tmux"
keys Enter                                   # submit
wait_for "Orders given: 1"
keys 2                                       # the board tab
wait_for "Border tension"
keys f                                       # hand on
if [ "${UMPIRE:-auto}" = human ]; then
  wait_for "the umpire"
  keys Enter
  wait_for "Play COUNCIL"
  keys f                                     # the Council gives no order
  wait_for "Review the results"              # the roll-free results wait for the umpire
  wait_for "Mass troops at the border"
  keys n                                     # apply them
  wait_for "Control review"
  keys n
fi
wait_for "RESULTS, turn 1"
keys c
wait_for "turn 2/3"
keys C-q
wait_for "Quit now?"
keys y
wait_for "EXITED 0"
ls "$SAVES"/tutorial-turn2-*.json >/dev/null
echo "tmux_smoke: OK (${WIDTH}x${HEIGHT})"
