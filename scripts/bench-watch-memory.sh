#!/usr/bin/env bash
# Watch mode's memory over a long session (a benchmark, not a test): the resident memory of
# the runner after its first check and after CHECKS more, each on a new version of a 2,000-line
# exercise file. Every version breaks the rule book (a crate attribute), so each check parses
# the whole file and is refused without a build: a thousand checks take seconds, and they
# exercise exactly what grows when parsed sources are kept (proc-macro2's source map).
# Flat means the difference stays within a few MB whatever CHECKS is.
#
# Usage: scripts/bench-watch-memory.sh [CHECKS]   (default 1000; needs python3 and Linux /proc)
set -euo pipefail
cd "$(dirname "$0")/.."
checks="${1:-1000}"
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

BIN="$bin" COURSE="$course" CHECKS="$checks" python3 - <<'PY'
import os, pty, select, sys, time, fcntl, termios, struct

bin, course, checks = os.environ["BIN"], os.environ["COURSE"], int(os.environ["CHECKS"])
path = os.path.join(course, "exercises/bench/bench1.rs")
padding = "".join("fn helper_%d(x: u64) -> u64 { x.wrapping_mul(%d) + 1 }\n" % (n, n)
                  for n in range(2000))

def write(i):
    with open(path + ".tmp", "w") as f:
        f.write('#![crate_name = "round%d"]\nfn main() {}\n%s' % (i, padding))
    os.replace(path + ".tmp", path)

write(0)
pid, fd = pty.fork()
if pid == 0:
    os.chdir(course)
    os.environ["TERM"] = "xterm-256color"
    os.environ["NO_COLOR"] = "1"
    os.execv(bin, [bin, "watch"])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 200, 0, 0))

buf = b""
def read_until(needle, timeout=600):
    global buf
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            buf += os.read(fd, 65536)
            if needle in buf:
                buf = b""
                return
    sys.exit("timed out waiting for %r; the runner printed:\n%s" % (needle, buf[-2000:]))

def rss_mb():
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

read_until(b'round0"')
before = rss_mb()
start = time.monotonic()
for i in range(1, checks + 1):
    write(i)
    read_until(b'round%d"' % i)
seconds = time.monotonic() - start
after = rss_mb()
os.write(fd, b"q")
os.waitpid(pid, 0)
print("checks:                 %d of a %d KB file (%.1f s)" % (checks, len(padding) // 1024, seconds))
print("watch RSS before:       %.1f MB (after the first check)" % before)
print("watch RSS after:        %.1f MB (%+.1f MB)" % (after, after - before))
PY
