#!/bin/sh
# deps.sh: install the Debian packages opsbook builds against, when missing.
# SPDX-License-Identifier: MIT
set -e

# pkg-config name -> Debian package, plus tools needed at build time.
need=""
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
command -v cc >/dev/null 2>&1 || need="$need gcc"
check() {
    pkg-config --exists "$1" 2>/dev/null || need="$need $2"
}
check libcmark-gfm "libcmark-gfm-dev libcmark-gfm-extensions-dev"
check xlsxwriter libxlsxwriter-dev
check cairo libcairo2-dev
check pangocairo libpango1.0-dev
check fontconfig libfontconfig-dev
check libpng libpng-dev
check yaml-0.1 libyaml-dev
check zlib zlib1g-dev
# Content hashes for incremental builds (XXH3).
check libxxhash libxxhash-dev
# opsbook mail delivers over SMTP with libcurl; the OpenSSL flavour gives
# STARTTLS and certificate checks against the system CA store.
check libcurl libcurl4-openssl-dev
# Warehouse sources (type: postgres) are read through libpq.
check libpq libpq-dev
# opsbook serve: the HTTP server of the local preview.
check libmicrohttpd libmicrohttpd-dev
[ -f /usr/share/zoneinfo/Europe/Paris ] || need="$need tzdata"
# The one font charts use, pinned (src/chart.c).
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] ||
    need="$need fonts-dejavu-core"

[ -z "$need" ] && exit 0

# shellcheck disable=SC2086
exec sh "$(dirname "$0")/apt-install.sh" "build dependencies" $need
