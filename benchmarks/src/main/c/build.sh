#!/bin/sh
# Builds the C libfdt benchmark harness: build.sh [--no-install] [OUTDIR] (default: benchmarks/target/c).
# Needs gcc and libfdt-dev (the header and the unversioned libfdt.so). Without --no-install, a missing
# libfdt-dev is installed with apt-get when running as root. Maven never runs this: CI need not have libfdt-dev.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
install=yes
if [ "${1:-}" = "--no-install" ]; then
    install=no
    shift
fi
out=${1:-$here/../../../target/c}

if [ ! -f /usr/include/libfdt.h ]; then
    if [ "$install" = yes ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "build.sh: installing libfdt-dev" >&2
        apt-get install -y -q libfdt-dev >&2 || { apt-get update -q >&2 && apt-get install -y -q libfdt-dev >&2; }
    else
        echo "build.sh: libfdt-dev is missing: apt-get install -y libfdt-dev" >&2
        exit 2
    fi
fi
command -v gcc >/dev/null 2>&1 || { echo "build.sh: gcc is missing: apt-get install -y gcc" >&2; exit 2; }

mkdir -p "$out"
gcc -O2 -std=gnu11 -Wall -Wextra -Werror -o "$out/fdtbench" "$here/fdtbench.c" -lfdt
