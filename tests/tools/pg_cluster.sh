# pg_cluster.sh: a throwaway PostgreSQL cluster for the warehouse tests.
# Sourced; defines pg_start DIR and pg_stop. Debian's `postgresql` (its
# binaries in /usr/lib/postgresql/VERSION/bin). initdb refuses to run as
# root, so as root the server runs as `nobody` (setpriv), in DIR, which it
# then owns. Sets PG_PORT, PG_SOCK, PG_BIN and PG_DSN (TCP on 127.0.0.1)
# and PG_ERROR (why the cluster did not start) on failure.
# SPDX-License-Identifier: MIT

PG_DIR=
PG_AS=

# A port nothing listens on now (the kernel's pick, then released).
pg_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_run() {
    if [ -n "$PG_AS" ]; then
        setpriv --reuid=nobody --regid=nogroup --clear-groups --reset-env \
            env PATH="$PATH" "$@"
    else
        "$@"
    fi
}

# pg_start DIR: initdb, start on a free loopback port, wait until it
# accepts connections (polled, up to 90 s: a loaded machine is slow).
pg_start() {
    PG_DIR=$1
    PG_ERROR=
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
        PG_ERROR="no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (install Debian's postgresql: tools/test-deps.sh)"
        return 1
    fi
    mkdir -p "$PG_DIR/sock"
    if [ "$(id -u)" -eq 0 ]; then
        PG_AS=nobody
        chown -R nobody:nogroup "$PG_DIR"
        # the path down to DIR must be searchable by nobody
        d=$PG_DIR
        while [ "$d" != / ] && [ -n "$d" ]; do
            d=$(dirname "$d")
            chmod o+x "$d" 2>/dev/null
        done
    fi
    if ! pg_run "$PG_BIN/initdb" -D "$PG_DIR/data" -U ob -A trust -E UTF8 \
        --locale=C --no-sync > "$PG_DIR/initdb.log" 2>&1; then
        PG_ERROR="initdb failed: $(tail -n 3 "$PG_DIR/initdb.log")"
        return 1
    fi
    tries=0
    while :; do
        PG_PORT=$(pg_free_port)
        # fsync off: a test cluster; no parallel workers: sums in row order,
        # as opsbook adds a CSV's (float sums then round alike)
        if pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
            -w -t 90 -o "-p $PG_PORT -k $PG_DIR/sock -c listen_addresses=127.0.0.1 -c fsync=off -c max_parallel_workers_per_gather=0" \
            start > "$PG_DIR/pg_ctl.log" 2>&1; then
            break
        fi
        tries=$((tries + 1))
        if [ "$tries" -ge 3 ]; then
            PG_ERROR="the server did not start: $(tail -n 5 "$PG_DIR/server.log" 2>/dev/null)"
            return 1
        fi
    done
    PG_SOCK=$PG_DIR/sock
    PG_DSN="host=127.0.0.1 port=$PG_PORT user=ob dbname=postgres"
    # pg_ctl -w waited for it; poll once more over TCP, as opsbook connects
    tries=0
    until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 5; do
        tries=$((tries + 1))
        if [ "$tries" -ge 30 ]; then
            PG_ERROR="the server does not accept connections on 127.0.0.1:$PG_PORT"
            return 1
        fi
        sleep 1
    done
    return 0
}

# psql as the cluster's superuser, over its socket.
pg_psql() {
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$PG_PORT" -U ob \
        -d postgres "$@"
}

pg_stop() {
    if [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
        pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 60 stop \
            > /dev/null 2>&1
    fi
    [ -n "$PG_DIR" ] && rm -rf "$PG_DIR"
    PG_DIR=
}
