#!/bin/sh
# test-deps.sh [DIR]: install the test-only dependencies when missing:
# rsvg-convert (Debian's librsvg2-bin), node and npm (Debian's packages)
# and @duckdb/node-api, pinned, into
# DIR/node_modules (default build/node). The tests cross-check opsbook's CSV
# reading (and, later, its KPIs) against DuckDB through it.
# Fast when already installed: DIR/.installed names what is there.
# SPDX-License-Identifier: MIT
set -e

# The exact version npm resolved when this was pinned; its own dependencies
# (@duckdb/node-bindings and the platform binaries) are pinned exactly by it.
PKG=@duckdb/node-api
VERSION=1.5.6-r.1

dir=${1:-build/node}
stamp=$dir/.installed
want="$PKG@$VERSION"

die() {
    echo "opsbook: test dependencies: $*" >&2
    exit 1
}

have_node() {
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1
}

# The chart tests read our SVGs back with a second renderer (librsvg).
if ! command -v rsvg-convert >/dev/null 2>&1; then
    sh "$(dirname "$0")/apt-install.sh" "test dependencies" librsvg2-bin ||
        die "apt-get install librsvg2-bin failed (no network?)"
fi

# Already there: the stamp, the module's own package.json and node agree.
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && have_node &&
    grep -q "\"version\": *\"$VERSION\"" \
        "$dir/node_modules/$PKG/package.json" 2>/dev/null; then
    exit 0
fi

if ! have_node; then
    sh "$(dirname "$0")/apt-install.sh" "test dependencies" nodejs npm ||
        die "apt-get install nodejs npm failed (no network?)"
    have_node || die "nodejs and npm were installed but node or npm is not on PATH"
fi

echo "opsbook: installing $want into $dir (test only)" >&2
mkdir -p "$dir"
rm -f "$stamp"
# A package.json of our own, so npm installs here and not in a parent
# folder's project, and records exactly the pinned version.
printf '{\n  "name": "opsbook-test-deps",\n  "private": true,\n  "dependencies": {\n    "%s": "%s"\n  }\n}\n' \
    "$PKG" "$VERSION" > "$dir/package.json"
log=$dir/npm-install.log
# Retries kept short: offline, npm's defaults take over a minute to give up.
if ! (cd "$dir" && npm install --no-audit --no-fund --no-update-notifier \
        --loglevel=error --save-exact --fetch-retries=2 \
        --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=8000 \
        "$want") > "$log" 2>&1; then
    die "npm install $want failed (no network? see $log)"
fi
grep -q "\"version\": *\"$VERSION\"" "$dir/node_modules/$PKG/package.json" \
    2>/dev/null || die "npm install $want did not install it (see $log)"
# The native binding must load on this machine, or every test would fail.
(cd "$dir" && node -e "require('$PKG')") >> "$log" 2>&1 ||
    die "$want is installed but does not load with node $(node --version) (see $log)"
echo "$want" > "$stamp"
