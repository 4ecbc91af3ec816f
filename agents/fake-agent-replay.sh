#!/usr/bin/env bash
# Taskpilot fake agent: replays a recorded agent transcript (JSON lines), for tests and demos.
# No network, no API keys, does not read standard input and writes no files.
#
#   fake-agent-replay.sh TRANSCRIPT.jsonl [DELAY_SECONDS] [anything...]
#
# Prints the transcript's lines one by one, DELAY_SECONDS apart (default 0.05; the second argument
# counts as the delay only when it is a number), then exits with code 0, or with code 1 when the
# last non-empty line is a "result" with "is_error":true. Further arguments (the prompt, options)
# are ignored, except "--resume ID": then a line
#   {"type":"system","subtype":"resumed","session_id":"ID"}
# is printed first.
#
# FAKE_AGENT_SILENCE_AFTER=N: after printing N lines (the "resumed" line counts), stay silent for
# 600 seconds, as a stalled agent would, then go on. SIGTERM/SIGINT end it at once.
set -euo pipefail

if [ "$#" -lt 1 ] || [ -z "$1" ]; then
  echo "usage: fake-agent-replay.sh TRANSCRIPT.jsonl [DELAY_SECONDS] [--resume ID] [PROMPT]" >&2
  exit 2
fi
transcript="$1"
shift
if [ ! -r "$transcript" ]; then
  echo "fake-agent-replay.sh: cannot read transcript '$transcript'" >&2
  exit 2
fi

delay="0.05"
if [ "$#" -ge 1 ] && [[ "$1" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
  delay="$1"
  shift
fi

resume_id=""
while [ "$#" -gt 0 ]; do
  if [ "$1" = "--resume" ] && [ "$#" -ge 2 ]; then
    resume_id="$2"
    shift
  fi
  shift
done

silence_after="${FAKE_AGENT_SILENCE_AFTER:-}"
if [ -n "$silence_after" ] && ! [[ "$silence_after" =~ ^[0-9]+$ ]]; then
  echo "fake-agent-replay.sh: FAKE_AGENT_SILENCE_AFTER must be a whole number" >&2
  exit 2
fi

sleeper=""
trap '[ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null; exit 143' TERM
trap '[ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null; exit 130' INT

# Sleeps in the background so that a signal is handled at once.
pause() {
  sleep "$1" &
  sleeper=$!
  wait "$sleeper" || true
  sleeper=""
}

printed=0
emit() {
  if [ "$printed" -gt 0 ]; then
    pause "$delay"
  fi
  if [ -n "$silence_after" ] && [ "$printed" -eq "$silence_after" ]; then
    pause 600
  fi
  printf '%s\n' "$1"
  printed=$((printed + 1))
}

if [ -n "$resume_id" ]; then
  escaped="${resume_id//\\/\\\\}"
  escaped="${escaped//\"/\\\"}"
  emit "{\"type\":\"system\",\"subtype\":\"resumed\",\"session_id\":\"$escaped\"}"
fi

last=""
while IFS= read -r line || [ -n "$line" ]; do
  line="${line%$'\r'}"
  emit "$line"
  if [ -n "${line//[[:space:]]/}" ]; then
    last="$line"
  fi
done < "$transcript"

if [ -n "$silence_after" ] && [ "$printed" -le "$silence_after" ]; then
  pause 600
fi

ws='[[:space:]]*'
if [[ "$last" =~ \"type\"$ws:$ws\"result\" ]] && [[ "$last" =~ \"is_error\"$ws:${ws}true ]]; then
  exit 1
fi
exit 0
