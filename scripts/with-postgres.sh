#!/usr/bin/env bash
# Runs CMD… with a throwaway PostgreSQL 15 cluster: `initdb` and `pg_ctl` of the machine's
# PostgreSQL (/usr/lib/postgresql/15/bin, Debian's postgresql-15), run as the `postgres`
# user, on a free loopback port, in a temporary folder; CERTWISE_TEST_POSTGRES is set to
# the server's URL for the tests (tests/common: a fresh database per test), and
# CERTWISE_TEST_PGDATA to its data directory (for `pg_ctl`). The cluster
# is stopped and its folder removed however CMD ends (success, failure, Ctrl-C).
#
#   scripts/with-postgres.sh cargo test --test store
#
# Durability is traded for speed (fsync off): the cluster holds test data only. It also
# speaks TLS, with a certificate made for the run. Without the binaries the script fails,
# with the package to install.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARG…]" >&2
  exit 2
fi

bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
if [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "PostgreSQL 15 is not installed ($bin/initdb): apt-get install postgresql-15" >&2
  exit 1
fi
id postgres >/dev/null 2>&1 || { echo "no \`postgres\` user: apt-get install postgresql-15" >&2; exit 1; }

# As root: run the server as `postgres` (it refuses to run as root); otherwise as oneself.
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then
  as_postgres=(runuser -u postgres --)
  superuser=postgres
else
  superuser=$(id -un)
fi

# A free loopback port (asked of the kernel), or PG_PORT.
port="${PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"

dir=$(mktemp -d "${TMPDIR:-/tmp}/certwise-pg.XXXXXX")
[ ${#as_postgres[@]} -eq 0 ] || chown postgres: "$dir"
chmod 700 "$dir"

stop() {
  "${as_postgres[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${as_postgres[@]}" "$bin/initdb" -D "$dir/data" --no-sync -A trust -U "$superuser" -E UTF8 --locale=C.UTF-8 \
  >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
# TLS too (a self-signed certificate), so that `?sslmode=require` can be tested.
"${as_postgres[@]}" openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
  -keyout "$dir/data/server.key" -out "$dir/data/server.crt" >/dev/null 2>&1 \
  || { echo "openssl could not make a certificate: apt-get install openssl" >&2; exit 1; }
# Each test opens its own database and pool: allow many connections.
"${as_postgres[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=400 -c fsync=off \
      -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=64MB -c ssl=on" \
  >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

export CERTWISE_TEST_POSTGRES="postgres://$superuser@127.0.0.1:$port/postgres"
# The cluster's data directory, for a script that restarts it (scripts/pg-restart.sh).
export CERTWISE_TEST_PGDATA="$dir/data"
echo "PostgreSQL on $CERTWISE_TEST_POSTGRES" >&2
# CMD in the background, so that a signal to this script (Ctrl-C, a CI timeout's TERM) is
# handled at once: CMD is stopped, then the cluster.
"$@" &
cmd=$!
trap 'kill -TERM "$cmd" 2>/dev/null; wait "$cmd" || true; exit 130' INT
trap 'kill -TERM "$cmd" 2>/dev/null; wait "$cmd" || true; exit 143' TERM
wait "$cmd"
