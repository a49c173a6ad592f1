#!/usr/bin/env bash
# Benchmark of `backendlings grade`: a generated course (EXERCISES exercises in 3 sections, one
# crates.io dependency), a cohort of LEARNERS generated learners with mixed progress (learner i
# has solved i mod (EXERCISES+1) exercises), graded
#   1. with `grade --cohort` (cold: the dependency is compiled once for the cohort), and
#   2. one at a time with a separate `verify` run in each learner's own copy (what a teacher
#      without `grade` would do: each learner's first build compiles the dependency again).
# Prints total time, time per learner and the speed-up. Needs network access to crates.io (or a
# warm cargo cache) for the dependency.
#
# Usage: scripts/bench-grade.sh [LEARNERS] [EXERCISES]    (defaults: 30 and 12)
# Env:   BENCH_DEP   the dependency line of the exercise package (default: serde_json = "1")
#        JOBS        --jobs for grade (default: number of cores)
set -euo pipefail

LEARNERS=${1:-30}
EXERCISES=${2:-12}
DEP=${BENCH_DEP:-'serde_json = "1"'}
JOBS=${JOBS:-$(nproc)}
HERE=$(cd "$(dirname "$0")/.." && pwd)

cargo build --quiet --manifest-path "$HERE/Cargo.toml"
BIN="$HERE/target/debug/backendlings"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
COURSE="$WORK/course"
mkdir -p "$COURSE"

# ---- the course ----
{
  echo 'format_version = 1'
  for s in 1 2 3; do
    printf '\n[[sections]]\ndir = "s%s"\ntitle = "Section %s"\n' "$s" "$s"
  done
} > "$COURSE/info.toml"
exercise_source() { # $1 = index, $2 = body of compute()
  cat <<EOF
// Exercise $1: make compute() return the right number.
fn compute(x: i64) -> i64 {
    $2
}

fn main() {
    let value = serde_json::json!({ "x": compute(2) });
    println!("{value}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes() {
        assert_eq!(compute(2), 2 * $1 + 1);
    }

    #[test]
    fn serializes() {
        assert_eq!(serde_json::json!(compute(0)).to_string(), "1");
    }
}
EOF
}
for i in $(seq 1 "$EXERCISES"); do
  s=$(( (i - 1) * 3 / EXERCISES + 1 ))
  mkdir -p "$COURSE/exercises/s$s"
  exercise_source "$i" "x * 0" > "$COURSE/exercises/s$s/ex$i.rs"
  printf '\n[[exercises]]\nname = "ex%s"\ndir = "s%s"\nhint = "Multiply by %s and add one."\n' "$i" "$s" "$i" >> "$COURSE/info.toml"
done
cat > "$COURSE/Cargo.toml" <<EOF
bin = []

[package]
name = "bench-exercises"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
$DEP
EOF
(cd "$COURSE" && "$BIN" dev update >/dev/null && cargo generate-lockfile --quiet)

# ---- the cohort ----
COHORT="$WORK/cohort"
mkdir -p "$COHORT"
for n in $(seq 1 "$LEARNERS"); do
  dir="$COHORT/learner$(printf %02d "$n")"
  mkdir -p "$dir"
  cp -r "$COURSE/exercises" "$COURSE/info.toml" "$COURSE/Cargo.toml" "$COURSE/Cargo.lock" "$dir/"
  solved=$(( n % (EXERCISES + 1) ))
  for i in $(seq 1 "$EXERCISES"); do
    [ "$i" -le "$solved" ] || continue
    s=$(( (i - 1) * 3 / EXERCISES + 1 ))
    exercise_source "$i" "x * $i + 1" > "$dir/exercises/s$s/ex$i.rs"
  done
done
BASELINE="$WORK/baseline"
cp -r "$COHORT" "$BASELINE"

now() { date +%s.%N; }
echo "course: $EXERCISES exercises, dependency: $DEP; cohort: $LEARNERS learners; $(nproc) cores; --jobs $JOBS"

start=$(now)
(cd "$COURSE" && "$BIN" grade --cohort "$COHORT" --jobs "$JOBS" --json "$WORK/r.json" >/dev/null)
grade_time=$(echo "$(now) - $start" | bc)

start=$(now)
(cd "$COURSE" && "$BIN" grade --cohort "$COHORT" --jobs "$JOBS" --json "$WORK/r2.json" >/dev/null)
warm_time=$(echo "$(now) - $start" | bc)

start=$(now)
(cd "$COURSE" && "$BIN" grade --cohort "$COHORT" --jobs "$JOBS" --no-sandbox --json "$WORK/r3.json" >/dev/null 2>&1)
bare_time=$(echo "$(now) - $start" | bc)

start=$(now)
for dir in "$BASELINE"/*/; do
  (cd "$dir" && "$BIN" verify --json >/dev/null 2>&1) || true
done
verify_time=$(echo "$(now) - $start" | bc)

python3 - "$WORK/r.json" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
scores = [l["score"] for l in report["learners"]]
print(f"scores: min {min(scores)}, max {max(scores)}, of {report['course']['max_score']}; isolation: {report.get('isolation')}")
EOF
printf 'grade --cohort (cold build folder): %8.1f s total, %6.2f s per learner\n' "$grade_time" "$(echo "$grade_time / $LEARNERS" | bc -l)"
printf 'grade --cohort (warm build folder): %8.1f s total, %6.2f s per learner\n' "$warm_time" "$(echo "$warm_time / $LEARNERS" | bc -l)"
printf 'one verify per learner:             %8.1f s total, %6.2f s per learner\n' "$verify_time" "$(echo "$verify_time / $LEARNERS" | bc -l)"
printf 'grade --no-sandbox (warm):          %8.1f s total, %6.2f s per learner\n' "$bare_time" "$(echo "$bare_time / $LEARNERS" | bc -l)"
printf 'speed-up (verify / cold grade):     %8.2fx\n' "$(echo "$verify_time / $grade_time" | bc -l)"
printf "sandbox's share of warm grading:    %8.1f %%\n" "$(echo "($warm_time - $bare_time) * 100 / $warm_time" | bc -l)"
