#!/usr/bin/env bash
# Runs a projen task in the background while a command runs in the foreground, then prints the
# task's output whole and fails when either failed. `npm test` runs lint beside jest: lint is
# single-threaded (70 CPU seconds) and jest leaves a core idle while the local suite waits on the
# emulator and at its tail, so lint costs little wall time there.
#
#   scripts/beside.sh TASK -- COMMAND [ARG ...]
set -uo pipefail
task=$1
[ "${2:-}" = "--" ] || { echo "usage: scripts/beside.sh TASK -- COMMAND [ARG ...]" >&2; exit 2; }
shift 2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
npx projen "$task" > "$log" 2>&1 &
background=$!
"$@"
foreground=$?
status=$foreground
if wait "$background"; then
  echo "=== $task: passed"
else
  echo "=== $task: FAILED"
  [ "$status" -ne 0 ] || status=1
fi
cat "$log"
exit "$status"
