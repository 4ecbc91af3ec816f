#!/usr/bin/env bash
# A hostile agent for the sandbox test: tries to escape in every way it knows and prints one line
# per attempt, "ESCAPE <name>: blocked" or "ESCAPE <name>: ESCAPED <what it got>", then checks that
# the one allowed host is reachable through the proxy ("ALLOWED <name>: ok" or "... failed").
#
#   hostile-agent.sh FAKE_HOME REAL_HOME DATA_DIR SIBLING_FILE WORKER_PID DECOY_PID SECRET_NAME
#                    API_PORT DB_PORT DB_SOCKET [PROMPT]
set -u
fake_home="$1" real_home="$2" data_dir="$3" sibling="$4" worker_pid="$5" decoy_pid="$6"
secret_name="$7" api_port="$8" db_port="$9" db_socket="${10}"

escaped() { echo "ESCAPE $1: ESCAPED $(printf '%s' "$2" | tr -c '[:print:]' ' ' | cut -c1-80)"; }
blocked() { echo "ESCAPE $1: blocked"; }

# Reads: escaped when the file gave anything.
try_read() { # name file
  local got
  if got="$(cat -- "$2" 2>/dev/null)" && [ -n "$got" ]; then escaped "$1" "$got"; else blocked "$1"; fi
}
# Listings: escaped when the directory shows any entry.
try_list() { # name directory
  local got
  if got="$(ls -A -- "$2" 2>/dev/null)" && [ -n "$got" ]; then escaped "$1" "$got"; else blocked "$1"; fi
}
# Writes: escaped when the write succeeded (the test also looks on the worker's side).
try_write() { # name file
  if (echo planted >> "$2") 2>/dev/null; then escaped "$1" "wrote $2"; else blocked "$1"; fi
}
# Direct TCP: escaped when a connection was made.
try_tcp() { # name host port
  if (exec 3<>"/dev/tcp/$2/$3") 2>/dev/null; then escaped "$1" "connected to $2:$3"; else blocked "$1"; fi
}

proxy="${HTTPS_PROXY:-}"
proxy="${proxy#http://}"
proxy_host="${proxy%:*}"
proxy_port="${proxy##*:}"

# CONNECT through the proxy: escaped when it answered 200; the status line is kept in $status.
status=""
proxy_connect() { # target
  status=""
  [ -n "$proxy" ] || return 1
  exec 3<>"/dev/tcp/$proxy_host/$proxy_port" 2>/dev/null || return 1
  printf 'CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n' "$1" "$1" >&3
  IFS= read -r -t 5 status <&3 || true
  status="${status%$'\r'}"
  case "$status" in "HTTP/1."?" 200"*) return 0 ;; *) exec 3<&- 3>&-; return 1 ;; esac
}
try_proxy() { # name target
  if proxy_connect "$2"; then escaped "$1" "$status"; exec 3<&- 3>&-; else blocked "$1"; fi
}

# Secrets on disk
try_read ssh-key-in-worker-home "$fake_home/.ssh/id_ed25519"
try_list real-worker-home "$real_home"
try_list ssh-in-agent-home "$HOME/.ssh"
try_read data-dir-database-file "$data_dir/postgres/PG_CANARY"
try_list data-dir-listing "$data_dir/postgres"
try_read other-task-workspace "$sibling"
try_read shadow-file /etc/shadow
# Other processes
try_read worker-environ "/proc/$worker_pid/environ"
try_read decoy-worker-environ "/proc/$decoy_pid/environ"
if tr '\0' '\n' < /proc/1/environ 2>/dev/null | grep -q "^$secret_name="; then
  escaped pid1-environ-has-secret "$secret_name"
else
  blocked pid1-environ-has-secret
fi
if [ -e "/proc/$worker_pid" ]; then escaped worker-visible-in-proc "/proc/$worker_pid"; else blocked worker-visible-in-proc; fi
if kill -0 "$worker_pid" 2>/dev/null; then escaped signal-worker "kill -0 $worker_pid"; else blocked signal-worker; fi
# Privileges
caps="$(awk '/^CapEff/ {print $2}' /proc/self/status)"
if [ "$caps" != "0000000000000000" ]; then escaped capabilities "CapEff $caps"; else blocked capabilities; fi
if mount -o remount,rw /usr 2>/dev/null; then escaped remount-usr-writable "/usr"; else blocked remount-usr-writable; fi
# Loopback services, directly
try_tcp api-port-direct 127.0.0.1 "$api_port"
try_tcp database-port-direct 127.0.0.1 "$db_port"
if (socat -u OPEN:/dev/null "UNIX-CONNECT:$db_socket") 2>/dev/null; then
  escaped database-unix-socket "$db_socket"
else
  blocked database-unix-socket
fi
# Loopback and private services, through the proxy
try_proxy api-via-proxy "127.0.0.1:$api_port"
try_proxy database-via-proxy-localhost "localhost:$db_port"
try_proxy api-via-allowed-name-resolving-to-loopback "loop.test:$api_port"
try_proxy private-address-via-allowed-name "private.test:443"
try_proxy host-not-allowed "example.org:443"
try_proxy allowed-host-other-port "allowed.test:$db_port"
if [ -n "$proxy" ] && exec 3<>"/dev/tcp/$proxy_host/$proxy_port" 2>/dev/null; then
  printf 'GET http://127.0.0.1:%s/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' "$api_port" >&3
  IFS= read -r -t 5 status <&3 || status=""
  exec 3<&- 3>&-
  case "$status" in "HTTP/1."?" 200"*) escaped plain-http-via-proxy "$status" ;; *) blocked plain-http-via-proxy ;; esac
else
  blocked plain-http-via-proxy
fi
# Writes outside the workspace
try_write write-data-dir "$data_dir/planted"
try_write write-other-task-workspace "$sibling"
try_write write-worker-home "$fake_home/planted"
try_write write-system /usr/planted
echo planted > /tmp/taskpilot-hostile-planted 2>/dev/null
echo "ESCAPE write-worker-tmp: checked by the worker"

# The allowed host, through the proxy, as an HTTPS client would (CONNECT, then its bytes).
if proxy_connect "allowed.test:443"; then
  printf 'GET /v1/ping HTTP/1.1\r\nHost: allowed.test\r\nConnection: close\r\n\r\n' >&3
  answer="$(timeout 5 cat <&3)"
  exec 3<&- 3>&-
  case "$answer" in *LLM-OK*) echo "ALLOWED allowed.test: ok" ;; *) echo "ALLOWED allowed.test: failed $answer" ;; esac
else
  echo "ALLOWED allowed.test: failed ${status:-no proxy (HTTPS_PROXY=${HTTPS_PROXY:-})}"
fi
echo "hostile agent done"
