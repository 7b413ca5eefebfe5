#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster (temp directory, random port, never the
# system service), runs the given command with TEST_PG_URL pointing at it, and
# removes the cluster afterwards. As root, initdb/pg_ctl run as user `postgres`.
set -euo pipefail

find_bin() {
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir
        return
    fi
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$d" ] && [ -x "$d/initdb" ]; then
        echo "$d"
        return
    fi
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return
    fi
    echo "" 
}

PG_BIN=$(find_bin)
if [ -z "$PG_BIN" ]; then
    echo "########################################################################" >&2
    echo "# PostgreSQL fehlt: die Tests brauchen initdb/pg_ctl.                   #" >&2
    echo "# Installieren: apt-get install postgresql                              #" >&2
    echo "########################################################################" >&2
    exit 1
fi

PGDIR=$(mktemp -d /tmp/dn-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
RUN=()
if [ "$(id -u)" = "0" ]; then
    chown postgres:postgres "$PGDIR"
    RUN=(runuser -u postgres --)
fi

cleanup() {
    "${RUN[@]}" "$PG_BIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PGDIR"
}
trap cleanup EXIT

"${RUN[@]}" "$PG_BIN/initdb" -D "$PGDIR/data" -A trust -U app -E UTF8 --locale=C.UTF-8 >"$PGDIR/initdb.log" 2>&1 \
    || { cat "$PGDIR/initdb.log" >&2; exit 1; }
"${RUN[@]}" "$PG_BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w \
    -o "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null || { cat "$PGDIR/server.log" >&2; exit 1; }

export TEST_PG_URL="postgres://app@127.0.0.1:$PORT/postgres"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') für Tests auf Port $PORT"
"$@"
