#!/usr/bin/env bash
# Benchmark: batch `verify --no-cache` against one cargo build + cargo test per exercise, and a
# cached `verify`, on a temporary copy of the course with every solution applied.
# Usage: scripts/bench-verify.sh   (prints figures; run from anywhere)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
cargo build --release --quiet
bin="$repo/target/release/backendlings"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r info.toml Cargo.lock exercises solutions dev "$work/"
cp -r solutions/. "$work/exercises/"
cd "$work"
n=$("$bin" list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
names=$("$bin" list --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(e["name"] for s in d["sections"] for e in s["exercises"]))')

now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.2f}')"; }

echo "course: $n exercises, solutions applied, in $work"
echo "cold build of the exercise dependencies alone..."
cargo fetch --quiet --manifest-path dev/Cargo.toml
t0=$(now)
cargo build --quiet --manifest-path dev/Cargo.toml --target-dir "$work/deps-only" --bin intro1_welcome_sol
t1=$(now)
deps=$(elapsed "$t0" "$t1")
rm -rf "$work/deps-only"

echo "cold run: compiling the exercise dependencies and every exercise..."
t0=$(now)
"$bin" verify --no-cache >/dev/null || { echo "verify failed on the solved course"; exit 1; }
t1=$(now)
cold=$(elapsed "$t0" "$t1")
first=${names%% *}
cargo build --quiet --manifest-path dev/Cargo.toml --target-dir "$work/one-by-one" --bin "$first" 2>/dev/null

touch_all() { find exercises -name '*.rs' -exec touch {} +; }

touch_all
t0=$(now)
"$bin" verify --no-cache >/dev/null
t1=$(now)
batch=$(elapsed "$t0" "$t1")

touch_all
t0=$(now)
for name in $names; do
    cargo build --quiet --manifest-path dev/Cargo.toml --target-dir "$work/one-by-one" --bin "$name" 2>/dev/null || true
    cargo test --quiet --manifest-path dev/Cargo.toml --target-dir "$work/one-by-one" --bin "$name" >/dev/null 2>&1 || true
done
t1=$(now)
serial=$(elapsed "$t0" "$t1")

"$bin" verify >/dev/null
t0=$(now)
"$bin" verify >/dev/null
t1=$(now)
cached=$(elapsed "$t0" "$t1")

echo "cold build of the dependencies:    ${deps} s (target: under 30 s)"
echo "cold verify (deps + all exercises): ${cold} s"
echo "batch verify --no-cache:          ${batch} s (all $n pass)"
echo "one by one (cargo build + test):  ${serial} s"
python3 -c "print(f'ratio one-by-one / batch:         {$serial / $batch:.1f}x (target: at least 3x)')"
echo "cached verify (unchanged course): ${cached} s (target: under 0.3 s)"
