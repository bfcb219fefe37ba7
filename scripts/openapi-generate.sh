#!/usr/bin/env bash
# Generates Sources/HonorsAPI (the API's types and server stubs) from openapi.yaml with swift-openapi-generator,
# built on its own from tools/openapi-generator, and records the contract's SHA-256 in
# Sources/HonorsAPI/Contract.swift (a test holds the two together).
#
#   scripts/openapi-generate.sh           regenerate after changing openapi.yaml, and commit the result
#   scripts/openapi-generate.sh --check   generate into a temporary folder; fail if the committed code differs
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
swift build -c release --package-path tools/openapi-generator --product swift-openapi-generator >&2
GENERATOR="$(swift build -c release --package-path tools/openapi-generator --show-bin-path)/swift-openapi-generator"

generate() {
    local out=$1
    rm -rf "$out" && mkdir -p "$out"
    "$GENERATOR" generate --config openapi-generator-config.yaml --output-directory "$out" openapi.yaml >/dev/null
    local hash
    hash=$(sha256sum openapi.yaml | cut -d' ' -f1)
    cat >"$out/Contract.swift" <<SWIFT
// Written by scripts/openapi-generate.sh with the code beside it: the contract that code was generated from.
public enum Contract {
    /// SHA-256 of openapi.yaml.
    public static let sha256 = "$hash"
}
SWIFT
}

if [[ ${1:-} == --check ]]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    generate "$work/HonorsAPI"
    if ! diff -ru Sources/HonorsAPI "$work/HonorsAPI"; then
        echo "Sources/HonorsAPI does not match openapi.yaml: run scripts/openapi-generate.sh and commit the result" >&2
        exit 1
    fi
    echo "Sources/HonorsAPI matches openapi.yaml"
else
    generate Sources/HonorsAPI
    echo "generated Sources/HonorsAPI from openapi.yaml"
fi
