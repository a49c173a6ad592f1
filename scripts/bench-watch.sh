#!/usr/bin/env bash
# Watch mode speed and size, measured through a pseudo-terminal (a benchmark, not a test).
#
# Prints, for a std-only test exercise with a warm build:
#   - save-to-verdict: time from writing the file to the verdict being on the screen;
#   - `cargo test --bin X` for the same edit (its own target folder, equally warm);
#   - the runner's overhead (the difference of the medians);
#   - the resident memory of the runner process in watch mode (now and peak).
# Targets: save-to-verdict <= 0.25 s on 2 cores, overhead <= 50 ms, RSS <= 20 MB.
#
# Usage: scripts/bench-watch.sh [ROUNDS]   (needs python3 for its pty module)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-8}"
cargo build --release --quiet
bin="$PWD/target/release/backendlings"
course="$(mktemp -d)"
trap 'rm -rf "$course"' EXIT

mkdir -p "$course/exercises/bench" "$course/.backendlings"
cat > "$course/info.toml" <<'TOML'
format_version = 1
[[sections]]
dir = "bench"
title = "Bench"
[[exercises]]
name = "bench1"
dir = "bench"
hint = "none"
TOML
echo '{"version": 1, "welcome_shown": true}' > "$course/.backendlings/state.json"
printf 'fn main() {}\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() { assert!(false); }\n}\n' \
  > "$course/exercises/bench/bench1.rs"

BIN="$bin" COURSE="$course" ROUNDS="$rounds" python3 - <<'PY'
import os, pty, select, statistics, subprocess, sys, time, fcntl, termios, struct

bin, course, rounds = os.environ["BIN"], os.environ["COURSE"], int(os.environ["ROUNDS"])
path = os.path.join(course, "exercises/bench/bench1.rs")

def source(i, passing):
    return ("// edit %d\nfn main() {}\n#[cfg(test)]\nmod tests {\n    #[test]\n"
            "    fn t() { assert!(%s); }\n}\n" % (i, "true" if passing else "false"))

pid, fd = pty.fork()
if pid == 0:
    os.chdir(course)
    os.environ["TERM"] = "xterm-256color"
    os.environ["NO_COLOR"] = "1"  # plain text to match; the timing is the same
    os.execv(bin, [bin, "watch"])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))

def read_until(needle, timeout=600):
    buf, start = b"", time.monotonic()
    while time.monotonic() - start < timeout:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            buf += os.read(fd, 65536)
            if needle in buf:
                return time.monotonic()
    sys.exit("timed out waiting for %r; the runner printed:\n%s" % (needle, buf[-2000:]))

read_until("bench1: tests failed".encode())  # first, cold build
latencies = []
for i in range(1, rounds + 1):
    passing = i % 2 == 1
    needle = ("bench1 passed" if passing else "bench1: tests failed").encode()
    time.sleep(0.3)
    start = time.monotonic()
    with open(path, "w") as f:
        f.write(source(i, passing))
    latencies.append(read_until(needle) - start)

def status(key):
    for line in open("/proc/%d/status" % pid):
        if line.startswith(key):
            return int(line.split()[1]) / 1024
rss, peak = status("VmRSS:"), status("VmHWM:")
os.write(fd, b"q")
os.waitpid(pid, 0)

# Baseline: cargo test --bin for the same kind of edit, its own (warm) target folder.
manifest = os.path.join(course, "Cargo.toml")  # a course without dev/ keeps it at the root
def cargo_test():
    # The exercise fails every other round, so cargo test's own exit code is not checked;
    # that it built and ran is (its output names the test).
    done = subprocess.run(["cargo", "test", "--manifest-path", manifest, "--target-dir",
                           os.path.join(course, "target", "baseline"), "--bin", "bench1"],
                          capture_output=True, cwd=course)
    if b"test tests::t" not in done.stdout:
        sys.exit("cargo test did not run the exercise:\n%s" % done.stderr.decode()[-2000:])
cargo_test()
baseline = []
for i in range(rounds + 1, 2 * rounds + 1):
    time.sleep(0.3)
    start = time.monotonic()
    with open(path, "w") as f:
        f.write(source(i, i % 2 == 1))
    cargo_test()
    baseline.append(time.monotonic() - start)

ms = lambda xs: "median %4.0f ms  min %4.0f  max %4.0f" % (
    statistics.median(xs) * 1000, min(xs) * 1000, max(xs) * 1000)
print("cores:                  %d" % os.cpu_count())
print("save to verdict:        %s   (target <= 250 ms)" % ms(latencies))
print("cargo test --bin:       %s" % ms(baseline))
print("runner overhead:        %+4.0f ms (medians; target <= 50 ms)"
      % ((statistics.median(latencies) - statistics.median(baseline)) * 1000))
print("runner RSS in watch:    %.1f MB now, %.1f MB peak   (target <= 20 MB)" % (rss, peak))
PY
