#!/usr/bin/env bash
# Benchmarks on a release build: one form, the 汇总表 of 10 000 nominations, a package of 200.
#
#   bench/run.sh                 build (release) and run every scenario
#   bench/run.sh --nominations 2000 --forms 20     smaller runs while trying things
#
# Each scenario runs against a fresh server on a fresh data folder filled by `honors demo`, and reads the
# server's peak memory (VmHWM) from /proc, so the figure is the server's and no one else's.
# Results go to standard output as a Markdown table for docs/benchmarks.md.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
swift build -c release --product honors
exec python3 "$REPO/bench/bench.py" --bin "$(swift build -c release --show-bin-path)/honors" "$@"
