#!/usr/bin/env bash
# Test agent with sessions: replays FIRST, or, when resumed (--resume ID among the arguments),
# THEN. FIRST may be STALL: print the first line of THEN (its session id), then fall silent.
#   fake-claude-session.sh REPLAY_SCRIPT FIRST THEN [agent arguments ...] [PROMPT]
set -euo pipefail
replay="$1" first="$2" then="$3"
shift 3
resume=""
while [ "$#" -gt 0 ]; do
  if [ "$1" = "--resume" ] && [ "$#" -gt 1 ]; then resume="$2"; shift 2; else shift; fi
done
if [ -n "$resume" ]; then
  exec bash "$replay" "$then" 0.01 --resume "$resume"
elif [ "$first" = "STALL" ]; then
  FAKE_AGENT_SILENCE_AFTER=1 exec bash "$replay" "$then" 0.01
else
  exec bash "$replay" "$first" 0.01
fi
