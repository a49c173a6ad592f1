#!/usr/bin/env bash
# Scale benchmark of `backendlings grade`: a generated cohort graded in 1, 2 and 4 partitions
# (`--partition K/N`) on this machine, as N CI runners would grade it, each part in its own copy
# of the course with its own build folder restored from a warm cache.
#
# The course is a small generated fixture (EXERCISES one-file exercises in 3 sections, one
# crates.io dependency, like scripts/bench-grade.sh), NOT the real 77-exercise course: the
# figures are for the grading machinery (sandboxes, shared build folder, partitions), and a real
# course costs about (its exercises / EXERCISES) times more per learner.
#
# The cohort (LEARNERS learners) mixes, by learner number n:
#   n % 3 == 0  solved: every exercise passes
#   n % 3 == 1  partly solved: the first n % (EXERCISES+1) exercises pass, the others fail tests
#   n % 3 == 2  broken: a syntax error in one file, one file deleted, one test module weakened;
#               every 25th learner has no exercises/ folder at all (cannot be graded)
#
# Prints, for each partition count: wall time, learners per minute, peak memory of every
# process of the run (RSS summed over the process trees, sampled every 0.2 s), peak disk of
# the temporary folder (sandboxes) and of the build folders, and the machine's load average
# before and after (other work on the machine changes every figure); then the dependency build cost
# and the marginal cost of one learner once dependencies are built. Checks that the
# temporary folder is empty after every run (sandboxes are removed as learners finish).
#
# Usage: scripts/bench-scale.sh [LEARNERS] [EXERCISES]    (defaults: 300 and 6)
# Env:   BENCH_DEP   the dependency line of the exercise package (default: serde_json = "1")
#        JOBS        --jobs for each grade process (default: number of cores)
#        PARTS       the partition counts to run (default: "1 2 4")
set -euo pipefail

LEARNERS=${1:-300}
EXERCISES=${2:-6}
DEP=${BENCH_DEP:-'serde_json = "1"'}
JOBS=${JOBS:-$(nproc)}
PARTS=${PARTS:-"1 2 4"}
HERE=$(cd "$(dirname "$0")/.." && pwd)

cargo build --quiet --manifest-path "$HERE/Cargo.toml"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# A copy of the binary: rebuilding the worktree during a long run must not change it.
BIN="$WORK/backendlings"
cp "$HERE/target/debug/backendlings" "$BIN"
COURSE="$WORK/course"
mkdir -p "$COURSE"

# ---- the course ----
{
  echo 'format_version = 1'
  for s in 1 2 3; do
    printf '\n[[sections]]\ndir = "s%s"\ntitle = "Section %s"\n' "$s" "$s"
  done
} > "$COURSE/info.toml"
exercise_source() { # $1 = index, $2 = body of compute(), $3 = body of the test
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
        ${3:-assert_eq!(compute(2), 2 * $1 + 1);}
    }

    #[test]
    fn serializes() {
        assert_eq!(serde_json::json!(compute(0)).to_string(), "1");
    }
}
EOF
}
section_of() { echo $(( ($1 - 1) * 3 / EXERCISES + 1 )); }
for i in $(seq 1 "$EXERCISES"); do
  s=$(section_of "$i")
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
(cd "$COURSE" && "$BIN" dev update >/dev/null && { cargo generate-lockfile --offline --quiet 2>/dev/null || cargo generate-lockfile --quiet; })

# ---- the cohort ----
COHORT="$WORK/cohort"
mkdir -p "$COHORT"
for n in $(seq 1 "$LEARNERS"); do
  dir="$COHORT/learner$(printf %03d "$n")"
  mkdir -p "$dir"
  cp -r "$COURSE/exercises" "$COURSE/info.toml" "$COURSE/Cargo.toml" "$COURSE/Cargo.lock" "$dir/"
  case $(( n % 3 )) in
    0) solved=$EXERCISES ;;
    1) solved=$(( n % (EXERCISES + 1) )) ;;
    2) solved=$(( EXERCISES - 1 )) ;;
  esac
  for i in $(seq 1 "$solved"); do
    exercise_source "$i" "x * $i + 1" > "$dir/exercises/s$(section_of "$i")/ex$i.rs"
  done
  if [ $(( n % 3 )) -eq 2 ]; then
    echo 'fn compute(x: i64) -> i64 { x +* }' > "$dir/exercises/s$(section_of 1)/ex1.rs"
    rm -f "$dir/exercises/s$(section_of 2)/ex2.rs"
    exercise_source "$EXERCISES" "x * 0" "assert!(true);" > "$dir/exercises/s$(section_of "$EXERCISES")/ex$EXERCISES.rs"
    if [ $(( n % 25 )) -eq 0 ]; then rm -rf "$dir/exercises"; fi
  fi
done

# ---- measuring ----
# Runs "$@" and prints "seconds peak_rss_kib peak_tmp_kib peak_build_kib": RSS summed over the
# command's process tree, disk of $TMPDIR and of the build folders named in $BUILD_DIRS.
measure() {
  python3 - "$@" <<'EOF'
import os, subprocess, sys, time

def children():
    kids = {}
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open(f'/proc/{pid}/stat') as f:
                ppid = int(f.read().rsplit(')', 1)[1].split()[1])
            kids.setdefault(ppid, []).append(int(pid))
        except (OSError, ValueError, IndexError):
            pass
    return kids

def tree_rss(root):
    kids, total, todo = children(), 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(kids.get(pid, []))
        try:
            with open(f'/proc/{pid}/statm') as f:
                total += int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') // 1024
        except (OSError, ValueError):
            pass
    return total

def du(path):
    total = 0
    for base, dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(base, name)).st_blocks * 512 // 1024
            except OSError:
                pass
    return total

start = time.time()
proc = subprocess.Popen(['bash', '-c', sys.argv[1]])
peak_rss = peak_tmp = peak_build = 0
tick = 0
while proc.poll() is None:
    peak_rss = max(peak_rss, tree_rss(proc.pid))
    if tick % 10 == 0:  # disk every 2 s: walking the build folders is not free
        peak_tmp = max(peak_tmp, du(os.environ['TMPDIR']))
        peak_build = max(peak_build, sum(du(d) for d in os.environ['BUILD_DIRS'].split()))
    tick += 1
    time.sleep(0.2)
elapsed = time.time() - start
if proc.returncode != 0:
    sys.exit(f'command failed ({proc.returncode}): {sys.argv[1]}')
peak_build = max(peak_build, sum(du(d) for d in os.environ['BUILD_DIRS'].split()))
print(f'{elapsed:.1f} {peak_rss} {peak_tmp} {peak_build}')
EOF
}
export TMPDIR="$WORK/tmp"
mkdir -p "$TMPDIR"
check_tmp_empty() {
  local left
  left=$(find "$TMPDIR" -mindepth 1 -maxdepth 1 | wc -l)
  if [ "$left" -ne 0 ]; then
    echo "FAIL: $left entries left in the temporary folder after grading:" >&2
    ls "$TMPDIR" >&2
    exit 1
  fi
}
grade_build() { echo "$1/target/backendlings/grade-build"; }
mib() { echo $(( ($1 + 1023) / 1024 )); }

echo "course: $EXERCISES exercises (generated fixture, not the real course), dependency: $DEP"
echo "cohort: $LEARNERS learners; machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); --jobs $JOBS per grade process"

# Dependencies: one learner with a cold build folder, then the same learner again, warm.
ONE="$WORK/one"
mkdir -p "$ONE"
cp -r "$COHORT/learner003" "$ONE/"
export BUILD_DIRS
BUILD_DIRS=$(grade_build "$COURSE")
mkdir -p "$BUILD_DIRS"
read -r cold1 _ _ _ < <(measure "cd '$COURSE' && '$BIN' grade --cohort '$ONE' --jobs $JOBS >/dev/null")
read -r warm1 _ _ build1 < <(measure "cd '$COURSE' && '$BIN' grade --cohort '$ONE' --jobs $JOBS >/dev/null")
check_tmp_empty
printf 'one learner: cold build folder %.1f s, warm %.1f s; dependencies cost %.1f s; warm build folder %s MiB\n' \
  "$cold1" "$warm1" "$(echo "$cold1 - $warm1" | bc)" "$(mib "$build1")"

declare -A WALL
for n in $PARTS; do
  # N runners, each with its own course copy and a build folder restored from the warm cache.
  dirs=()
  cmd=""
  for k in $(seq 1 "$n"); do
    runner="$WORK/runner-$n-$k"
    mkdir -p "$runner"
    cp -r "$COURSE" "$runner/course"
    dirs+=("$(grade_build "$runner/course")")
    cmd+="(cd '$runner/course' && '$BIN' grade --cohort '$COHORT' --partition $k/$n --jobs $JOBS --json '$WORK/part-$n-$k.json' >/dev/null) & "
  done
  BUILD_DIRS="${dirs[*]}"
  before=0
  for d in "${dirs[@]}"; do before=$(( before + $(du -sk "$d" | cut -f1) )); done
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  read -r wall rss tmp build < <(measure "${cmd} wait")
  load_after=$(cut -d' ' -f1 /proc/loadavg)
  check_tmp_empty
  after=0
  for d in "${dirs[@]}"; do after=$(( after + $(du -sk "$d" | cut -f1) )); done
  "$BIN" report merge "$WORK"/part-"$n"-*.json --json "$WORK/merged-$n.json" >/dev/null
  graded=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["learners"]))' "$WORK/merged-$n.json")
  [ "$graded" -eq "$LEARNERS" ] || { echo "FAIL: merged report of $n parts has $graded learners" >&2; exit 1; }
  WALL[$n]=$wall
  printf '%d partition(s): %7.1f s, %6.1f learners/min, peak RSS %5d MiB, peak temp %4d MiB, build folders %d -> %d MiB (peak %d); load %s -> %s\n' \
    "$n" "$wall" "$(echo "$LEARNERS * 60 / $wall" | bc -l)" "$(mib "$rss")" "$(mib "$tmp")" \
    "$(mib "$before")" "$(mib "$after")" "$(mib "$build")" "$load_before" "$load_after"
  rm -rf "$WORK"/runner-"$n"-*
done

first=$(echo "$PARTS" | awk '{print $1}')
if [ "$first" = 1 ]; then
  printf 'marginal cost of one learner (warm, 1 partition): %.2f s\n' \
    "$(echo "(${WALL[1]} - $warm1) / ($LEARNERS - 1)" | bc -l)"
fi
python3 - "$WORK/merged-$first.json" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
scores = [l["score"] for l in report["learners"]]
errors = sum(1 for l in report["learners"] if l["status"] == "error")
print(f"scores: min {min(scores)}, max {max(scores)} of {report['course']['max_score']}, "
      f"mean {sum(scores) / len(scores):.2f}; {errors} learners could not be graded")
EOF
