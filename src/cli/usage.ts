/** `wsmachine --help`: every flag, once (the README's CLI table and the tests follow this text). */
export const USAGE = `Usage: wsmachine <ws://|wss://url> [options]      (or -c, --connect <url>)
       wsmachine demo [--inspect-local[=port]]

A WebSocket client that survives: heartbeat, reconnect with backoff, and a live timeline of its
states. Lines on stdin are sent; messages are printed on stdout; state changes on stderr.

Connection (durations: 500ms, 30s, 2m, or a number of milliseconds):
  -c, --connect <url>       the URL, as wscat takes it (instead of the positional URL)
  --ping-interval <dur>     ping after this much silence; 0 turns the heartbeat off (default 25s)
  --ping-timeout <dur>      wait this long for the pong (default 10s); must be < --ping-interval
  --connect-timeout <dur>   bound on each opening handshake (default 10s)
  --close-timeout <dur>     bound on the closing handshake, then terminate (default 5s)
  --backoff-initial <dur>   first reconnect step (default 1s)
  --backoff-max <dur>       cap of every reconnect step (default 30s)
  --max-attempts <n>        reconnect attempts in a row before giving up (default: no limit)

Handshake and TLS:
  -H, --header "K: V"       handshake header, repeatable (Authorization and Cookie are never printed)
  -s, --subprotocol <name>  subprotocol to offer, repeatable
  -o, --origin <origin>     the Origin header
  --auth <user:pass>        HTTP Basic authentication (never printed)
  --ca <file>               trust this CA (PEM) for wss://
  --cert <file>, --key <file>  a client certificate and its key (PEM)
  -n, --no-check            do not verify the server's certificate (testing only)

Session:
  -x, --execute <msg>       send this once open (repeatable), print the replies for --wait, then
                            close and exit 0; stdin is not read
  -w, --wait <dur>          with -x: how long to print replies (default 2s; a bare number is
                            seconds, as in wscat)
  --slash                   lines starting with / are commands: /ping, /close [code [reason]],
                            /reconnect, /stats
  -P, --show-ping-pong      print pings and pongs
  -v, --verbose             print every state change, heartbeat cycles included
  --quiet                   no timeline and no status line
  --json                    everything on stdout as JSON lines (state, message, pong, error)
  --inspect                 stream to the Stately inspector (needs @statelyai/inspect and the internet)
  --inspect-local[=port]    serve a live inspector page on 127.0.0.1 (no internet needed)
  -h, --help                this text
  -V, --version             the version

Exit codes: 0 after end of stdin, -x's wait, /close or SIGINT/SIGTERM (closed cleanly first),
1 when the connection ends for good without being asked to (gave up, or the server refused it),
2 on bad usage.`;
