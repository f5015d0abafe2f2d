# Start throwaway PostgreSQL and Redis servers on 127.0.0.1 as an unprivileged user.
# Source this file, then call start_postgres / start_redis; both export their URL and
# register a clean-up on exit.

_svc_user() {
  if [ "$(id -u)" = "0" ]; then
    id -u shoptest >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin shoptest
    echo shoptest
  else
    id -un
  fi
}

_as_user() {
  local user=$1; shift
  if [ "$(id -u)" = "0" ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

_pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)" && return 0
  return 1
}

_stop_pid() {
  # Stop a process and wait (up to 5 s) until it has gone, so its files can be removed.
  local pid=${1:-}
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

_SVC_CLEANUP=":"
# Clean-up never changes the exit status of the run: a server still writing its data directory
# while it stops must not fail a green suite.
_svc_cleanup() {
  local status=$?
  set +e
  eval "$_SVC_CLEANUP"
  exit "$status"
}
trap _svc_cleanup EXIT

start_postgres() {
  local bin user dir port
  bin=$(_pg_bin) || { echo "services: PostgreSQL is not installed" >&2; return 1; }
  user=$(_svc_user)
  dir=$(mktemp -d /tmp/shop-pg.XXXXXX)
  chown "$user" "$dir"
  port=$(_free_port)
  _as_user "$user" "$bin/initdb" -D "$dir/data" -U shop -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; return 1; }
  _as_user "$user" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null || { cat "$dir/server.log" >&2; return 1; }
  _SVC_CLEANUP="$_SVC_CLEANUP; _as_user $user $bin/pg_ctl -D $dir/data -m immediate stop >/dev/null 2>&1; rm -rf $dir"
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U shop shop
  export DATABASE_URL="postgres://shop@127.0.0.1:$port/shop"
  echo "services: PostgreSQL on 127.0.0.1:$port" >&2
}

start_redis() {
  local user dir port
  command -v redis-server >/dev/null 2>&1 || { echo "services: Redis is not installed" >&2; return 1; }
  user=$(_svc_user)
  dir=$(mktemp -d /tmp/shop-redis.XXXXXX)
  chown "$user" "$dir"
  port=$(_free_port)
  _as_user "$user" redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save "" --appendonly no \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" || return 1
  for _ in $(seq 50); do [ -s "$dir/redis.pid" ] && break; sleep 0.1; done
  _SVC_CLEANUP="$_SVC_CLEANUP; _stop_pid \$(cat $dir/redis.pid 2>/dev/null); rm -rf $dir"
  export REDIS_URL="redis://127.0.0.1:$port/0"
  echo "services: Redis on 127.0.0.1:$port" >&2
}
