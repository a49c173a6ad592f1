#!/usr/bin/env bash
# Cross-compiles the unit tests of process handling for Windows (x86_64-pc-windows-gnu) and runs
# them under Wine: the process-tree, timeout, cancel and output tests of engine/process.rs,
# whose children are the test binary itself, so no shell is needed. Not part of `.ci/run`:
# Wine is slow to start and is not Windows (see docs/platforms.md for what this proves).
#
# Needs the MinGW-w64 linker and Wine (Debian: gcc-mingw-w64-x86-64 wine64); installs them with
# apt-get when missing and allowed (root). Extra arguments go to the test binary.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=(gcc-mingw-w64-x86-64)
command -v wine >/dev/null || missing+=(wine64 wine)
if ((${#missing[@]})); then
    if [[ $(id -u) == 0 ]]; then
        apt-get update -qq && apt-get install -y -qq "${missing[@]}"
    else
        echo "install first: ${missing[*]}" >&2
        exit 1
    fi
fi
rustup target add x86_64-pc-windows-gnu >/dev/null

# A Wine prefix of our own, kept between runs (creating one takes a while), and no Wine chatter.
export WINEPREFIX="${WINEPREFIX:-$PWD/target/wine}"
export WINEDEBUG="${WINEDEBUG:--all}"
# A fresh clone has no target/ yet: wineboot creates the prefix only when its parent exists.
mkdir -p "$(dirname "$WINEPREFIX")"
# Rust's std (1.78 and later) draws random numbers with ProcessPrng from bcryptprimitives.dll,
# which Wine 8 (Debian 12) lacks: every Rust program then fails to start with c0000135. A
# stand-in DLL built here answers ProcessPrng with RtlGenRandom, which Wine has.
system32="$WINEPREFIX/drive_c/windows/system32"
if [[ ! -f $system32/bcryptprimitives.dll ]]; then
    wineboot --init >/dev/null 2>&1 || true
    if [[ ! -d $system32 ]]; then
        echo "wineboot could not create the Wine prefix $WINEPREFIX" >&2
        exit 1
    fi
    shim=$(mktemp -d)
    cat >"$shim/bcryptprimitives.c" <<'C'
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
C
    x86_64-w64-mingw32-gcc -shared -O2 -o "$system32/bcryptprimitives.dll" \
        "$shim/bcryptprimitives.c" -ladvapi32
    rm -rf "$shim"
fi

export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=wine

cargo test --locked --target x86_64-pc-windows-gnu --bin backendlings -- engine::process "$@"
