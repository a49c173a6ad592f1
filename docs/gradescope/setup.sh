#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu 22.04).
# It installs the Rust toolchain (rustup), bubblewrap, backendlings and the course, fetches
# every crate the exercises use (grading has no network), and grades the course's own solutions
# once: that compiles the course's crates and proves, before any student submits, that grading
# works on this image. Any failure fails the setup, loudly.
#
# Edit COURSE_REPO_URL and COURSE_REF, or put the course itself in a course/ folder next to
# this file in the autograder zip (it is then used as is).
set -euo pipefail

COURSE_REPO_URL=${COURSE_REPO_URL:-https://github.com/your-org/backendlings.git}
COURSE_REF=${COURSE_REF:-main}
SOURCE=${AUTOGRADER_SOURCE:-/autograder/source}
COURSE=${AUTOGRADER_COURSE:-/autograder/course}

export DEBIAN_FRONTEND=noninteractive
if command -v apt-get >/dev/null; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends \
    ca-certificates curl git build-essential pkg-config bubblewrap python3
fi

# Rust for every user, in /usr/local (run_autograder sets the same variables): learner builds
# run under users of their own, which must be able to read the toolchain and the crates.
export RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo
export PATH=$CARGO_HOME/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
if ! command -v rustup >/dev/null; then
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
    sh -s -- -y --no-modify-path --profile minimal --default-toolchain stable
fi

# The course: bundled in the zip, or cloned.
rm -rf "$COURSE"
if [ -f "$SOURCE/course/info.toml" ]; then
  cp -r "$SOURCE/course" "$COURSE"
else
  git clone --quiet --depth 1 --branch "$COURSE_REF" "$COURSE_REPO_URL" "$COURSE"
fi
cargo build --release --locked --manifest-path "$COURSE/Cargo.toml"
install -m 0755 "$COURSE/target/release/backendlings" /usr/local/bin/backendlings
rm -rf "$COURSE/target"

# Every crate of the workspace, the exercise package's included (in this repository it is the
# member dev/; elsewhere the root package): grading runs offline.
cargo fetch --locked --manifest-path "$COURSE/Cargo.toml"
if [ -f "$COURSE/dev/Cargo.toml" ]; then
  cargo fetch --locked --manifest-path "$COURSE/dev/Cargo.toml"
fi
chmod -R a+rX "$RUSTUP_HOME" "$CARGO_HOME"

# The course is root's alone: learner code never needs it (it builds a copy), and must not read
# the solutions.
chown -R root:root "$COURSE"
chmod 0700 "$COURSE"

# Grade the course's own solutions once, as run_autograder grades a submission: this compiles
# the course's crates into the shared build folder and must score 100%.
warm=$(mktemp -d)
trap 'rm -rf "$warm"' EXIT
cp -r "$COURSE/exercises" "$warm/"
if [ -d "$COURSE/solutions" ]; then
  cp -r "$COURSE/solutions/." "$warm/exercises/"
fi
chmod -R a+rX "$warm"
echo "setup: grading the course's solutions (compiles the course's crates once)"
if ! (cd "$COURSE" && backendlings grade "$warm" --require-sandbox=uid --fail-under 100 \
      --json "$warm/report.json"); then
  # The first failures, in full: what the instructor needs to fix the image.
  python3 - "$warm/report.json" <<'PY' >&2 || true
import json, sys
failed = [e for l in json.load(open(sys.argv[1]))["learners"] for e in l["exercises"]
          if e["status"] != "passed"]
for e in failed[:3]:
    print(f"--- {e['name']}: {e['status']}\n{e['output'][:2000]}")
PY
  echo "setup FAILED: the course's own solutions do not score 100% on this image (see above)" >&2
  exit 1
fi
echo "setup: done"
