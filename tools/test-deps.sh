#!/bin/sh
# test-deps.sh [DIR]: install the test-only dependencies when missing:
# rsvg-convert (Debian's librsvg2-bin), python3-openpyxl, LibreOffice
# (libreoffice-calc-nogui) and poppler-utils for the reports, Chromium
# (Debian's chromium), node
# and npm (Debian's packages), and two npm packages, each pinned, into
# DIR/node_modules (default build/node): @duckdb/node-api, which the tests
# cross-check opsbook's CSV reading (and, later, its KPIs) against, and
# playwright-core, which drives Debian's Chromium through the built site
# (tests/e2e/browser.sh; it downloads no browser of its own); and for the
# mail tests, Debian's python3-aiosmtpd (a real SMTP server, run by Debian's
# /usr/bin/python3) and openssl (its test certificate); Debian's
# postgresql for the warehouse tests.
# Fast when already installed: DIR/.installed names what is there.
# SPDX-License-Identifier: MIT
set -e

# The exact versions npm resolved when these were pinned; @duckdb/node-api's
# own dependencies (@duckdb/node-bindings and the platform binaries) are
# pinned exactly by it, and playwright-core has none.
PKG=@duckdb/node-api
VERSION=1.5.6-r.1
PW=playwright-core
PW_VERSION=1.65.1
CHROMIUM=/usr/bin/chromium

dir=${1:-build/node}
stamp=$dir/.installed
want="$PKG@$VERSION $PW@$PW_VERSION"

die() {
    echo "opsbook: test dependencies: $*" >&2
    exit 1
}

have_node() {
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1
}

# has NAME VERSION: node_modules holds exactly that version of NAME.
has() {
    grep -q "\"version\": *\"$2\"" "$dir/node_modules/$1/package.json" \
        2>/dev/null
}

# The chart tests read our SVGs back with a second renderer (librsvg).
if ! command -v rsvg-convert >/dev/null 2>&1; then
    sh "$(dirname "$0")/apt-install.sh" "test dependencies" librsvg2-bin ||
        die "apt-get install librsvg2-bin failed (no network?)"
fi

# The report tests read every workbook back with openpyxl (for Debian's own
# python3), convert it headless with LibreOffice (calc, without the GUI)
# and render the PDF's pages with poppler's pdftoppm.
if ! /usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1; then
    sh "$(dirname "$0")/apt-install.sh" "test dependencies" python3-openpyxl ||
        die "apt-get install python3-openpyxl failed (no network?)"
fi
if ! command -v soffice >/dev/null 2>&1; then
    sh "$(dirname "$0")/apt-install.sh" "test dependencies" \
        libreoffice-calc-nogui ||
        die "apt-get install libreoffice-calc-nogui failed (no network?)"
fi
if ! command -v pdftoppm >/dev/null 2>&1; then
    sh "$(dirname "$0")/apt-install.sh" "test dependencies" poppler-utils ||
        die "apt-get install poppler-utils failed (no network?)"
fi

# The browser tests drive Debian's Chromium (playwright-core's executablePath).
if [ ! -x "$CHROMIUM" ]; then
    sh "$(dirname "$0")/apt-install.sh" "test dependencies" chromium ||
        die "apt-get install chromium failed (no network?)"
    [ -x "$CHROMIUM" ] || die "chromium was installed but $CHROMIUM is missing"
fi

# tests/e2e/mail.sh delivers to an SMTP server of its own on 127.0.0.1.
if ! /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 ||
    ! command -v openssl >/dev/null 2>&1; then
    sh "$(dirname "$0")/apt-install.sh" "test dependencies" \
        python3-aiosmtpd openssl ||
        die "apt-get install python3-aiosmtpd openssl failed (no network?)"
fi

# tests/e2e/warehouse.sh runs a throwaway cluster of Debian's PostgreSQL
# server (its binaries in /usr/lib/postgresql/VERSION/bin; psql too).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 ||
    ! ls /usr/lib/postgresql/*/bin/psql >/dev/null 2>&1; then
    sh "$(dirname "$0")/apt-install.sh" "test dependencies" postgresql ||
        die "apt-get install postgresql failed (no network?)"
fi

# tests/e2e/serve.sh fetches pages with curl and puts the preview server
# under a burst of requests with wrk.
if ! command -v wrk >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
    sh "$(dirname "$0")/apt-install.sh" "test dependencies" wrk curl ||
        die "apt-get install wrk curl failed (no network?)"
fi

# Already there: the stamp, the modules' own package.json and node agree.
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && have_node &&
    has "$PKG" "$VERSION" && has "$PW" "$PW_VERSION"; then
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
# folder's project, and records exactly the pinned versions.
printf '{\n  "name": "opsbook-test-deps",\n  "private": true,\n  "dependencies": {\n    "%s": "%s",\n    "%s": "%s"\n  }\n}\n' \
    "$PKG" "$VERSION" "$PW" "$PW_VERSION" > "$dir/package.json"
log=$dir/npm-install.log
# Retries kept short: offline, npm's defaults take over a minute to give up.
# PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: we use Debian's Chromium, never a
# browser build of playwright's own (playwright-core downloads none anyway).
# shellcheck disable=SC2086
if ! (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install \
        --no-audit --no-fund --no-update-notifier \
        --loglevel=error --save-exact --fetch-retries=2 \
        --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=8000 \
        $want) > "$log" 2>&1; then
    die "npm install $want failed (no network? see $log)"
fi
has "$PKG" "$VERSION" || die "npm install $PKG@$VERSION did not install it (see $log)"
has "$PW" "$PW_VERSION" || die "npm install $PW@$PW_VERSION did not install it (see $log)"
# The native binding must load on this machine, or every test would fail;
# playwright-core must load too.
(cd "$dir" && node -e "require('$PKG'); require('$PW')") >> "$log" 2>&1 ||
    die "$want is installed but does not load with node $(node --version) (see $log)"
echo "$want" > "$stamp"
