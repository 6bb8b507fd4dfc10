#!/bin/sh
# apt-install.sh WHAT PKG...: install Debian packages with apt-get, through
# sudo when not root. WHAT names them in messages ("build dependencies").
# SPDX-License-Identifier: MIT
set -e

what=$1
shift
echo "opsbook: installing missing $what: $*" >&2
if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "opsbook: not root and no sudo: install $* by hand" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
