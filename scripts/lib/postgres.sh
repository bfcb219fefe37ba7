# shellcheck shell=bash
# Throwaway PostgreSQL 15 server for the test suite. Source this file, then:
#
#   pg_start            start a fresh server; sets PG_DIR, PG_PORT, PG_URL (PG_DURABLE=true: fsync and
#                       synchronous commit on, as in production)
#   pg_stop             stop it and delete its folder (safe to call twice, or before pg_start)
#
# The server refuses to run as root, so its folder belongs to the `postgres` user and initdb / pg_ctl run
# through `runuser -u postgres --`. It listens on 127.0.0.1 only, on its own port (55432 or the next free
# one) and with its unix socket inside its own folder, so it never meets another server on the machine.
# Socket connections are trusted (that is how the setup below runs as the superuser); TCP connections need
# a password, so the test URL is checked for real:
#
#   postgres://honors:honors@127.0.0.1:PORT/honors_test
#
# The role `honors` owns the database and may create databases of its own.
# Callers install their own trap:  trap pg_stop EXIT

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_FIRST_PORT=${PG_FIRST_PORT:-55432}
PG_DIR=${PG_DIR:-}
PG_PORT=${PG_PORT:-}
PG_URL=${PG_URL:-}

# port_is_free PORT: nothing listens on 127.0.0.1:PORT and we may bind it.
port_is_free() {
    local port=$1
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$port" <<'PY' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# Like the servers themselves: a port left in TIME_WAIT counts as free, a listening one does not.
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
    else
        # Without python: a port that accepts a connection is busy.
        ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
    fi
}

# pick_free_port FIRST: FIRST or the first free port above it (tries 100 ports).
pick_free_port() {
    local port=$1 last=$(($1 + 100))
    while ((port < last)); do
        if port_is_free "$port"; then
            echo "$port"
            return 0
        fi
        port=$((port + 1))
    done
    echo "no free port in $1..$((last - 1)) on 127.0.0.1" >&2
    return 1
}

# Run a PostgreSQL program as the postgres user, from inside PG_DIR (so it never tries to read the
# caller's working folder).
_pg_as_postgres() {
    (cd "$PG_DIR" && runuser -u postgres -- "$@")
}

pg_start() {
    if [[ -n $PG_DIR ]]; then
        echo "pg_start: a server is already running in $PG_DIR" >&2
        return 1
    fi
    local prog
    for prog in initdb pg_ctl postgres psql; do
        if [[ ! -x $PG_BIN/$prog ]]; then
            echo "pg_start: $PG_BIN/$prog is missing (apt-get install postgresql-15)" >&2
            return 1
        fi
    done
    if ! id postgres >/dev/null 2>&1; then
        echo "pg_start: there is no 'postgres' user (it comes with the postgresql-15 package)" >&2
        return 1
    fi

    PG_DIR=$(mktemp -d /tmp/honors-pg.XXXXXX)
    mkdir "$PG_DIR/socket"
    chown -R postgres:postgres "$PG_DIR"
    chmod 700 "$PG_DIR"

    if ! _pg_as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1; then
        echo "pg_start: initdb failed:" >&2
        cat "$PG_DIR/initdb.log" >&2
        return 1
    fi
    cat >>"$PG_DIR/data/postgresql.conf" <<CONF

# honors test server
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR/socket'
# Swift Testing runs every argument of a parametrised test at once, each with an application of its own
# (a few pooled connections each): the access matrix alone opens several hundred.
max_connections = 1500
CONF
    # A throwaway server: durability is not wanted, speed is; the fault drill, which kills the server,
    # asks for PostgreSQL's own defaults (PG_DURABLE=true).
    if [[ ${PG_DURABLE:-false} != true ]]; then
        printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n' >>"$PG_DIR/data/postgresql.conf"
    fi

    # The port is checked free first; another process could still take it before the server binds it,
    # so a failed start moves on to the next free port.
    local attempt port=$PG_FIRST_PORT
    for attempt in 1 2 3 4 5; do
        port=$(pick_free_port "$port") || return 1
        if _pg_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
            -o "-p $port" start >/dev/null; then
            PG_PORT=$port
            break
        fi
        echo "pg_start: the server did not start on port $port (attempt $attempt)" >&2
        port=$((port + 1))
    done
    if [[ -z $PG_PORT ]]; then
        echo "pg_start: giving up; server log:" >&2
        cat "$PG_DIR/server.log" >&2 || true
        return 1
    fi

    if ! _pg_as_postgres "$PG_BIN/psql" -h "$PG_DIR/socket" -p "$PG_PORT" -U postgres -d postgres \
        -X -q -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE honors LOGIN CREATEDB PASSWORD 'honors'" \
        -c "CREATE DATABASE honors_test OWNER honors ENCODING 'UTF8'"; then
        echo "pg_start: could not create the role and database" >&2
        return 1
    fi

    PG_URL="postgres://honors:honors@127.0.0.1:$PG_PORT/honors_test"
    export PG_DIR PG_PORT PG_URL
}

pg_stop() {
    [[ -n $PG_DIR ]] || return 0
    if [[ -f $PG_DIR/data/postmaster.pid ]]; then
        if ! _pg_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
            # The server is ours: if it will not stop politely, end it by its own process id.
            _pg_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
            local pid
            pid=$(head -n 1 "$PG_DIR/data/postmaster.pid" 2>/dev/null || true)
            if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
    fi
    rm -rf "$PG_DIR"
    PG_DIR='' PG_PORT='' PG_URL=''
}
