#!/usr/bin/env bash
# Runs projen tasks side by side and prints each one's output whole when it ends; fails when any
# of them fails. `npm test` uses it for the steps that are single-threaded and independent (the
# type-check, the jsii build with API.md, and lint), so both cores are busy.
#
#   scripts/parallel-tasks.sh TASK [TASK ...]
set -uo pipefail
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
pids=()
for task in "$@"; do
  npx projen "$task" > "$logs/$task.log" 2>&1 &
  pids+=("$!")
done
status=0
for i in "${!pids[@]}"; do
  task=${*:i+1:1}
  if wait "${pids[$i]}"; then
    echo "=== $task: passed"
  else
    status=1
    echo "=== $task: FAILED"
  fi
  cat "$logs/$task.log"
done
exit $status
