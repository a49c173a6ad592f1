#!/usr/bin/env bash
# Benchmark: a learner's first start. From `cargo build --release` in a fresh clone (crates
# already downloaded) to the first verdict, split into the runner's build and the first check
# (which compiles the exercise crates), beside a fixed reference measured in the same run: a
# bare `cargo build --release` of a rustlings-like dependency set (anyhow, clap with derive,
# crossterm, notify, serde with derive, serde_json, toml). The ratio holds on any machine; the
# seconds depend on it and on its load, so both are printed.
#
# The first check is `backendlings run`: the same build and check as watch mode's first screen,
# without a terminal. The clone is of the committed HEAD (commit what you want measured).
# Then the async section: its first check (which compiles tokio, axum and tower, left out of the
# first start) and save-to-verdict of one of its exercises.
# Usage: scripts/bench-first-start.sh [--timings]   (--timings keeps cargo's HTML reports)
# CARGO_PROFILE_RELEASE_* variables apply to the runner's build only, to try profile settings.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
timings=()
[[ "${1:-}" == "--timings" ]] && timings=(--timings)

work="$(mktemp -d)"
[[ ${#timings[@]} -eq 0 ]] && trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.1f}')"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "machine: $(nproc) cores, load average $(load) at the start"
cargo fetch --quiet --manifest-path "$repo/Cargo.toml"
git clone --quiet "$repo" "$work/clone"

mkdir -p "$work/reference/src"
cat >"$work/reference/Cargo.toml" <<'TOML'
[package]
name = "reference"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
anyhow = "1"
clap = { version = "4", features = ["derive"] }
crossterm = "0.29"
notify = "8"
serde = { version = "1", features = ["derive"] }
serde_json = "1"
toml = "0.9"

[workspace]
TOML
echo 'fn main() {}' >"$work/reference/src/main.rs"
# The clone's lock pins versions that are already downloaded; the reference's own crates
# (crossterm's default features need derive_more, which the runner does not) are fetched here.
cp "$repo/Cargo.lock" "$work/reference/"
cargo fetch --quiet --manifest-path "$work/reference/Cargo.toml"

echo "reference: cargo build --release of the fixed dependency set..."
t0=$(now)
# The reference is fixed: no CARGO_PROFILE_* overrides from the caller's environment.
(cd "$work/reference" && env $(env | grep -o '^CARGO_PROFILE_[A-Z_]*' | sed 's/^/-u /') \
  cargo build --release --quiet --offline "${timings[@]}" 2>/dev/null)
t1=$(now)
reference=$(elapsed "$t0" "$t1")

cd "$work/clone"
echo "first start: cargo build --release in the fresh clone..."
t0=$(now)
cargo build --release --quiet --offline "${timings[@]}" 2>/dev/null
t1=$(now)
echo "first start: the first check (compiles the exercise crates)..."
./target/release/backendlings run >/dev/null 2>&1 || true
t2=$(now)
[[ -f .backendlings/state.json ]] || { echo "the first check did not run"; exit 1; }
runner=$(elapsed "$t0" "$t1")
check=$(elapsed "$t1" "$t2")
total=$(elapsed "$t0" "$t2")
ratio=$(python3 -c "print(f'{$total / $reference:.2f}')")

# The async section's crates (tokio, axum, tower) are not part of the first start: the first
# check of one of its exercises compiles them. Then save-to-verdict there: an edit of the
# exercise and one check, as watch mode does on a save (median of 5).
echo "async section: the first check of async1_await (compiles tokio, axum, tower)..."
t3=$(now)
./target/release/backendlings run async1_await >/dev/null 2>&1 || true
t4=$(now)
async_first=$(elapsed "$t3" "$t4")
saves=()
for i in 1 2 3 4 5; do
  echo "// save $i" >>exercises/04_async/async1_await.rs
  t5=$(now)
  ./target/release/backendlings run async1_await >/dev/null 2>&1 || true
  t6=$(now)
  saves+=("$(elapsed "$t5" "$t6")")
done
save_median=$(printf '%s\n' "${saves[@]}" | sort -n | sed -n 3p)

echo
echo "load average at the end: $(load)"
printf '%-44s %8s s\n' "reference build (rustlings-like crates)" "$reference"
printf '%-44s %8s s\n' "runner build (cargo build --release)" "$runner"
printf '%-44s %8s s\n' "first check (exercise crates + verdict)" "$check"
printf '%-44s %8s s  (%sx the reference)\n' "first start, total" "$total" "$ratio"
printf '%-44s %8s s\n' "async section: first check (its crates)" "$async_first"
printf '%-44s %8s s  (%s)\n' "async section: save to verdict, median of 5" "$save_median" "${saves[*]}"
if [[ ${#timings[@]} -gt 0 ]]; then
  echo "cargo timing reports: $work/reference/target/cargo-timings, $work/clone/target/cargo-timings"
fi
