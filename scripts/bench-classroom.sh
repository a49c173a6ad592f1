#!/usr/bin/env bash
# Load test of the classroom server on loopback: LEARNERS simulated learners each send a verdict
# every INTERVAL seconds (with jitter) for SECONDS seconds; halfway through the server is killed
# and restarted on the same database and address while the learners keep their unsent events
# queued, as watch mode does.
#
# Usage: scripts/bench-classroom.sh [LEARNERS] [SECONDS] [INTERVAL]    (default: 200 120 3)
#
# Prints: the latency from sending an event to the instructor's live stream (server-sent events)
# showing a board that includes it (p50, p99; events sent while the server was down are
# counted apart), the server's peak memory (RSS) and CPU, and whether every event the learners
# sent is stored exactly once after the restart. Exits 1 if an event was lost.
#
# The server binary: $CLASSROOM_BIN, else target/classroom/release, else target/classroom/debug
# (built here in debug if missing: debug figures are pessimistic).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
learners="${1:-200}"
seconds="${2:-120}"
interval="${3:-3}"

bin="${CLASSROOM_BIN:-}"
if [[ -z "$bin" ]]; then
    for profile in release debug; do
        if [[ -x "$repo/target/classroom/$profile/backendlings-classroom" ]]; then
            bin="$repo/target/classroom/$profile/backendlings-classroom"
            break
        fi
    done
fi
if [[ -z "$bin" ]]; then
    cargo build --quiet -p backendlings-classroom --manifest-path "$repo/Cargo.toml" \
        --target-dir "$repo/target/classroom"
    bin="$repo/target/classroom/debug/backendlings-classroom"
fi
# Each learner thread opens a connection per request, like watch mode.
ulimit -n 4096 2>/dev/null || true

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "server: $bin"
echo "learners: $learners, one verdict every ~${interval}s each, for ${seconds}s, restart at $((seconds / 2))s"

python3 - "$bin" "$work/room.db" "$learners" "$seconds" "$interval" <<'PY'
import http.client, json, os, random, re, signal, socket, subprocess, sys, threading, time

bin_path, db, learners, seconds, interval = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
VERSION = "0.1.0"
TICK = os.sysconf("SC_CLK_TCK")


def start(listen):
    proc = subprocess.Popen([bin_path, "--listen", listen, "--db", db], stdout=subprocess.PIPE, text=True)
    join = teach = None
    while join is None or teach is None:
        line = proc.stdout.readline()
        if not line:
            sys.exit("the server exited before printing its URLs")
        for word in line.split():
            if "/join/" in word:
                join = word
            if "/teach/" in word:
                teach = word
    threading.Thread(target=proc.stdout.read, daemon=True).start()
    return proc, join, teach


proc, join_url, teach_url = start("127.0.0.1:0")
base, code = join_url.rsplit("/join/", 1)
addr = base[len("http://"):]
host, port = addr.rsplit(":", 1)
secret = teach_url.rsplit("/teach/", 1)[1]
lock = threading.Lock()
boards = []          # (time, events shown)
samples = []         # (time sent, stored count, first try)
cpu = []             # (cpu seconds, wall seconds) per server process
peak_rss = [0]
generated = [0]
stop = threading.Event()
down = threading.Event()


def request(method, path, body=None, headers=None):
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def sse():
    while not stop.is_set():
        try:
            sock = socket.create_connection((host, int(port)), timeout=5)
            sock.sendall(f"GET /teach/{secret}/live HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n".encode())
            sock.settimeout(1)
            buffer = b""
            while not stop.is_set():
                try:
                    chunk = sock.recv(65536)
                except socket.timeout:
                    continue
                if not chunk:
                    break
                now = time.monotonic()
                buffer += chunk
                for match in re.finditer(rb'data-events="(\d+)"', buffer):
                    with lock:
                        boards.append((now, int(match.group(1))))
                buffer = buffer[-64:]
        except OSError:
            time.sleep(0.2)


def learner(n):
    headers = {"x-backendlings-version": VERSION, "x-classroom-code": code, "content-type": "application/json"}
    while True:
        try:
            status, body = request("POST", "/api/join", json.dumps({"name": f"learner {n}"}), headers)
            if status == 200:
                break
        except OSError:
            pass
        time.sleep(0.5)
    headers["x-classroom-learner"] = json.loads(body)["learner"]
    pending = []
    seq = 0
    deadline = start_time + seconds
    next_send = time.monotonic() + random.uniform(0, interval)
    while True:
        now = time.monotonic()
        if now >= deadline and not pending:
            return
        if now < deadline and now >= next_send:
            seq += 1
            failing = [] if random.random() < 0.3 else [f"tests::case_{random.randint(1, 5)}"]
            pending.append({"id": f"{n}-{seq}", "kind": "verdict", "exercise": f"ex{seq // 10}",
                            "at": int(time.time() * 1000), "status": "test_failure" if failing else "pass",
                            "failing": failing, "position": seq // 10})
            with lock:
                generated[0] += 1
            next_send = now + interval * random.uniform(0.8, 1.2)
        if pending:
            sent_at = time.monotonic()
            first_try = len(pending) == 1 and not down.is_set()
            try:
                status, body = request("POST", "/api/events", json.dumps({"events": pending}), headers)
            except OSError:
                status = 0
            if status == 200:
                with lock:
                    samples.append((sent_at, json.loads(body)["stored"], first_try))
                pending = []
            else:
                time.sleep(0.5)
                continue
        time.sleep(min(0.2, max(0.0, next_send - time.monotonic())))


def watch_resources():
    while not stop.is_set():
        try:
            with open(f"/proc/{proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        peak_rss[0] = max(peak_rss[0], int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.5)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


start_time = time.monotonic()
threading.Thread(target=sse, daemon=True).start()
threading.Thread(target=watch_resources, daemon=True).start()
threads = [threading.Thread(target=learner, args=(n,)) for n in range(learners)]
for t in threads:
    t.start()
proc_start = time.monotonic()
time.sleep(seconds / 2)

# The restart: killed hard (no graceful shutdown), down for two seconds, same database and port.
down.set()
cpu.append((cpu_seconds(proc.pid), time.monotonic() - proc_start))
proc.send_signal(signal.SIGKILL)
proc.wait()
time.sleep(2)
proc, _, _ = start(addr)
proc_start = time.monotonic()
down.clear()

for t in threads:
    t.join(timeout=seconds + 60)
time.sleep(1)
cpu.append((cpu_seconds(proc.pid), time.monotonic() - proc_start))
status, body = request("GET", f"/teach/{secret}/stats")
stats = json.loads(body)
stop.set()
proc.terminate()
proc.wait()

with lock:
    boards.sort()
    latencies = []
    for sent, stored, first_try in samples:
        if not first_try:
            continue
        for when, shown in boards:
            if when >= sent and shown >= stored:
                latencies.append(when - sent)
                break
latencies.sort()


def pct(p):
    return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000 if latencies else float("nan")


print(f"events sent: {generated[0]} ({generated[0] / seconds:.0f}/s); stored after the restart: {stats['events']}; learners: {stats['learners']}")
print(f"latency to the instructor's live board: p50 {pct(0.5):.0f} ms, p99 {pct(0.99):.0f} ms, max {pct(1.0):.0f} ms ({len(latencies)} events sent on first try)")
used = sum(c for c, _ in cpu)
wall = sum(w for _, w in cpu)
print(f"server: peak RSS {peak_rss[0] / 1024:.1f} MiB, CPU {used:.1f} s over {wall:.0f} s ({100 * used / wall:.1f}% of one core)")
lost = generated[0] - stats["events"]
if lost:
    print(f"LOST: {lost} events")
    sys.exit(1)
print("no event lost across the restart")
PY
