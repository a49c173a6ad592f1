#!/usr/bin/env bash
# Times `backendlings dev check --require-solutions` on a course, cold and warm, then
# `--mutate` (generated mutants) once on the warm build, with the cost it reports itself.
#
# Usage: scripts/bench-dev-check.sh [COURSE_DIR] [--no-mutate]    (default: this repository's course)
#
# The course is copied to a temporary folder first (without target/, .git/ and learner state),
# so "cold" means no build artifacts at all (crates already downloaded, as after `cargo fetch`),
# and the original tree is left alone. "warm" is the same command run again right after.
# Prints the figures; asserts nothing (speed targets are not tests).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
course="$(cd "${1:-$repo}" && pwd)"
mutate=yes
[ "${2:-}" = --no-mutate ] && mutate=no

cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
bin="$repo/target/release/backendlings"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -C "$course" --exclude=./target --exclude=./.git --exclude=./.backendlings -cf - . |
    tar -C "$work" -xf -

exercises="$(grep -c '^\[\[exercises\]\]' "$work/info.toml")"

run() {
    local start
    start="$EPOCHREALTIME"
    # The report goes to a file: only its last line (the summary) is shown, on stderr.
    (cd "$work" && NO_COLOR=1 "$bin" dev check --require-solutions "${@:2}" >"$work/.dev-check.txt" 2>&1) || true
    echo "$1 run: $(tail -n 1 "$work/.dev-check.txt")" >&2
    awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
}

cold="$(run cold)"
warm="$(run warm)"
per() { awk -v t="$1" -v n="$exercises" 'BEGIN { printf "%.2f", t / n }'; }

echo "course:    $course"
echo "machine:   $(nproc) cores, $(rustc --version)"
programs="$(tail -n 1 "$work/.dev-check.txt" | grep -o '[0-9]* programs' || true)"
echo "exercises: $exercises (each checked unsolved and solved, and every mutant: ${programs:-? programs})"
printf 'cold:      %6.1f s  (%s s per exercise)\n' "$cold" "$(per "$cold")"
printf 'warm:      %6.1f s  (%s s per exercise)\n' "$warm" "$(per "$warm")"
echo "reference: rustlings dev check, 94 exercises, 2 cores: 45 s cold (0.48 s/exercise), 16 s warm (0.17 s/exercise)"

[ "$mutate" = yes ] || exit 0
# Warm: the curated part costs what "warm" shows; the rest is the generated mutants'.
mutated="$(run mutate --mutate)"
report="$work/.dev-check.txt"
echo "--mutate:  $(printf '%6.1f' "$mutated") s in all (warm dependencies)"
grep '^  cost: ' "$report" | sed 's/^  cost: /           /' || true
survivors="$(grep -c '^error: .*generated mutant .* survives' "$report" || true)"
echo "           survivors not listed as equivalent: $survivors; $(tail -n 1 "$report" | grep -o '[0-9]* of [0-9]* generated mutants killed[^)]*)' || true)"
