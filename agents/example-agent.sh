#!/usr/bin/env bash
# Taskpilot example agent: no network, no API keys. Stands in for a real agent CLI.
#
#   example-agent.sh [options...] PROMPT    the prompt is the last argument
#   example-agent.sh [-]                    the prompt is read from standard input
#
# Prints a few progress lines, writes RESULT.md (the prompt and a timestamp) into its working
# directory and prints "Done: wrote RESULT.md". A prompt containing FAIL makes it exit with code 3
# instead. EXAMPLE_AGENT_DELAY sets the pause between progress lines in seconds (default 0.4);
# list it in the profile's env for it to reach the agent.
set -euo pipefail

if [ "$#" -eq 0 ] || [ "${!#}" = "-" ]; then
  prompt="$(cat)"
else
  prompt="${!#}"
fi
delay="${EXAMPLE_AGENT_DELAY:-0.4}"

echo "Example agent for task ${TASKPILOT_TASK_ID:-(none)} in $(pwd)"
echo "Prompt: $(printf '%s\n' "$prompt" | head -n 1)"
for step in "Reading the workspace" "Thinking about the prompt"; do
  sleep "$delay"
  echo "$step..."
done

if [[ "$prompt" == *FAIL* ]]; then
  echo "Error: the prompt asked the example agent to fail" >&2
  exit 3
fi

sleep "$delay"
echo "Writing RESULT.md..."

{
  echo "# Result"
  echo
  echo "Written by the example agent at $(date -u +%Y-%m-%dT%H:%M:%SZ)."
  echo
  echo "## Prompt"
  echo
  printf '%s\n' "$prompt"
} > RESULT.md
echo "Done: wrote RESULT.md"
