#!/usr/bin/env python3
"""Checks the CI templates in docs/ci/ on this machine, as far as one machine can.

1. Every template parses as YAML and has the shape its CI expects (jobs, stages, needs,
   matrix, artifacts and caches inside the project).
2. Their shell steps run, for real, in temporary folders standing in for the runners: a tiny
   course (made by `backendlings dev new`) in a local git repository, learners as local git
   repositories, a cohort.txt naming them (plus one that cannot be cloned). GitLab jobs run in
   stage order (a `parallel: N` job N times with CI_NODE_INDEX/CI_NODE_TOTAL); GitHub jobs run
   in `needs` order with the matrix expanded and the few actions the templates use emulated
   (checkout, cache, upload/download-artifact; toolchain setup is a no-op). Artifacts move
   between jobs, caches between pipelines: every pipeline runs twice, and the second run must
   restore the caches and succeed (the old GitLab template failed exactly there).
3. The reports come out right: the merged report holds every learner in one run's order, and
   nothing the CI job creates (course, caches) is inside a learner tree being graded.

`cargo build --release` of backendlings itself is replaced by a copy of an already built
binary (a `cargo` shim on PATH); every other cargo command, including the builds that grading
runs, is the real one. Needs git, tar, python3 with PyYAML.

Usage: python3 docs/ci/check-templates.py [--bin target/debug/backendlings] [--keep]
"""

import argparse
import fnmatch
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.dom.minidom

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LEARNERS = {"alice": True, "bob": False}  # name -> solved


def fail(message):
    sys.exit(f"FAIL: {message}")


def run(cmd, cwd=None, env=None, quiet=True):
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=quiet, text=True)
    if result.returncode != 0:
        output = (result.stdout or "") + (result.stderr or "")
        fail(f"{cmd if isinstance(cmd, str) else ' '.join(cmd)} exited {result.returncode}\n{output}")
    return result


def git(*args, cwd=None):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    return run(["git", *args], cwd=cwd, env=env)


def copy_tree(src, dst):
    if os.path.isdir(src):
        shutil.copytree(src, dst, symlinks=True, dirs_exist_ok=True)
    elif os.path.exists(src):
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst)


# ---------------------------------------------------------------- the world the runners see


class World:
    def __init__(self, work, binary):
        self.work = work
        self.binary = binary
        self.course_git = os.path.join(work, "course.git")
        self.learner_git = {}
        self.grading_git = os.path.join(work, "grading.git")
        self.shim = os.path.join(work, "shim")
        self.make_course()
        self.make_learners()
        self.make_grading_repo()
        self.make_cargo_shim()

    def make_course(self):
        src = os.path.join(self.work, "course-src")
        run([self.binary, "dev", "new", src])
        git("init", "--quiet", "--initial-branch=main", cwd=src)
        git("add", "-A", cwd=src)
        git("commit", "--quiet", "-m", "course", cwd=src)
        git("clone", "--quiet", "--bare", src, self.course_git)

    def make_learners(self):
        for name, solved in LEARNERS.items():
            src = os.path.join(self.work, f"{name}-src")
            git("clone", "--quiet", self.course_git, src)
            if solved:
                shutil.copy(os.path.join(src, "solutions/00_intro/intro1.rs"),
                            os.path.join(src, "exercises/00_intro/intro1.rs"))
            with open(os.path.join(src, "NOTES.md"), "w") as f:
                f.write(f"{name}'s notes\n")
            git("add", "-A", cwd=src)
            git("commit", "--quiet", "-m", "work", cwd=src)
            bare = os.path.join(self.work, f"{name}.git")
            git("clone", "--quiet", "--bare", src, bare)
            self.learner_git[name] = bare

    def make_grading_repo(self):
        src = os.path.join(self.work, "grading-src")
        os.makedirs(src)
        with open(os.path.join(src, "cohort.txt"), "w") as f:
            f.write("# name url\n\n")
            for name, url in self.learner_git.items():
                f.write(f"{name} file://{url}\n")
            f.write(f"carol file://{self.work}/nowhere.git\n")
        git("init", "--quiet", "--initial-branch=main", cwd=src)
        git("add", "-A", cwd=src)
        git("commit", "--quiet", "-m", "cohort", cwd=src)
        git("clone", "--quiet", "--bare", src, self.grading_git)

    def make_cargo_shim(self):
        """`cargo build --release` of backendlings: copy the binary built already; anything
        else: the real cargo."""
        os.makedirs(self.shim)
        real = shutil.which("cargo")
        script = f"""#!/usr/bin/env bash
if [ "$1" = build ] && [[ " $* " == *" --release "* ]]; then
  manifest=Cargo.toml
  prev=
  for arg in "$@"; do
    [ "$prev" = --manifest-path ] && manifest=$arg
    prev=$arg
  done
  target=${{CARGO_TARGET_DIR:-$(dirname "$manifest")/target}}
  mkdir -p "$target/release"
  cp {self.binary} "$target/release/backendlings"
  echo "cargo shim: copied backendlings to $target/release" >&2
  exit 0
fi
exec {real} "$@"
"""
        path = os.path.join(self.shim, "cargo")
        with open(path, "w") as f:
            f.write(script)
        os.chmod(path, 0o755)

    def env(self, extra):
        env = dict(os.environ)
        env["PATH"] = self.shim + os.pathsep + env["PATH"]
        env.pop("CARGO_TARGET_DIR", None)
        env.update(extra)
        return env


def check_report(path, names, graded):
    """The merged or single report: these learners, in this order, `graded` of them graded."""
    with open(path) as f:
        report = json.load(f)
    got = [l["name"] for l in report["learners"]]
    if got != names:
        fail(f"{path}: learners {got}, expected {names}")
    statuses = {l["name"]: l["status"] for l in report["learners"]}
    for name in names:
        want = "graded" if name in graded else "error"
        if statuses[name] != want:
            fail(f"{path}: {name} is {statuses[name]}, expected {want}")
    for l in report["learners"]:
        if l["status"] == "graded":
            expected = 1 if LEARNERS.get(l["name"]) else 0
            if l["score"] != expected:
                fail(f"{path}: {l['name']} scored {l['score']}, expected {expected}")
    if "partition" in report:
        fail(f"{path}: a merged report must not carry `partition`")
    return report


# ---------------------------------------------------------------- GitLab


def expand(value, env):
    return re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: env.get(m.group(1), m.group(0)), str(value))


def gitlab_check_shape(path, doc):
    jobs = {k: v for k, v in doc.items() if isinstance(v, dict) and "script" in v}
    if not jobs:
        fail(f"{path}: no job with a script")
    stages = doc.get("stages", ["build", "test", "deploy"])
    for name, job in jobs.items():
        if job.get("stage", "test") not in stages:
            fail(f"{path}: job {name} is in unknown stage {job.get('stage')}")
        for need in job.get("needs", []):
            if need not in jobs:
                fail(f"{path}: job {name} needs unknown job {need}")
        for p in job.get("cache", {}).get("paths", []) + job.get("artifacts", {}).get("paths", []):
            if p.startswith("/") or ".." in p.split("/"):
                fail(f"{path}: job {name}: GitLab caches and artifacts must be inside the project: {p}")
        parallel = job.get("parallel")
        if parallel is not None and not (isinstance(parallel, int) and 2 <= parallel <= 200):
            fail(f"{path}: job {name}: parallel must be a number from 2 to 200")
    return jobs, stages


def gitlab_pipeline(world, path, project_repo, overrides, cache_store, label):
    """Runs every job of a GitLab template once (a parallel job N times); returns the folder
    holding each job's project folder."""
    with open(path) as f:
        doc = yaml.safe_load(f)
    jobs, stages = gitlab_check_shape(path, doc)
    run_dir = os.path.join(world.work, label)
    os.makedirs(run_dir)
    artifacts = {}  # job name -> list of (project folder, relative path)
    projects = []
    for stage in stages:
        for name, job in jobs.items():
            if job.get("stage", "test") != stage:
                continue
            nodes = job.get("parallel") or 1
            for index in range(1, nodes + 1):
                project = os.path.join(run_dir, f"{name}-{index}")
                git("clone", "--quiet", project_repo, project)
                # Artifacts of the jobs this one needs (or of every earlier job).
                for need in job.get("needs", list(artifacts)):
                    for source, rel in artifacts.get(need, []):
                        copy_tree(os.path.join(source, rel), os.path.join(project, rel))
                cache = job.get("cache")
                if cache and cache["key"] in cache_store:
                    for rel in cache["paths"]:
                        copy_tree(os.path.join(cache_store[cache["key"]], rel), os.path.join(project, rel))
                env = {"CI_PROJECT_DIR": project, "CI": "true"}
                if job.get("parallel"):
                    env.update(CI_NODE_INDEX=str(index), CI_NODE_TOTAL=str(nodes))
                variables = dict(doc.get("variables", {}))
                variables.update(job.get("variables", {}))
                variables.update(overrides)
                for key, value in variables.items():
                    env[key] = expand(value, {**os.environ, **env})
                script = "set -eo pipefail\n" + "\n".join(job["script"]) + "\n"
                print(f"  {label}: job {name}" + (f" {index}/{nodes}" if job.get("parallel") else ""))
                run(["bash", "-c", script], cwd=project, env=world.env(env))
                if cache:
                    store = cache_store.setdefault(cache["key"], os.path.join(world.work, "cache-" + cache["key"]))
                    for rel in cache["paths"]:
                        dst = os.path.join(store, rel)
                        shutil.rmtree(dst, ignore_errors=True)
                        copy_tree(os.path.join(project, rel), dst)
                artifacts.setdefault(name, []).extend(
                    (project, rel) for rel in job.get("artifacts", {}).get("paths", []))
                projects.append(project)
    return projects


def check_gitlab(world, keep_dirs):
    print("GitLab, one learner (gitlab-ci.yml): two pipelines, the second with the cache")
    cache = {}
    learner_dir = os.path.join(world.work, "gl-learner")
    overrides = {"COURSE_REPO_URL": "file://" + world.course_git,
                 "COURSE_DIR": os.path.join(world.work, "gl-course"),
                 "LEARNER_DIR": learner_dir}
    for run_index in (1, 2):
        projects = gitlab_pipeline(world, os.path.join(HERE, "gitlab-ci.yml"), world.learner_git["alice"],
                                   overrides, cache, f"gl-learner-run{run_index}")
        project = projects[-1]
        report = json.load(open(os.path.join(project, "grade.json")))
        if report["learners"][0]["score"] != 1:
            fail("gitlab-ci.yml: alice should score 1")
        for leaked in (".backendlings-cache", "course", ".cargo", "target"):
            if os.path.exists(os.path.join(learner_dir, leaked)):
                fail(f"gitlab-ci.yml: {leaked} is inside the graded learner tree")
        if not os.path.exists(os.path.join(learner_dir, "NOTES.md")):
            fail("gitlab-ci.yml: the graded tree is not the learner's")
    build = os.path.join(cache["backendlings-grade"], ".backendlings-cache/target/backendlings/grade-build")
    if not os.listdir(build):
        fail("gitlab-ci.yml: the grade build folder was not cached")

    print("GitLab, a cohort (gitlab-ci-cohort.yml): two pipelines, the second with the caches")
    cache = {}
    overrides = {"COURSE_REPO_URL": "file://" + world.course_git,
                 "COURSE_DIR": os.path.join(world.work, "glc-course"),
                 "COHORT_DIR": os.path.join(world.work, "glc-cohort")}
    for run_index in (1, 2):
        projects = gitlab_pipeline(world, os.path.join(HERE, "gitlab-ci-cohort.yml"), world.grading_git,
                                   overrides, cache, f"gl-cohort-run{run_index}")
        merged = os.path.join(projects[-1], "grade.json")
        check_report(merged, ["alice", "bob", "carol"], graded={"alice", "bob"})
        xml.dom.minidom.parse(os.path.join(projects[-1], "grade.xml"))
        parts = glob.glob(os.path.join(projects[-1], "parts", "*.json"))
        if len(parts) != 4:
            fail(f"gitlab-ci-cohort.yml: merge saw {len(parts)} parts, expected 4")
    if not os.listdir(os.path.join(cache["backendlings-grade"], ".backendlings-cache/grade-build")):
        fail("gitlab-ci-cohort.yml: the grade build folder was not cached")


# ---------------------------------------------------------------- GitHub Actions


class GitHub:
    """Just enough of GitHub Actions to run our templates' jobs on this machine."""

    def __init__(self, world, path, label, repo, cache_store):
        with open(path) as f:
            self.doc = yaml.safe_load(f)
        self.world = world
        self.path = path
        self.label = label
        self.repo = repo  # the repository the workflow lives in
        self.cache_store = cache_store
        self.artifacts = os.path.join(world.work, label + "-artifacts")
        os.makedirs(self.artifacts)
        self.check_shape()

    def check_shape(self):
        # PyYAML reads the key `on` as True.
        if not (self.doc.get("on") or self.doc.get(True)):
            fail(f"{self.path}: no `on` trigger")
        jobs = self.doc.get("jobs") or fail(f"{self.path}: no jobs")
        for name, job in jobs.items():
            if "runs-on" not in job or not job.get("steps"):
                fail(f"{self.path}: job {name} needs runs-on and steps")
            needs = job.get("needs", [])
            for need in [needs] if isinstance(needs, str) else needs:
                if need not in jobs:
                    fail(f"{self.path}: job {name} needs unknown job {need}")
            for step in job["steps"]:
                if ("run" in step) == ("uses" in step):
                    fail(f"{self.path}: job {name}: a step has exactly one of run and uses: {step}")

    def order(self):
        jobs, done, order = self.doc["jobs"], set(), []
        while len(order) < len(jobs):
            for name, job in jobs.items():
                needs = job.get("needs", [])
                needs = [needs] if isinstance(needs, str) else needs
                if name not in done and all(n in done for n in needs):
                    done.add(name)
                    order.append(name)
        return order

    def expr(self, text, ctx):
        def one(match):
            e = match.group(1).strip()
            if e.startswith("hashFiles("):
                pattern = re.search(r"'([^']*)'", e).group(1)
                h = hashlib.sha256()
                for p in sorted(glob.glob(os.path.join(ctx["workspace"], pattern))):
                    h.update(open(p, "rb").read())
                return h.hexdigest()
            if e == "!cancelled()":
                return "true"
            scope, _, key = e.partition(".")
            value = {"env": ctx["env"], "matrix": ctx["matrix"], "inputs": {"deadline": ""},
                     "strategy": {"job-total": str(ctx["total"])}, "runner": {"os": "Linux"},
                     "github": {"workspace": ctx["workspace"]}}.get(scope, {}).get(key)
            if value is None:
                fail(f"{self.path}: cannot evaluate ${{{{ {e} }}}}")
            return str(value)
        return re.sub(r"\$\{\{(.*?)\}\}", one, str(text))

    def run_all(self):
        results = {}
        for name in self.order():
            job = self.doc["jobs"][name]
            matrix = job.get("strategy", {}).get("matrix", {})
            combos = [{}]
            for key, values in matrix.items():
                combos = [{**c, key: v} for c in combos for v in values]
            for combo in combos:
                results[(name, json.dumps(combo))] = self.run_job(name, job, combo, len(combos))
        return results

    def run_job(self, name, job, matrix, total):
        workspace = os.path.join(self.world.work, f"{self.label}-{name}-{'-'.join(map(str, matrix.values())) or 0}")
        os.makedirs(workspace)
        print(f"  {self.label}: job {name} {matrix or ''}")
        env = {}
        ctx = {"env": env, "matrix": matrix, "total": total, "workspace": workspace}
        for key, value in self.doc.get("env", {}).items():
            env[key] = self.expr(value, ctx)
        for key, value in job.get("env", {}).items():
            env[key] = self.expr(value, ctx)
        saves = []
        for step in job["steps"]:
            if "uses" in step:
                self.action(step, ctx, saves)
                continue
            step_env = dict(env)
            for key, value in step.get("env", {}).items():
                step_env[key] = self.expr(value, ctx)
            github_env = os.path.join(workspace, ".github_env")
            open(github_env, "w").close()
            step_env.update(GITHUB_ENV=github_env, GITHUB_WORKSPACE=workspace, CI="true")
            cwd = os.path.join(workspace, step.get("working-directory", "."))
            script = "set -eo pipefail\n" + self.expr(step["run"], ctx)
            run(["bash", "--noprofile", "--norc", "-c", script], cwd=cwd, env=self.world.env(step_env))
            for line in open(github_env):
                if "=" in line:
                    key, value = line.rstrip("\n").split("=", 1)
                    env[key] = value
        for key, paths in saves:  # actions/cache saves at the end of a successful job
            store = os.path.join(self.cache_store, hashlib.sha256(key.encode()).hexdigest()[:16])
            if os.path.exists(store):
                continue
            for rel in paths:
                copy_tree(os.path.join(workspace, rel), os.path.join(store, rel))
            with open(store + ".key", "w") as f:
                f.write(key)
        return workspace

    def action(self, step, ctx, saves):
        uses, ws = step["uses"].split("@")[0], ctx["workspace"]
        w = {k: self.expr(v, ctx) for k, v in step.get("with", {}).items()}
        if uses == "actions/checkout":
            source = "file://" + self.world.course_git if "repository" in w else self.repo
            target = os.path.join(ws, w.get("path", "."))
            if os.path.exists(target) and os.listdir(target):
                fail(f"{self.path}: checkout into a non-empty folder {target}")
            git("clone", "--quiet", source, target)
            if w.get("ref"):
                git("checkout", "--quiet", w["ref"], cwd=target)
        elif uses in ("dtolnay/rust-toolchain", "Swatinem/rust-cache"):
            pass  # the toolchain is installed here; rust-cache is a cache we do not emulate
        elif uses == "actions/cache":
            paths = [p.strip() for p in w["path"].splitlines() if p.strip()]
            local = [p for p in paths if not p.startswith("~")]  # the runner's home is not ours
            keys = [w["key"]] + [k.strip() for k in w.get("restore-keys", "").splitlines() if k.strip()]
            hit = None
            for key in keys:
                for marker in glob.glob(os.path.join(self.cache_store, "*.key")):
                    if open(marker).read().startswith(key):
                        hit = marker[:-4]
                        break
                if hit:
                    break
            if hit:
                for rel in local:
                    copy_tree(os.path.join(hit, rel), os.path.join(ws, rel))
                print(f"    cache restored: {', '.join(local)}")
            saves.append((w["key"], local))
        elif uses == "actions/upload-artifact":
            target = os.path.join(self.artifacts, w["name"])
            for rel in [p.strip() for p in w["path"].splitlines() if p.strip()]:
                matches = glob.glob(os.path.join(ws, rel.rstrip("/")))
                if not matches:
                    fail(f"{self.path}: upload-artifact {w['name']}: nothing at {rel}")
                for m in matches:
                    copy_tree(m, os.path.join(target, os.path.relpath(m, ws)))
        elif uses == "actions/download-artifact":
            names = [w["name"]] if "name" in w else fnmatch.filter(os.listdir(self.artifacts), w["pattern"])
            if not names:
                fail(f"{self.path}: download-artifact: no artifact {w}")
            for name in names:
                source = os.path.join(self.artifacts, name)
                target = os.path.join(ws, w.get("path", "."))
                if "pattern" in w and w.get("merge-multiple") not in (True, "true", "True"):
                    target = os.path.join(target, name)
                copy_tree(source, target)
                # Artifacts lose the executable bit, as they do on GitHub.
                for base, _, files in os.walk(target):
                    for f in files:
                        os.chmod(os.path.join(base, f), 0o644)
        elif uses == "mikepenz/action-junit-report":
            xml.dom.minidom.parse(os.path.join(ws, w["report_paths"]))
        else:
            fail(f"{self.path}: the check does not know the action {uses}")


def check_github(world):
    print("GitHub Actions, one learner (github-actions.yml)")
    cache = os.path.join(world.work, "gh-cache-learner")
    os.makedirs(cache)
    gh = GitHub(world, os.path.join(HERE, "github-actions.yml"), "gh-learner", world.learner_git["alice"], cache)
    results = gh.run_all()
    workspace = list(results.values())[-1]
    report = json.load(open(os.path.join(workspace, "grade.json")))
    if report["learners"][0]["score"] != 1:
        fail("github-actions.yml: alice should score 1")

    print("GitHub Actions, a cohort (github-actions-cohort.yml): two runs, the second with the cache")
    cache = os.path.join(world.work, "gh-cache-cohort")
    os.makedirs(cache)
    for run_index in (1, 2):
        gh = GitHub(world, os.path.join(HERE, "github-actions-cohort.yml"), f"gh-cohort-run{run_index}",
                    world.grading_git, cache)
        results = gh.run_all()
        merge = [ws for (job, _), ws in results.items() if job == "merge"][0]
        check_report(os.path.join(merge, "grade.json"), ["alice", "bob", "carol"], graded={"alice", "bob"})
        if len(glob.glob(os.path.join(merge, "parts", "*.json"))) != 4:
            fail("github-actions-cohort.yml: merge did not see 4 parts")
    builds = glob.glob(os.path.join(cache, "*", "course/target/backendlings/grade-build"))
    if not builds or not os.listdir(builds[0]):
        fail("github-actions-cohort.yml: the grade build folder was not cached")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, "target/debug/backendlings"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        fail(f"no backendlings binary at {binary}: run `cargo build` first or pass --bin")

    for path in sorted(glob.glob(os.path.join(HERE, "*.yml"))):
        with open(path) as f:
            yaml.safe_load(f)
        print(f"YAML ok: {os.path.relpath(path, ROOT)}")

    work = tempfile.mkdtemp(prefix="ci-templates-")
    try:
        world = World(work, binary)
        check_gitlab(world, args.keep)
        check_github(world)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("all CI templates passed")


if __name__ == "__main__":
    main()
