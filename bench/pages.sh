#!/usr/bin/env bash
# Page speed at scale on a release build, SQLite and a throwaway PostgreSQL 15 (bench/pages.py says what is
# measured). Arguments go to bench/pages.py, e.g. `bench/pages.sh --sizes 1000,10000 --engines sqlite`.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
swift build -c release --product honors
# shellcheck source=../scripts/lib/postgres.sh
source "$REPO/scripts/lib/postgres.sh"
trap pg_stop EXIT
pg_start >/dev/null
BENCH_DATABASE_URL=$PG_URL python3 "$REPO/bench/pages.py" --bin "$(swift build -c release --show-bin-path)/honors" "$@"
