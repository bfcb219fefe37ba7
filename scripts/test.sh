#!/usr/bin/env bash
# The one way to test Honors:
#
#   1. tools      install what is missing (PostgreSQL 15, nginx, Chromium and its driver, LibreOffice Writer,
#                 Noto CJK fonts, poppler, ZBar and libqrencode for the forms' QR codes, selenium + pytest)
#   2. build      swift build --build-tests, once
#   3. sqlite     swift test on in-memory SQLite (one database per test), then a short fault drill
#                 (scripts/fault-drill.sh, HONORS_DRILL_ROUNDS rounds, default 5)
#   4. postgres   swift test again on a throwaway PostgreSQL 15 (HONORS_TEST_DATABASE_URL), the pg_dump
#                 restore drill, the cluster drill (three instances on one database behind nginx,
#                 scripts/lib/cluster_drill.py), then the short fault drill on a durable PostgreSQL of its own
#   5. install    scripts/install.sh into a temporary prefix, the installed binary started from /, its first
#                 sign-in walked (scripts/lib/install_check.py)
#   6. api        Sources/HonorsAPI regenerated from openapi.yaml and compared; schemathesis against a running
#                 server from the contract, and no committee's token reaching another's records (api_check.py)
#   7. browser    start the real server on a fresh data folder, walk e2e/ in headless Chromium, then run
#                 `honors check` and `honors audit verify` on what the stories left
#
# With CI=true every tool must be present after the install step, or the run fails. Without it a missing
# tool is a warning and the stage that needs it is skipped. The run exits non-zero if any stage fails;
# a failing test stage does not stop the later ones, a failing build does.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
# shellcheck source=SCRIPTDIR/lib/postgres.sh
source "$REPO/scripts/lib/postgres.sh"

CI=${CI:-false}
SERVER_FIRST_PORT=${HONORS_E2E_FIRST_PORT:-58080}
HEALTH_TIMEOUT=120
DRILL_ROUNDS=${HONORS_DRILL_ROUNDS:-5}

CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver

RESULTS=()
FAILED=0
LAST_RC=0

# ---------------------------------------------------------------------------------------------------------
# Output

if [[ -t 1 ]]; then
    BOLD=$'\033[1m' RED=$'\033[31m' YELLOW=$'\033[33m' PLAIN=$'\033[0m'
else
    BOLD='' RED='' YELLOW='' PLAIN=''
fi

heading() {
    printf '\n%s==> %s%s\n' "$BOLD" "$*" "$PLAIN"
}

warn() {
    printf '%swarning:%s %s\n' "$YELLOW" "$PLAIN" "$*" >&2
}

die() {
    printf '%serror:%s %s\n' "$RED" "$PLAIN" "$*" >&2
    exit 1
}

is_ci() {
    [[ $CI == true ]]
}

# run_stage NAME FUNCTION: runs FUNCTION in a subshell with errexit in force, records the outcome in RESULTS,
# FAILED and LAST_RC, and always returns 0. Call it as a plain command, never from `if`, `||` or `&&`: in
# those places bash switches errexit off for everything underneath, subshells included.
run_stage() {
    local name=$1 fn=$2
    heading "$name"
    set +e
    (
        set -e
        trap 'exit 130' INT
        trap 'exit 143' TERM
        "$fn"
    )
    LAST_RC=$?
    set -e
    if ((LAST_RC == 0)); then
        RESULTS+=("PASS  $name")
    else
        RESULTS+=("FAIL  $name (exit $LAST_RC)")
        FAILED=1
    fi
}

skip_stage() {
    local name=$1 why=$2
    heading "$name"
    warn "skipped: $why"
    RESULTS+=("SKIP  $name ($why)")
}

summary() {
    heading "Summary"
    local line
    for line in "${RESULTS[@]}"; do
        echo "  $line"
    done
}

# ---------------------------------------------------------------------------------------------------------
# Tools: each piece is detected by the file or import it provides, so a complete machine installs nothing.

have_postgres() {
    local prog
    for prog in initdb pg_ctl postgres psql; do
        [[ -x $PG_BIN/$prog ]] || return 1
    done
    id postgres >/dev/null 2>&1 && command -v runuser >/dev/null 2>&1
}
have_nginx() { [[ -x /usr/sbin/nginx ]] || command -v nginx >/dev/null 2>&1; }
have_chromium() { [[ -x $CHROMIUM ]]; }
have_chromedriver() { [[ -x $CHROMEDRIVER ]]; }
have_writer() { command -v soffice >/dev/null 2>&1 && [[ -e /usr/lib/libreoffice/program/libswlo.so ]]; }
have_cjk_fonts() {
    if command -v fc-list >/dev/null 2>&1; then
        fc-list : family | grep -q 'Noto Sans CJK'
    else
        [[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]]
    fi
}
have_poppler() { command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1; }
have_zbar() { command -v zbarimg >/dev/null 2>&1; }
have_qrencode() { ldconfig -p 2>/dev/null | grep -q 'libqrencode\.so\.4' || compgen -G '/usr/lib/*/libqrencode.so.4' >/dev/null; }
have_python() { command -v python3 >/dev/null 2>&1; }
have_pip() { have_python && python3 -m pip --version >/dev/null 2>&1; }
have_python_deps() { have_python && python3 -c 'import selenium, pytest, openpyxl, schemathesis' >/dev/null 2>&1; }

# package_for CHECK: the Debian package that satisfies a have_* check.
declare -A PACKAGE_FOR=(
    [have_postgres]=postgresql-15
    [have_nginx]=nginx
    [have_chromium]=chromium
    [have_chromedriver]=chromium-driver
    [have_writer]=libreoffice-writer-nogui
    [have_cjk_fonts]=fonts-noto-cjk
    [have_poppler]=poppler-utils
    [have_zbar]=zbar-tools
    [have_qrencode]=libqrencode4
    [have_python]=python3
    [have_pip]=python3-pip
)
SYSTEM_CHECKS=(have_postgres have_nginx have_chromium have_chromedriver have_writer have_cjk_fonts have_poppler
    have_zbar have_qrencode have_python have_pip)

as_root() {
    if ((EUID == 0)); then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        return 1
    fi
}

apt_install() {
    if ! command -v apt-get >/dev/null 2>&1; then
        warn "apt-get is not available; cannot install: $*"
        return 1
    fi
    if ((EUID != 0)) && ! command -v sudo >/dev/null 2>&1; then
        warn "not root and no sudo; cannot install: $*"
        return 1
    fi
    echo "installing: $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

pip_install() {
    local args=(-m pip install --quiet --disable-pip-version-check -r "$REPO/e2e/requirements.txt")
    echo "installing: selenium, pytest, openpyxl, schemathesis (pip)"
    if python3 "${args[@]}"; then
        return 0
    fi
    # Debian's own python refuses pip installs into it (PEP 668); a CI machine is disposable.
    if is_ci; then
        python3 "${args[@]}" --break-system-packages
    else
        return 1
    fi
}

stage_tools() {
    local check missing=()
    for check in "${SYSTEM_CHECKS[@]}"; do
        "$check" || missing+=("${PACKAGE_FOR[$check]}")
    done
    if ((${#missing[@]})); then
        apt_install "${missing[@]}" || warn "the install failed"
    fi
    if have_pip && ! have_python_deps; then
        pip_install || warn "the pip install failed"
    fi

    local still=()
    for check in "${SYSTEM_CHECKS[@]}"; do
        "$check" || still+=("${PACKAGE_FOR[$check]}")
    done
    have_python_deps || still+=("python: selenium, pytest, openpyxl and schemathesis")
    command -v swift >/dev/null 2>&1 || still+=("swift (the Swift 6 toolchain)")
    command -v curl >/dev/null 2>&1 || have_python || still+=("curl or python3")

    if ((${#still[@]} == 0)); then
        echo "all tools present"
        return 0
    fi
    if is_ci; then
        printf '%serror:%s CI=true and these are still missing:\n' "$RED" "$PLAIN" >&2
        printf '  - %s\n' "${still[@]}" >&2
        return 1
    fi
    warn "missing (the stages that need them are skipped): ${still[*]}"
    if ! have_writer || ! have_cjk_fonts || ! have_poppler; then
        warn "without LibreOffice Writer, Noto CJK fonts and poppler the document (PDF) tests cannot run"
    fi
}

# ---------------------------------------------------------------------------------------------------------
# Build and Swift test runs

stage_build() {
    swift build --build-tests
}

stage_sqlite() {
    # The fuzz test's full run (500 mutated files through the 4 uploads): once, here; the PostgreSQL stage
    # runs its default share.
    env -u HONORS_TEST_DATABASE_URL HONORS_FUZZ_ROUNDS="${HONORS_FUZZ_ROUNDS:-100}" swift test --skip-build
    fault_drill sqlite
}

# A short fault drill (docs/reliability.md has the long one): the server killed mid-write and started again.
fault_drill() {
    echo "fault drill on $1, $DRILL_ROUNDS rounds"
    HONORS_BIN=$(swift build --show-bin-path)/honors "$REPO/scripts/fault-drill.sh" --engine "$1" --rounds "$DRILL_ROUNDS"
}

stage_postgres() {
    trap pg_stop EXIT
    pg_start
    echo "PostgreSQL 15 on 127.0.0.1:$PG_PORT (data in $PG_DIR)"
    "$PG_BIN/psql" "$PG_URL" -X -q -v ON_ERROR_STOP=1 -c 'SELECT 1' >/dev/null
    HONORS_TEST_DATABASE_URL=$PG_URL swift test --skip-build
    postgres_restore_drill
    cluster_drill
    fault_drill postgres
}

# Three instances on one PostgreSQL behind nginx (docs/deployment.md, "Several instances"): shared sessions,
# jobs claimed once and taken over from a killed instance, SIGTERM under load losing nothing.
cluster_drill() {
    if ! have_nginx; then
        is_ci && { echo "CI=true and nginx is missing" >&2; return 1; }
        warn "nginx is missing: cluster drill skipped"
        return 0
    fi
    "$PG_BIN/psql" "$PG_URL" -X -q -v ON_ERROR_STOP=1 -c 'CREATE DATABASE honors_cluster'
    python3 "$REPO/scripts/lib/cluster_drill.py" --bin "$(swift build --show-bin-path)/honors" \
        --database-url "${PG_URL%/*}/honors_cluster"
}

# A PostgreSQL deployment backed up as docs/deployment.md says (pg_dump, and `honors backup --files-only` for
# the uploads), restored into a new database and an empty data folder, and verified the same way as SQLite.
postgres_restore_drill() {
    local honors work base dump
    honors=$(swift build --show-bin-path)/honors
    work=$(mktemp -d /tmp/honors-pg-drill.XXXXXX)
    base=${PG_URL%/*}
    "$PG_BIN/psql" "$PG_URL" -X -q -v ON_ERROR_STOP=1 -c 'CREATE DATABASE honors_drill' -c 'CREATE DATABASE honors_restored'
    HONORS_DATA_DIR=$work/live DATABASE_URL=$base/honors_drill HONORS_BCRYPT_COST=4 "$honors" demo --nominations 30 >/dev/null
    dump=$work/honors.dump
    "$PG_BIN/pg_dump" -Fc -f "$dump" "$base/honors_drill"
    HONORS_DATA_DIR=$work/live DATABASE_URL=$base/honors_drill "$honors" backup --files-only --to "$work/files"
    "$PG_BIN/pg_restore" --no-owner -d "$base/honors_restored" "$dump"
    HONORS_DATA_DIR=$work/restored DATABASE_URL=$base/honors_restored HONORS_SECRET_KEY_FILE=$work/live/secret.key \
        "$honors" restore --from "$work/files"
    echo "PostgreSQL restore drill: dump restored, honors check and honors audit verify passed"
    rm -rf "$work"
}

# ---------------------------------------------------------------------------------------------------------
# Install: the layout a server administrator gets, started from anywhere

stage_install() {
    python3 "$REPO/scripts/lib/install_check.py" --binary "$(swift build --show-bin-path)/honors"
}

# ---------------------------------------------------------------------------------------------------------
# API: the generated code is the contract's, and the running server keeps to it

stage_api() {
    bash "$REPO/scripts/openapi-generate.sh" --check
    python3 "$REPO/scripts/lib/api_check.py" --bin "$(swift build --show-bin-path)/honors"
}

# ---------------------------------------------------------------------------------------------------------
# Browser suite

E2E_TMP=''
SERVER_PID=''
SERVER_LOG=''

server_stop() {
    if [[ -z $SERVER_PID ]]; then
        return 0
    fi
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        local _
        for _ in $(seq 1 50); do
            if ! kill -0 "$SERVER_PID" 2>/dev/null; then
                break
            fi
            sleep 0.2
        done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "the server did not stop within 10s of SIGTERM; killing it" >&2
            kill -KILL "$SERVER_PID" 2>/dev/null || true
        fi
    fi
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=''
}

browser_cleanup() {
    local rc=$?
    server_stop
    if [[ -n $SERVER_LOG && -f $SERVER_LOG ]]; then
        mkdir -p "$REPO/e2e/screenshots"
        cp "$SERVER_LOG" "$REPO/e2e/screenshots/server.log" || true
        if ((rc != 0)); then
            echo "--- last lines of the server log (whole log: e2e/screenshots/server.log) ---"
            tail -n 60 "$SERVER_LOG" || true
        fi
    fi
    if [[ -n $E2E_TMP ]]; then
        rm -rf "$E2E_TMP"
    fi
    E2E_TMP=''
}

# http_status URL: the HTTP status code, or 000 when nothing answers.
http_status() {
    if command -v curl >/dev/null 2>&1; then
        curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" || true
    else
        python3 - "$1" <<'PY' || true
import sys, urllib.request, urllib.error
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=5).status)
except urllib.error.HTTPError as e:
    print(e.code)
except Exception:
    print("000")
PY
    fi
}

wait_for_health() {
    local url=$1 deadline=$((SECONDS + HEALTH_TIMEOUT)) status
    while ((SECONDS < deadline)); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "the server exited before answering $url" >&2
            return 1
        fi
        status=$(http_status "$url")
        if [[ $status == 200 ]]; then
            return 0
        fi
        sleep 0.5
    done
    echo "no 200 from $url within ${HEALTH_TIMEOUT}s (last status: ${status:-none})" >&2
    return 1
}

# read_admin_password LOG: the value of the single line HONORS_INITIAL_ADMIN_PASSWORD=<password>.
# The server may print it a moment after it starts answering, so allow a few seconds.
read_admin_password() {
    local log=$1 deadline=$((SECONDS + 10)) lines count
    while :; do
        lines=$(tr -d '\r' <"$log" | grep -E '^HONORS_INITIAL_ADMIN_PASSWORD=[^[:space:]]+$' || true)
        count=$(printf '%s' "$lines" | grep -c . || true)
        if ((count == 1)); then
            printf '%s\n' "${lines#HONORS_INITIAL_ADMIN_PASSWORD=}"
            return 0
        fi
        if ((count > 1)); then
            echo "the server printed $count HONORS_INITIAL_ADMIN_PASSWORD= lines; expected exactly one" >&2
            return 1
        fi
        if ((SECONDS >= deadline)); then
            echo "the server log has no line HONORS_INITIAL_ADMIN_PASSWORD=<password>" \
                "(printed on its own line, and flushed: stdout is a file here, not a terminal)" >&2
            return 1
        fi
        sleep 0.5
    done
}

stage_browser() {
    trap browser_cleanup EXIT

    local bin_path server
    bin_path=$(swift build --show-bin-path)
    server=$bin_path/honors
    [[ -x $server ]] || die "no server binary at $server"

    E2E_TMP=$(mktemp -d /tmp/honors-e2e.XXXXXX)
    SERVER_LOG=$E2E_TMP/server.log
    local port base_url password
    port=$(pick_free_port "$SERVER_FIRST_PORT")
    base_url=http://127.0.0.1:$port

    echo "starting $server on $base_url (data in $E2E_TMP/data)"
    HONORS_DATA_DIR=$E2E_TMP/data HONORS_BCRYPT_COST=4 \
        "$server" serve --hostname 127.0.0.1 --port "$port" >"$SERVER_LOG" 2>&1 </dev/null &
    SERVER_PID=$!

    wait_for_health "$base_url/healthz"
    echo "the server answers on $base_url"
    password=$(read_admin_password "$SERVER_LOG")

    rm -rf "$REPO/e2e/screenshots"
    mkdir -p "$REPO/e2e/screenshots"
    HONORS_BIN=$server \
        HONORS_DATA_DIR=$E2E_TMP/data \
        HONORS_BASE_URL=$base_url \
        HONORS_ADMIN_PASSWORD=$password \
        HONORS_SCREENSHOTS=$REPO/e2e/screenshots \
        python3 -m pytest -q -p no:cacheprovider -p no:benchmark e2e
    echo "screenshots in e2e/screenshots/"
    # Everything the stories did leaves the data whole: every invariant holds and the audit chain verifies.
    HONORS_DATA_DIR=$E2E_TMP/data HONORS_BCRYPT_COST=4 "$server" check
    HONORS_DATA_DIR=$E2E_TMP/data HONORS_BCRYPT_COST=4 "$server" audit verify
}

# ---------------------------------------------------------------------------------------------------------

main() {
    trap 'exit 130' INT
    trap 'exit 143' TERM

    run_stage "1/7 Tools" stage_tools
    if ((LAST_RC != 0)); then
        summary
        exit 1
    fi
    run_stage "2/7 Build (swift build --build-tests)" stage_build
    if ((LAST_RC != 0)); then
        summary
        exit 1
    fi

    run_stage "3/7 Swift tests on SQLite" stage_sqlite

    if have_postgres; then
        run_stage "4/7 Swift tests on PostgreSQL 15" stage_postgres
    else
        skip_stage "4/7 Swift tests on PostgreSQL 15" "PostgreSQL 15 is not installed"
    fi

    run_stage "5/7 Install (scripts/install.sh, started from /)" stage_install

    if have_python_deps; then
        run_stage "6/7 API contract (openapi.yaml, schemathesis)" stage_api
    else
        skip_stage "6/7 API contract (openapi.yaml, schemathesis)" "python3 with schemathesis is not available"
    fi

    if ! have_chromium || ! have_chromedriver; then
        skip_stage "7/7 Browser suite (e2e/)" "chromium or chromium-driver is not installed"
    elif ! have_python_deps; then
        skip_stage "7/7 Browser suite (e2e/)" "python3 with selenium and pytest is not available"
    else
        run_stage "7/7 Browser suite (e2e/)" stage_browser
    fi

    summary
    exit "$FAILED"
}

# Sourcing the file (to reuse or try a stage) defines everything and runs nothing.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    main "$@"
fi
