#!/usr/bin/env bash
# Proves the Gradescope bundle (docs/gradescope/) under Gradescope's contract, on this machine:
#
# 1. a root file system like Gradescope's base image: Ubuntu 22.04 (jammy), minbase, made with
#    debootstrap from Ubuntu's archive (SIM_MIRROR; SIM_RELEASE picks another release);
# 2. setup.sh run once, as root, the autograder zip's files in /autograder/source, under the
#    profile of a `docker build`: Docker's default capabilities, no user namespaces (a seccomp
#    filter refusing them, as Docker's default profile does), the network on;
# 3. run_autograder run per submission, as root, the student's files in /autograder/submission,
#    under the profile of a `docker run` with no network: the same capabilities and filter, a
#    network namespace with loopback only;
# 4. submissions: solved (the course's solutions), untouched (one folder deeper), every solved
#    exercise under `#![cfg(not(test))]`, an exit cheat added to every untouched exercise, a solved tree whose first
#    exercise forges the grader's results and folders (and leaves a process rewriting them), and
#    the solved tree zipped by macOS Finder (`__MACOSX/`, `.DS_Store`); each score and the
#    isolation used are printed, and the script fails when one is not what Gradescope must see.
#
# What it cannot reproduce: the toolchain is this machine's (hard-linked into the image, since
# rustup's servers are out of reach), not one rustup downloads during setup.sh; the kernel is this
# machine's; the archive's signatures are not checked (no Ubuntu keyring in Debian); a proxy's
# certificate authority found in /usr/local/share/ca-certificates is trusted in the image. Needs root, debootstrap, util-linux and python3-seccomp (installed when missing).
# Takes about 20 minutes on 2 cores the first time (debootstrap is kept in SIM_DIR).
#
#   sudo scripts/gradescope-sim.sh            # SIM_KEEP=1 keeps the image for a look
#   SIM_REUSE=1 SIM_ONLY="forger" sudo scripts/gradescope-sim.sh   # again, in the kept image
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

SIM_DIR=${SIM_DIR:-/var/tmp/gs-sim}
SIM_RELEASE=${SIM_RELEASE:-jammy}
SIM_MIRROR=${SIM_MIRROR:-http://archive.ubuntu.com/ubuntu}
# The profile: `build` (setup.sh) or `run` (run_autograder); see sim_exec.
PROFILE_NAME=${PROFILE_NAME:-Gradescope}

[ "$(id -u)" -eq 0 ] || { echo "run as root (debootstrap, chroot, namespaces)" >&2; exit 2; }
missing=()
command -v debootstrap >/dev/null || missing+=(debootstrap)
/usr/bin/python3 -c 'import seccomp' 2>/dev/null || missing+=(python3-seccomp)
command -v zip >/dev/null || missing+=(zip)
if ((${#missing[@]})); then apt-get update -qq && apt-get install -y -qq "${missing[@]}"; fi

# 1. The base image, once; a fresh copy of it for every run of this script.
base=$SIM_DIR/base-$SIM_RELEASE
if [ ! -f "$base/etc/os-release" ]; then
  mkdir -p "$SIM_DIR"
  # Debian packages no Ubuntu keyring: the archive's signature cannot be checked here.
  debootstrap --variant=minbase --no-check-gpg --include=ca-certificates,python3 \
    "$SIM_RELEASE" "$base.tmp" "$SIM_MIRROR"
  mv "$base.tmp" "$base"
fi
sysroot=$(rustc --print sysroot)
toolchain=$(basename "$sysroot")
img=$SIM_DIR/image
src=$img/autograder/source
# SIM_REUSE=1 (after a run with SIM_KEEP=1): grade again in the image setup.sh already set up.
reuse=
if [ -n "${SIM_REUSE:-}" ] && [ -x "$img/usr/local/bin/backendlings" ]; then reuse=1; fi
if [ -z "$reuse" ]; then
  rm -rf "$img"
  cp -a "$base" "$img"
fi
cleanup() {
  for m in proc sys dev; do umount -l "$img/$m" 2>/dev/null || true; done
  if [ -z "${SIM_KEEP:-}" ]; then rm -rf "$img" "$SIM_DIR/subs"; fi
}
trap cleanup EXIT
if [ -z "$reuse" ]; then
cp /etc/resolv.conf "$img/etc/resolv.conf"
printf 'deb %s %s main universe\ndeb %s %s-updates main universe\n' \
  "$SIM_MIRROR" "$SIM_RELEASE" "$SIM_MIRROR" "$SIM_RELEASE" > "$img/etc/apt/sources.list"
# Ubuntu's archive is not signed by a key this image has (see above).
echo 'APT::Get::AllowUnauthenticated "true"; Acquire::AllowInsecureRepositories "true";' \
  > "$img/etc/apt/apt.conf.d/99sim"

# The toolchain rustup would install, from this machine (no rustup servers here).
mkdir -p "$img/usr/local/rustup/toolchains" "$img/usr/local/cargo/bin"
cp -al "$sysroot" "$img/usr/local/rustup/toolchains/$toolchain" 2>/dev/null ||
  cp -a "$sysroot" "$img/usr/local/rustup/toolchains/$toolchain"
printf 'version = "12"\ndefault_toolchain = "%s"\nprofile = "minimal"\n' "$toolchain" \
  > "$img/usr/local/rustup/settings.toml"
rustup_bin=$(command -v rustup)
for tool in rustup cargo rustc; do cp "$rustup_bin" "$img/usr/local/cargo/bin/$tool"; done

# The autograder zip as Gradescope unpacks it: setup.sh, run_autograder and the course.
src=$img/autograder/source  # (also set above)
mkdir -p "$src/course" "$img/autograder/results" "$img/autograder/submission"
cp docs/gradescope/setup.sh docs/gradescope/run_autograder "$src/"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  [ -e "$f" ] || continue
  mkdir -p "$src/course/$(dirname "$f")"
  cp -a "$f" "$src/course/$f"
done

# Docker's default profile: its capabilities, and its seccomp rules on namespaces (refused
# without CAP_SYS_ADMIN, which Docker drops): clone and unshare with namespace flags, setns,
# mount, pivot_root; clone3 answers ENOSYS so that glibc falls back to clone.
cat > "$SIM_DIR/docker-profile.py" <<'PY'
import errno, os, sys
import seccomp
NS = 0x7E020000  # CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET
f = seccomp.SyscallFilter(seccomp.ALLOW)
f.set_attr(seccomp.Attr.CTL_NNP, 0)
f.add_rule(seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, NS, 0x10000000))
for flag in (0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000):
    f.add_rule(seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
for call in ("unshare", "setns", "mount", "umount2", "pivot_root"):
    f.add_rule(seccomp.ERRNO(errno.EPERM), call)
f.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
f.load()
os.execvp(sys.argv[1], sys.argv[1:])
PY
fi
caps=-all,+chown,+dac_override,+fsetid,+fowner,+mknod,+net_raw,+setgid,+setuid,+setfcap,+setpcap,+net_bind_service,+sys_chroot,+kill,+audit_write

# Runs a command in the image under the profile of `docker build` (build) or of `docker run
# --network none` (run): new mount, PID, IPC and UTS namespaces (and network for run), /proc,
# /dev and a read-only /sys, Docker's capabilities and seccomp rules, a clean environment.
sim_exec() {
  local profile=$1; shift
  local net=()
  [ "$profile" = run ] && net=(--net)
  unshare --mount --pid --fork --ipc --uts "${net[@]}" -- bash -euo pipefail -c '
    img=$1 profile=$2 caps=$3 py=$4; shift 4
    mount --make-rprivate /
    mount -t proc proc "$img/proc"
    mount --rbind /dev "$img/dev"
    mount -t sysfs -o ro sysfs "$img/sys" 2>/dev/null || true
    if [ "$profile" = run ]; then ip link set lo up; fi
    exec /usr/bin/python3 "$py" setpriv --bounding-set "$caps" --inh-caps -all -- \
      chroot "$img" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
  ' sim "$img" "$profile" "$caps" "$SIM_DIR/docker-profile.py" "$@"
}

echo "== $PROFILE_NAME image: $(. "$img/etc/os-release"; echo "$PRETTY_NAME"), bubblewrap from apt, toolchain $toolchain"
echo "== the profile refuses user namespaces:"
sim_exec build /usr/bin/python3 -c 'import ctypes,os,sys; r=ctypes.CDLL(None,use_errno=True).unshare(0x10000000); print("   unshare(CLONE_NEWUSER):", "refused:", os.strerror(ctypes.get_errno())) if r else sys.exit("allowed")'
# This workplace reaches crates.io through a TLS-inspecting proxy: its certificate authorities
# (if any) are trusted in the image too, as a Gradescope image trusts the public ones.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$img/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$img/usr/local/share/ca-certificates/"
  sim_exec build update-ca-certificates >/dev/null 2>&1
fi
if [ -n "$reuse" ]; then
  echo "== setup.sh: reusing the image set up by an earlier run (SIM_REUSE)"
else
echo "== setup.sh (as root, network on)"
start=$SECONDS
sim_exec build bash /autograder/source/setup.sh > "$SIM_DIR/setup.log" 2>&1 || {
  tail -40 "$SIM_DIR/setup.log"; echo "setup.sh FAILED (log: $SIM_DIR/setup.log)" >&2; exit 1; }
grep -E "^setup:|learners graded|100.00%|bubblewrap|uid" "$SIM_DIR/setup.log" | sed 's/^/   /' | tail -6
echo "   setup took $((SECONDS - start)) s; bubblewrap $(chroot "$img" bwrap --version 2>/dev/null | cut -d' ' -f2)"
fi

# Submissions, as Gradescope unpacks them into /autograder/submission.
subs=$SIM_DIR/subs
rm -rf "$subs"; mkdir -p "$subs"
course=$src/course
solved() { # a solved workspace at $1
  mkdir -p "$1"; cp -r "$course/exercises" "$1/"; cp -r "$course/solutions/." "$1/exercises/"
  cp "$course/info.toml" "$1/"
}
solved "$subs/solved"
mkdir -p "$subs/untouched/backend-course"; cp -r "$course/exercises" "$subs/untouched/backend-course/"
solved "$subs/cfg_not_test"
find "$subs/cfg_not_test/exercises" -name '*.rs' -exec sed -i '1i #![cfg(not(test))]' {} +
mkdir -p "$subs/exit_cheat"; cp -r "$course/exercises" "$subs/exit_cheat/"
find "$subs/exit_cheat/exercises" -name '*.rs' -exec sh -c 'for f; do
  printf "\n#[allow(dead_code)]\nfn cheat() {\n    println!(\"test result: ok. 99 passed; 0 failed\");\n    std::process::exit(0);\n}\n" >> "$f"; done' sh {} +
solved "$subs/forger"
cat > "$subs/forger/exercises/00_intro/intro1_welcome.rs" <<'RS'
// Forges: writes the results, the course, its build folder and the submission, and leaves a
// process that keeps rewriting the results after grading. `main` and the check are the
// course's (grading puts them back): the attack lives in `startup_line`, which `main` calls.
fn main() {
    let line = startup_line();
    println!("{line}");
    check_startup_line(&line);
}

fn startup_line() -> String {
    let service = "orders-api";
    let forged = "{\"score\": 999, \"output\": \"FORGED\", \"tests\": []}";
    let mut log = String::new();
    for path in [
        "/autograder/results/results.json",
        "/autograder/course/info.toml",
        "/autograder/course/target/backendlings/grade-build/FORGED",
        "/autograder/submission/FORGED",
        "/tmp/FORGED",
    ] {
        let outcome = std::fs::write(path, forged).map_err(|e| e.to_string());
        log.push_str(&format!("FORGE {path}: {outcome:?}\n"));
    }
    let lingering = std::process::Command::new("/bin/sh")
        .args(["-c", "(setsid sh -c 'for i in $(seq 120); do echo FORGED > /autograder/results/results.json; sleep 1; done' >/dev/null 2>&1 &) ; echo started"])
        .output();
    log.push_str(&format!("FORGE lingering rewriter started: {:?}\n", lingering.map(|o| o.status.success())));
    // A passing exercise shows no output in results.json: the log goes where every user may write.
    let _ = std::fs::write("/tmp/forger.log", log);
    format!("Starting {service} on 127.0.0.1:8080")
}

fn check_startup_line(line: &str) {
    let name = line
        .strip_prefix("Starting ")
        .and_then(|rest| rest.strip_suffix(" on 127.0.0.1:8080"));
    assert!(
        name.is_some_and(|name| !name.trim().is_empty()),
        "the log line must read `Starting <name> on 127.0.0.1:8080` with the service's name, \
         got {line:?}"
    );
}
RS
# A zip made by macOS Finder, unpacked as Gradescope unpacks it.
(cd "$subs/solved/.." && mkdir -p mac/backend-course && cp -r solved/. mac/backend-course/ &&
  cd mac && mkdir -p __MACOSX/backend-course/exercises && touch .DS_Store backend-course/.DS_Store &&
  printf '\0\5\26\7' > __MACOSX/backend-course/._info.toml &&
  cp -r backend-course/exercises/00_intro __MACOSX/backend-course/exercises/ &&
  zip -qr ../macos.zip backend-course __MACOSX .DS_Store)
rm -rf "$subs/mac"; mkdir -p "$subs/macos_zip"
/usr/bin/python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
  "$subs/macos.zip" "$subs/macos_zip"

if [ "${SIM_TARGET:-gradescope}" = ci ]; then
  # A CI container job (GitHub Actions' `container:` conventions: root, the checkout in
  # /__w/<repo>/<repo>, HOME=/github/home, Docker's default profile, no user namespaces): the
  # whole cohort graded by one `grade --cohort`, with no network.
  mkdir -p "$img/__w/backendlings" "$img/github/home" "$img/cohort"
  for sub in solved untouched cfg_not_test exit_cheat forger macos_zip; do cp -r "$subs/$sub" "$img/cohort/$sub"; done
  # Under separate users a cohort must be private to the grader (`grade` refuses otherwise):
  # learner code runs as users of its own on this machine.
  chmod 700 "$img/cohort"
  sim_exec run bash -c 'cd /autograder/course && HOME=/github/home GITHUB_ACTIONS=true \
    RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo PATH=/usr/local/cargo/bin:$PATH \
    backendlings grade --cohort /cohort --require-sandbox=uid --json /__w/report.json' \
    > "$SIM_DIR/ci.log" 2>&1 || { tail -20 "$SIM_DIR/ci.log"; exit 1; }
  /usr/bin/python3 - "$img/__w/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
want = {"solved": 1, "macos_zip": 1, "forger": 1}
bad = 0
print(f"isolation {r['isolation']}")
for l in r["learners"]:
    full = l["score"] == l["max_score"]
    ok = (l["score"] == 0, full)[want.get(l["name"], 0)]
    bad += not ok
    print(f"{l['name']:<14} {l['score']:>4}/{l['max_score']:<4} {'' if ok else 'UNEXPECTED'}")
sys.exit(1 if bad or r["isolation"] != "uid" else 0)
PY
  exit $?
fi

# 3. run_autograder per submission, no network.
failed=0
printf '%-14s %9s  %-10s %s\n' submission score isolation note
for sub in ${SIM_ONLY:-solved untouched cfg_not_test exit_cheat forger macos_zip}; do
  rm -f "$img/tmp/forger.log"
  rm -rf "$img/autograder/submission" "$img/autograder/results"
  mkdir -p "$img/autograder/results"
  cp -r "$subs/$sub" "$img/autograder/submission"
  sim_exec run bash /autograder/source/run_autograder > "$SIM_DIR/$sub.log" 2>&1 || true
  results=$img/autograder/results/results.json
  # Anything left running would show here, after grading.
  sleep 3
  line=$(/usr/bin/python3 - "$results" "$sub" "$img" <<'PY'
import json, os, sys
path, sub, img = sys.argv[1:4]
try:
    r = json.load(open(path))
except Exception as e:
    print(f"0 0 ? results.json unreadable: {e}"); sys.exit()
score = r.get("score", 0)
max_score = sum(t.get("max_score", 0) for t in r.get("tests", []))
iso = "?"
out = r.get("output", "")
for t in r.get("tests", []):
    out += t.get("output", "")
note = ""
if sub == "forger":
    try:
        forges = open(os.path.join(img, "tmp/forger.log")).read().splitlines()
    except OSError:
        forges = []
    refused = sum("denied" in l for l in forges)
    note = f"attack ran ({len(forges)} FORGE lines, {refused} writes refused)"
    for l in forges:
        print("   " + l, file=sys.stderr)
    if os.path.exists(os.path.join(img, "autograder/course/target/backendlings/grade-build/FORGED")):
        note += " COURSE BUILD FOLDER FORGED"
if "could not be graded" in r.get("output", ""):
    note += r["output"][:120]
print(f"{score:g}", f"{max_score:g}", note)
PY
)
  read -r score max_s note <<<"$line"
  iso=$(sed -n 's/^backendlings: isolation //p' "$SIM_DIR/$sub.log" | head -1)
  printf '%-14s %4s/%-4s  %-10s %s\n' "$sub" "$score" "$max_s" "$iso" "$note"
  case $sub in
    solved|macos_zip|forger) want=$max_s ;;
    *) want=0 ;;
  esac
  if [ "$score" != "$want" ] || [ "$iso" != uid ]; then
    echo "   UNEXPECTED: wanted $want with isolation uid (log: $SIM_DIR/$sub.log)"; failed=1
  fi
  if [ "$sub" = forger ] && ! grep -q "FORGE lingering" "$img/tmp/forger.log"; then
    echo "   UNEXPECTED: the forger's attack did not run"; failed=1
  fi
done
[ "$failed" -eq 0 ] && echo "== every submission scored what it earned, under isolation uid"
exit "$failed"
