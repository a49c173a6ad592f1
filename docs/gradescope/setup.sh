#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu).
# It installs the Rust toolchain (rustup), bubblewrap where apt exists, backendlings and the
# course, and compiles the course's dependencies once, so that grading a submission only
# compiles the learner's own code.
#
# Edit COURSE_REPO_URL and COURSE_REF, or put the course itself in a course/ folder next to
# this file in the autograder zip (it is then used as is).
set -euo pipefail

COURSE_REPO_URL=${COURSE_REPO_URL:-https://github.com/your-org/backendlings.git}
COURSE_REF=${COURSE_REF:-main}
SOURCE=${AUTOGRADER_SOURCE:-/autograder/source}
COURSE=${AUTOGRADER_COURSE:-/autograder/course}
# Learner code runs as this user, never as root; it cannot write the course or the results.
GRADER_USER=${GRADER_USER:-autograder}

export DEBIAN_FRONTEND=noninteractive
if command -v apt-get >/dev/null; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends \
    ca-certificates curl git build-essential pkg-config bubblewrap
fi

# Rust for every user, in /usr/local (run_autograder sets the same variables).
export RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo
export PATH=$CARGO_HOME/bin:$PATH
if ! command -v rustup >/dev/null; then
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
    sh -s -- -y --no-modify-path --profile minimal --default-toolchain stable
fi
chmod -R a+rX "$RUSTUP_HOME" "$CARGO_HOME"

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

# The grading user owns the build folder only; the course stays root's and read-only to it.
id -u "$GRADER_USER" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$GRADER_USER"
mkdir -p "$COURSE/target/backendlings"
chown -R "$GRADER_USER:" "$COURSE/target"
chmod -R a+rX "$COURSE"

# Compile the course's dependencies once: grade the course's own (unsolved) tree.
warm=$(mktemp -d)
cp -r "$COURSE/exercises" "$warm/"
chown -R "$GRADER_USER:" "$warm"
(cd "$COURSE" && runuser -u "$GRADER_USER" -- env RUSTUP_HOME="$RUSTUP_HOME" CARGO_HOME="$CARGO_HOME" \
  PATH="$PATH" backendlings grade "$warm" >/dev/null) || echo "warning: warming the build folder failed; grading will compile the dependencies itself" >&2
rm -rf "$warm"
