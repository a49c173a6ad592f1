#!/usr/bin/env bash
# The Python track's speed, as ratios against cold pytest measured in the same run (a benchmark,
# not a test).
#
# Prints:
#   - watch mode's save-to-verdict for a FastAPI exercise, a Flask one and a Django + DRF one
#     (through a pseudo-terminal: from writing the file to the verdict on the screen), against a
#     cold `python -m pytest` of the same files with the same environment; the Django exercise
#     uses the course's `07_django/djangosite.py` (settings, in-memory SQLite, tables, rollback);
#   - `verify` of the solved track (python/ with the solutions copied in) against one cold
#     pytest per exercise.
# Targets (issue 22): save to verdict median <= 300 ms for FastAPI; verify >= 3x faster than
# cold pytest per exercise. Issue 23: save to verdict median <= 400 ms for Django + DRF.
#
# Usage: scripts/bench-python.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-8}"
cargo build --release --quiet
bin="$PWD/target/release/backendlings"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

course="$work/course"
mkdir -p "$course/exercises/bench" "$course/.backendlings"
cp python/requirements.lock "$course/"
cat > "$course/info.toml" <<'TOML'
format_version = 1
toolchain = "python"
[[sections]]
dir = "bench"
title = "Bench"
[[exercises]]
name = "bench_fastapi"
dir = "bench"
tests = 2
hint = "none"
[[exercises]]
name = "bench_flask"
dir = "bench"
tests = 2
hint = "none"
[[exercises]]
name = "bench_django"
dir = "bench"
tests = 2
hint = "none"
support = ["djangosite.py"]
TOML
cp python/exercises/07_django/djangosite.py "$course/exercises/bench/"
echo '{"version": 1, "welcome_shown": true}' > "$course/.backendlings/state.json"
cat > "$course/exercises/bench/test_bench_fastapi.py" <<'PY'
from fastapi.testclient import TestClient

from bench_fastapi import app

client = TestClient(app)


def test_created():
    response = client.post("/items", json={"name": "pen"})
    assert response.status_code == 201


def test_body():
    assert client.post("/items", json={"name": "pen"}).json() == {"name": "pen"}
PY
cat > "$course/exercises/bench/test_bench_flask.py" <<'PY'
from bench_flask import create_app


def test_health():
    assert create_app().test_client().get("/health").status_code == 200


def test_body():
    assert create_app().test_client().get("/health").get_json() == {"ok": True}
PY
cat > "$course/exercises/bench/test_bench_django.py" <<'PY'
import djangosite

djangosite.setup(urls="bench_django")

from djangosite import db  # noqa: E402,F401
from rest_framework.test import APIClient  # noqa: E402


def test_created(db):
    assert APIClient().post("/items/", {"name": "pen"}, format="json").status_code == 201


def test_listed(db):
    client = APIClient()
    client.post("/items/", {"name": "pen"}, format="json")
    assert [item["name"] for item in client.get("/items/").json()] == ["pen"]
PY
django_source() { # $1: edit number, $2: status code
    printf '# edit %s\nfrom django.db import models\nfrom django.urls import include, path\nfrom rest_framework import serializers, viewsets\nfrom rest_framework.routers import DefaultRouter\n\n\nclass Item(models.Model):\n    name = models.CharField(max_length=50)\n\n    class Meta:\n        app_label = "lessons"\n\n\nclass ItemSerializer(serializers.ModelSerializer):\n    class Meta:\n        model = Item\n        fields = ["id", "name"]\n\n\nclass ItemViewSet(viewsets.ModelViewSet):\n    queryset = Item.objects.order_by("id")\n    serializer_class = ItemSerializer\n\n    def create(self, request, *args, **kwargs):\n        response = super().create(request, *args, **kwargs)\n        response.status_code = %s\n        return response\n\n\nrouter = DefaultRouter()\nrouter.register("items", ItemViewSet, basename="item")\nurlpatterns = [path("", include(router.urls))]\n' "$1" "$2"
}
fastapi_source() { # $1: edit number, $2: status code
    printf '# edit %s\nfrom fastapi import FastAPI\nfrom pydantic import BaseModel\n\napp = FastAPI()\n\n\nclass Item(BaseModel):\n    name: str\n\n\n@app.post("/items", status_code=%s)\nasync def create(item: Item) -> Item:\n    return item\n' "$1" "$2"
}
flask_source() { # $1: edit number, $2: status code
    printf '# edit %s\nfrom flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n\n    @app.get("/health")\n    def health():\n        return {"ok": True}, %s\n\n    return app\n' "$1" "$2"
}
fastapi_source 0 200 > "$course/exercises/bench/bench_fastapi.py"
flask_source 0 500 > "$course/exercises/bench/bench_flask.py"
django_source 0 200 > "$course/exercises/bench/bench_django.py"

# The environment (built once, outside the measurement).
(cd "$course" && "$bin" run bench_flask >/dev/null 2>&1) || true
python="$(ls -d "${BACKENDLINGS_DATA_DIR:-$HOME/.local/share/backendlings}"/python/env-*/bin/python | head -1)"

BIN="$bin" COURSE="$course" ROUNDS="$rounds" PYTHON="$python" python3 - <<'PY'
import os, pty, select, statistics, subprocess, sys, time, fcntl, termios, struct, shutil, tempfile

bin, course, rounds, python = (os.environ["BIN"], os.environ["COURSE"], int(os.environ["ROUNDS"]),
                               os.environ["PYTHON"])

def fastapi(i, status):
    return ('# edit %d\nfrom fastapi import FastAPI\nfrom pydantic import BaseModel\n\napp = FastAPI()\n\n\n'
            'class Item(BaseModel):\n    name: str\n\n\n@app.post("/items", status_code=%d)\n'
            'async def create(item: Item) -> Item:\n    return item\n' % (i, status))

def flask(i, status):
    return ('# edit %d\nfrom flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n\n'
            '    @app.get("/health")\n    def health():\n        return {"ok": True}, %d\n\n    return app\n'
            % (i, status))

def django(i, status):
    return ('# edit %d\nfrom django.db import models\nfrom django.urls import include, path\n'
            'from rest_framework import serializers, viewsets\n'
            'from rest_framework.routers import DefaultRouter\n\n\nclass Item(models.Model):\n'
            '    name = models.CharField(max_length=50)\n\n    class Meta:\n'
            '        app_label = "lessons"\n\n\nclass ItemSerializer(serializers.ModelSerializer):\n'
            '    class Meta:\n        model = Item\n        fields = ["id", "name"]\n\n\n'
            'class ItemViewSet(viewsets.ModelViewSet):\n    queryset = Item.objects.order_by("id")\n'
            '    serializer_class = ItemSerializer\n\n'
            '    def create(self, request, *args, **kwargs):\n'
            '        response = super().create(request, *args, **kwargs)\n'
            '        response.status_code = %d\n        return response\n\n\n'
            'router = DefaultRouter()\nrouter.register("items", ItemViewSet, basename="item")\n'
            'urlpatterns = [path("", include(router.urls))]\n' % (i, status))

def watch(name, source, good, bad):
    path = os.path.join(course, "exercises/bench/%s.py" % name)
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(course)
        os.environ["TERM"] = "xterm-256color"
        os.environ["NO_COLOR"] = "1"
        os.execv(bin, [bin, "watch"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))

    def read_until(needle, timeout=300):
        buf, start = b"", time.monotonic()
        while time.monotonic() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                buf += os.read(fd, 65536)
                if needle in buf:
                    return time.monotonic()
        sys.exit("timed out waiting for %r; the runner printed:\n%s" % (needle, buf[-2000:]))

    read_until(("%s: tests failed" % name).encode())
    latencies = []
    for i in range(1, rounds + 1):
        passing = i % 2 == 1
        needle = (("%s passed" % name) if passing else ("%s: tests failed" % name)).encode()
        time.sleep(0.3)
        start = time.monotonic()
        with open(path, "w") as f:
            f.write(source(100 + i, good if passing else bad))
        latencies.append(read_until(needle) - start)
    os.write(fd, b"q")
    os.waitpid(pid, 0)
    # Leave it failing for the next exercise's turn.
    with open(path, "w") as f:
        f.write(source(0, bad))
    return latencies

def cold(name, source, good, bad):
    folder = tempfile.mkdtemp()
    shutil.copy(os.path.join(course, "exercises/bench/test_%s.py" % name), folder)
    if name == "bench_django":
        shutil.copy(os.path.join(course, "exercises/bench/djangosite.py"), folder)
    times = []
    for i in range(1, rounds + 1):
        with open(os.path.join(folder, "%s.py" % name), "w") as f:
            f.write(source(200 + i, good if i % 2 else bad))
        start = time.monotonic()
        subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", folder],
                       capture_output=True, cwd=folder)
        times.append(time.monotonic() - start)
    shutil.rmtree(folder)
    return times

ms = lambda xs: "median %4.0f ms  min %4.0f  max %4.0f" % (
    statistics.median(xs) * 1000, min(xs) * 1000, max(xs) * 1000)
# Watch mode starts at the first exercise that does not pass: FastAPI first, then Flask.
fa = watch("bench_fastapi", fastapi, 201, 200)
with open(os.path.join(course, "exercises/bench/bench_fastapi.py"), "w") as f:
    f.write(fastapi(0, 201))
subprocess.run([bin, "run", "bench_fastapi"], cwd=course, capture_output=True)
fl = watch("bench_flask", flask, 200, 500)
with open(os.path.join(course, "exercises/bench/bench_flask.py"), "w") as f:
    f.write(flask(0, 200))
subprocess.run([bin, "run", "bench_flask"], cwd=course, capture_output=True)
dj = watch("bench_django", django, 201, 200)
cold_fa = cold("bench_fastapi", fastapi, 201, 200)
cold_fl = cold("bench_flask", flask, 200, 500)
cold_dj = cold("bench_django", django, 201, 200)
print("cores:                         %d" % os.cpu_count())
print("FastAPI save to verdict:       %s   (target <= 300 ms)" % ms(fa))
print("FastAPI cold python -m pytest: %s   (%.1fx the warm verdict)"
      % (ms(cold_fa), statistics.median(cold_fa) / statistics.median(fa)))
print("Flask save to verdict:         %s" % ms(fl))
print("Flask cold python -m pytest:   %s   (%.1fx the warm verdict)"
      % (ms(cold_fl), statistics.median(cold_fl) / statistics.median(fl)))
print("Django + DRF save to verdict:  %s   (target <= 400 ms)" % ms(dj))
print("Django cold python -m pytest:  %s   (%.1fx the warm verdict)"
      % (ms(cold_dj), statistics.median(cold_dj) / statistics.median(dj)))
PY

# verify of the solved track against one cold pytest per exercise.
if grep -q '^\[\[exercises\]\]' python/info.toml; then
    solved="$work/solved"
    cp -r python "$solved"
    rm -rf "$solved/target"
    (cd "$solved/solutions" && find . -name '*.py' -exec cp {} "../exercises/{}" \;)
    exercises=$(grep -c '^\[\[exercises\]\]' "$solved/info.toml")
    start=$(date +%s.%N)
    (cd "$solved" && "$bin" verify --no-cache >/dev/null)
    verify=$(echo "$(date +%s.%N) - $start" | bc)
    start=$(date +%s.%N)
    for test in "$solved"/exercises/*/test_*.py; do
        (cd "$(dirname "$test")" && "$python" -m pytest -q -p no:cacheprovider "$test" >/dev/null 2>&1) || true
    done
    cold=$(echo "$(date +%s.%N) - $start" | bc)
    printf 'verify of the solved track: %.1f s for %d exercises; cold pytest per exercise: %.1f s (%.1fx)   (target >= 3x)\n' \
        "$verify" "$exercises" "$cold" "$(echo "$cold / $verify" | bc -l)"
fi
