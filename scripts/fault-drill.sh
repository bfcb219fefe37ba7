#!/usr/bin/env bash
# The fault drill (docs/reliability.md): operators write while the server is killed with SIGKILL and started
# again, round after round; on PostgreSQL the database server is killed too. After every round each write
# that was acknowledged must be there, `honors check` and `honors audit verify` must pass and no partial file
# may be left. Exits non-zero at the first engine that fails.
#
#   scripts/fault-drill.sh [--engine sqlite|postgres|both] [--rounds 50] [--clients 4] [--seed N]
#
# Uses $HONORS_BIN, or the debug build (`swift build` first). PostgreSQL runs on a throwaway server of its
# own, with PostgreSQL's durable defaults (fsync, synchronous commit), never on a server of yours.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ENGINE=both
PASS=()
while (($#)); do
    case $1 in
        --engine) ENGINE=$2; shift 2 ;;
        --rounds | --clients | --seed) PASS+=("$1" "$2"); shift 2 ;;
        *) echo "usage: $0 [--engine sqlite|postgres|both] [--rounds N] [--clients N] [--seed N]" >&2; exit 2 ;;
    esac
done
HONORS_BIN=${HONORS_BIN:-$(cd "$REPO" && swift build --show-bin-path)/honors}
[[ -x $HONORS_BIN ]] || { echo "no honors binary at $HONORS_BIN: run swift build first" >&2; exit 1; }

drill() {
    python3 "$REPO/scripts/lib/fault_drill.py" --bin "$HONORS_BIN" "${PASS[@]}" "$@"
}

if [[ $ENGINE == sqlite || $ENGINE == both ]]; then
    drill --engine sqlite
fi
if [[ $ENGINE == postgres || $ENGINE == both ]]; then
    # A server of the drill's own: unset what a calling script's server left in the environment.
    unset PG_DIR PG_PORT PG_URL
    # shellcheck source=SCRIPTDIR/lib/postgres.sh
    source "$REPO/scripts/lib/postgres.sh"
    trap pg_stop EXIT
    PG_DURABLE=true pg_start
    drill --engine postgres --database-url "$PG_URL" --pg-dir "$PG_DIR" --pg-port "$PG_PORT"
fi
