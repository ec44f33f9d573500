#!/usr/bin/env bash
# The recipes of README.md, one after the other, against $WSM_URL (a ws:// URL that echoes).
set -euo pipefail
: "${WSM_URL:?set WSM_URL to a ws:// or wss:// URL}"

echo '--- one request'
npx wsmachine "$WSM_URL" -x '{"op":"ping"}' -w 2s

echo '--- state changes through jq'
npx wsmachine "$WSM_URL" --json -x hello -w 1s | jq -c 'select(.type == "state") | {from, to, reason: .reason.type}'

echo '--- message text through jq'
npx wsmachine "$WSM_URL" --json -x hello -w 1s | jq -r 'select(.type == "message") | .data'

echo '--- exit code'
npx wsmachine ws://127.0.0.1:9 --max-attempts 3 --backoff-max 200ms -x hi --quiet || echo "unreachable"
