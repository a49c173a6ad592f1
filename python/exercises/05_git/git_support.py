"""The course's scratch repositories (read it, do not edit it).

Each test builds a small repository in its own temporary folder: a bare `origin` (what GitHub or
GitLab would hold) and a clone of it, `work`, with a history made for the exercise. Your code gets
a `Repo` on `work` and does what a developer would type, one git command at a time:

    repo.git("fetch", "origin")
    repo.git("switch", "-c", "feature/SHOP-1-x", "origin/main")
    repo.write("shop/cart.py", text)          # what your editor would save
    repo.git("add", "shop/cart.py")
    repo.git("commit", "-F", "-", input=message)   # the message on standard input

`repo.git(...)` runs the real git (no shell: each argument is one argument) in the repository and
returns a `Run` (`code`, `out`, `err`); it raises `GitError` when git fails, unless you pass
`check=False` (a merge that stops on a conflict exits with 1: look at `run.code`). git never waits
for you: there is no terminal, no pager, and the editor is this module's stand-in, which puts
the text you passed in place of what a person would type:

- `todo=` is the rebase todo list `git rebase -i` opens in your editor (`GIT_SEQUENCE_EDITOR`);
- `messages=[...]` are the commit messages, in the order git asks for them (`GIT_EDITOR`: one per
  `reword`, one per group of `squash`es, one for `git commit` without `-m`/`-F`).

What graded code may run is limited to git work inside this repository: the subcommands in
`SUBCOMMANDS`, no option before the subcommand (`-c`, `-C`, `--git-dir`, `--exec-path`), no
`config`, no options that run programs or read and write files elsewhere (`--exec`, `-x`,
`--upload-pack`, `--receive-pack`, `--output`, `--template`, `-F FILE`, `-s STRATEGY`, signing),
no remote but the repository's own (`origin`: no URLs, no paths), no `exec` line in a rebase todo.
Options that take a value are written `--name=value` where it matters (the remote's position is
checked). Everything else is real git: read its messages.

Docs: https://git-scm.com/docs (each command), https://git-scm.com/book/en/v2 (Pro Git).
"""

# Every module is imported under a private name: graded code may import what a support module
# holds, and none of these is for it.
import os as _os
import re
import shutil as _shutil
import subprocess as _subprocess
import sys as _sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path as _Path
from types import MappingProxyType as _Frozen

# /usr/bin/git, or the same program in git's own folder (what the grader's sandbox mounts).
GIT_CANDIDATES = ("/usr/bin/git", "/usr/lib/git-core/git", "/usr/libexec/git-core/git")
TIMEOUT = 20.0
MAX_CALLS = 300
MAX_TEXT = 256 * 1024
# 2026-01-05 09:00:00 UTC: every command's commits are dated from here, a minute apart.
EPOCH = 1767603600

USER_NAME = "Ada Lovelace"
USER_EMAIL = "ada@shop.example"

SUBCOMMANDS = frozenset({
    "add", "branch", "cat-file", "checkout", "cherry-pick", "commit", "diff", "diff-tree",
    "fetch", "for-each-ref", "interpret-trailers", "log", "ls-files", "merge", "merge-base",
    "mv", "pull", "push", "rebase", "reflog", "remote", "reset", "restore", "rev-list",
    "rev-parse", "revert", "rm", "shortlog", "show", "show-ref", "stash", "status", "switch",
    "tag",
})
# Long options refused wherever they appear, also abbreviated (git accepts `--upload-p`).
REFUSED_LONG = (
    "--exec", "--upload-pack", "--receive-pack", "--output", "--template", "--git-dir",
    "--work-tree", "--namespace", "--separate-git-dir", "--pathspec-from-file",
    "--recurse-submodules", "--config", "--config-env", "--exec-path", "--gpg-sign", "--sign",
    "--local-user", "--strategy", "--repo", "--open-files-in-pager", "--orderfile",
    "--exclude-from", "--exclude-per-directory", "--super-prefix", "--ext-diff", "--textconv",
    "--filters", "--reference", "--server-option", "--push-option",
)
# Short options that run programs, sign, choose a merge strategy or name files, per subcommand.
REFUSED_SHORT = _Frozen({
    "commit": "StF", "merge": "SsF", "rebase": "Ssx", "pull": "Ss", "cherry-pick": "S",
    "revert": "S", "tag": "suF", "diff": "O", "log": "O", "show": "O", "diff-tree": "O",
    "ls-files": "X",
})
# Complete option names that start like a refused one (abbreviations are refused, not these).
LEGIT_LONG = frozenset({"--exclude", "--text", "--exclude-standard", "--signoff", "--stat"})
# `-F -` / `--file=-`: a message read from standard input, never from a file.
FILE_OPTIONS = frozenset({"commit", "merge", "tag"})
REMOTE_COMMANDS = frozenset({"fetch", "pull", "push"})
TODO_COMMANDS = frozenset({
    "pick", "p", "reword", "r", "edit", "e", "squash", "s", "fixup", "f", "drop", "d",
    "break", "b", "noop",
})
URLISH = re.compile(r"://|::|^[^/:]*@[^/:]*:")


class GitError(Exception):
    """git failed (or the command was refused): `code`, `out`, `err` say how."""

    def __init__(self, message: str, code: int = -1, out: str = "", err: str = ""):
        super().__init__(message)
        self.code = code
        self.out = out
        self.err = err


class Refused(GitError):
    """A command or a file this course does not let graded code use."""


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def git_program() -> str:
    for candidate in GIT_CANDIDATES:
        if _os.access(candidate, _os.X_OK):
            return candidate
    found = _shutil.which("git")  # Homebrew's, on a learner's Mac
    if found:
        return found
    raise RuntimeError("git is not installed here: install it (apt install git), then retry")


def refused_long(arg: str) -> str | None:
    name = arg.split("=", 1)[0]
    if len(name) < 4 or name in LEGIT_LONG:
        return None
    for option in REFUSED_LONG:
        if option.startswith(name) or name.startswith(option + "="):
            return option
    return None


def check_path_like(arg: str, remote: bool) -> None:
    """Refuses a path outside the repository (and, for fetch/pull/push, a URL)."""
    value = arg.split("=", 1)[1] if arg.startswith("--") and "=" in arg else arg
    if value.startswith(("/", "~")) or value == ".." or "../" in value or "/.." in value:
        raise Refused(f"`{arg}`: paths outside the repository are not for this course")
    if remote and URLISH.search(value):
        raise Refused(f"`{arg}`: URLs are not for this course; the only remote is origin")


# Options whose value is text, never a path: a message may well start with "/" or hold a URL.
TEXT_OPTIONS = frozenset({"-m", "--message", "--author", "--trailer", "--grep", "--format",
                          "--pretty", "--date"})


def check_command(args: Sequence[str], remotes: Iterable[str]) -> None:
    """Raises `Refused` unless `args` is git work inside the scratch repository."""
    if not args:
        raise Refused("git needs a subcommand")
    for arg in args:
        if not isinstance(arg, str):
            raise Refused(f"every argument is a str, not {type(arg).__name__}")
        if "\x00" in arg:
            raise Refused(f"`{arg!r}`: an argument with a NUL")
    command, rest = args[0], list(args[1:])
    if command not in SUBCOMMANDS:
        raise Refused(
            f"`git {command}` is not for this course (options before the subcommand, config, "
            f"aliases and commands that reach outside the repository are refused); allowed: "
            + ", ".join(sorted(SUBCOMMANDS))
        )
    if command == "remote" and any(a not in ("-v", "--verbose") for a in rest):
        raise Refused("`git remote` may only list the remotes (`git remote -v`)")
    short = REFUSED_SHORT.get(command, "")
    positional = []
    after_dashes = False
    previous = ""
    remote = command in REMOTE_COMMANDS
    for arg in rest:
        if after_dashes:
            check_path_like(arg, remote)
            continue
        if previous in TEXT_OPTIONS or (
            arg.startswith("--") and arg.split("=", 1)[0] in TEXT_OPTIONS and "=" in arg
        ):
            # A message, an author, a format: text git never opens or contacts.
            previous = ""
            continue
        if arg == "--":
            after_dashes = True
            continue
        if arg.startswith("--"):
            found = refused_long(arg)
            if found:
                raise Refused(f"`{arg}` ({found}) is not for this course")
            name = arg.split("=", 1)[0]
            if command in FILE_OPTIONS and len(name) >= 5 and "--file".startswith(name):
                if "=" in arg and arg.split("=", 1)[1] != "-":
                    raise Refused("a message is read from standard input: `-F -` with input=")
                if "=" not in arg:
                    arg = "--file"
        elif arg.startswith("-") and arg != "-":
            cluster = arg[1:]
            if "/" in cluster:
                raise Refused(f"`{arg}`: write the option and its value as two arguments")
            if command in FILE_OPTIONS and cluster.startswith("F"):
                if cluster not in ("F", "F-"):
                    raise Refused("a message is read from standard input: `-F -` with input=")
            elif any(letter in short for letter in cluster):
                raise Refused(
                    f"`{arg}` is not for this course (it runs a program, signs, or reads a "
                    "file); a value joined to a short option is written as two arguments"
                )
        else:
            if previous in ("-F", "--file") and command in FILE_OPTIONS and arg != "-":
                raise Refused("a message is read from standard input: `-F -` with input=")
            positional.append(arg)
        check_path_like(arg, remote)
        previous = arg
    if command in REMOTE_COMMANDS and positional and positional[0] not in set(remotes):
        raise Refused(
            f"`git {command} {positional[0]}`: the first argument must be the remote's name "
            f"({', '.join(sorted(remotes))}); write option values as `--name=value`"
        )


def check_todo(todo: str) -> None:
    """A rebase todo list: pick/reword/edit/squash/fixup/drop/break lines, comments, blanks."""
    for number, line in enumerate(todo.splitlines(), 1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0] not in TODO_COMMANDS:
            raise Refused(
                f"rebase todo line {number}: `{words[0]}` is not for this course "
                "(pick, reword, edit, squash, fixup, drop, break)"
            )


def check_text(name: str, text: object) -> str:
    if not isinstance(text, str):
        raise Refused(f"{name} is a str, not {type(text).__name__}")
    if len(text) > MAX_TEXT:
        raise Refused(f"{name} is longer than {MAX_TEXT} characters")
    return text


EDITOR = """#!{python} -IS
import os, sys
queue = {queue!r}
names = sorted(os.listdir(queue))
if not names:
    sys.stderr.write("backendlings: git asked for {what} and none was left: pass {arg}\\n")
    sys.exit(1)
src = os.path.join(queue, names[0])
with open(src, "rb") as f:
    data = f.read()
os.unlink(src)
with open(sys.argv[1], "wb") as f:
    f.write(data)
"""


class _Lab:
    """The test's side (trusted): builds the scratch repositories and inspects them with
    unrestricted git. Graded code only ever gets `lab.repo`."""

    def __init__(self, root: _Path):
        self.root = _Path(root)
        self.home = self.root / "home"
        self.hooks = self.root / "no-hooks"
        self.queues = self.root / "editor"
        for folder in (self.home, self.hooks, self.queues / "todo", self.queues / "msg"):
            folder.mkdir(parents=True, exist_ok=True)
        self.origin = self.root / "origin.git"
        self.work = self.root / "work"
        self.program = git_program()
        self.ticks = 0
        self.calls = 0
        self.ids: dict[str, str] = {}
        self.imported = 0
        # Test-side events: {subcommand: callable} run once, right after graded code's next
        # successful `git SUBCOMMAND` (a teammate pushing while you work).
        self.after: dict[str, object] = {}
        if not re.fullmatch(r"[\w/.+-]+", str(self.root)) or not re.fullmatch(
            r"[\w/.+-]+", _sys.executable
        ):
            raise RuntimeError(f"{self.root}: git runs its editor by path, which needs no spaces")
        (self.home / "gitconfig").write_text(
            "[user]\n"
            f"\tname = {USER_NAME}\n\temail = {USER_EMAIL}\n"
            "[init]\n\tdefaultBranch = main\n"
            f"[core]\n\thooksPath = {self.hooks}\n\tfsmonitor = false\n\tpager = cat\n"
            "\tautocrlf = false\n"
            "[protocol]\n\tallow = never\n[protocol \"ext\"]\n\tallow = always\n"
            "[commit]\n\tgpgSign = false\n[tag]\n\tgpgSign = false\n"
            "[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n[color]\n\tui = never\n"
            "[advice]\n\tdetachedHead = false\n\tskippedCherryPicks = false\n"
            "[merge]\n\tconflictStyle = merge\n[pull]\n\trebase = false\n"
            "[rerere]\n\tenabled = false\n[push]\n\tdefault = simple\n"
            "[rebase]\n\tautoSquash = false\n\tupdateRefs = false\n"
        )
        self.editors = {}
        for what, arg in (("todo", "todo="), ("msg", "messages=[...]")):
            script = self.root / f"{what}-editor"
            script.write_text(
                EDITOR.format(
                    python=_sys.executable,
                    queue=str(self.queues / what),
                    what="a rebase todo" if what == "todo" else "a commit message",
                    arg=arg,
                )
            )
            script.chmod(0o755)
            self.editors[what] = str(script)
        self.repo = Repo()
        _LABS[self.repo] = self

    # Environment ------------------------------------------------------------------------

    def env(self, git_dir: _Path | None, work_tree: _Path | None) -> dict[str, str]:
        self.ticks += 1
        stamp = f"@{EPOCH + 60 * self.ticks} +0000"
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(self.home),
            "LC_ALL": "C",
            "TZ": "UTC",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": str(self.home / "gitconfig"),
            "GIT_ATTR_NOSYSTEM": "1",
            "GIT_CEILING_DIRECTORIES": str(self.root.parent),
            "GIT_TERMINAL_PROMPT": "0",
            # origin is reached through `ext::` (see `origin_url`), and only origin: graded code
            # can name no URL, and cannot change the remote's.
            "GIT_ALLOW_PROTOCOL": "ext",
            "GIT_PAGER": "cat",
            "PAGER": "cat",
            "GIT_EDITOR": self.editors["msg"],
            "GIT_SEQUENCE_EDITOR": self.editors["todo"],
            "GIT_COMMITTER_NAME": USER_NAME,
            "GIT_COMMITTER_EMAIL": USER_EMAIL,
            "GIT_COMMITTER_DATE": stamp,
            "GIT_AUTHOR_DATE": stamp,
            "GIT_NO_REPLACE_OBJECTS": "1",
            "GIT_OPTIONAL_LOCKS": "0",
        }
        if git_dir is not None:
            env["GIT_DIR"] = str(git_dir)
        if work_tree is not None:
            env["GIT_WORK_TREE"] = str(work_tree)
        return env

    def run(self, args, *, git_dir=None, work_tree=None, cwd=None, input=None, check=True,
            env=None) -> Run:
        self.calls += 1
        if self.calls > MAX_CALLS:
            raise GitError(f"more than {MAX_CALLS} git commands in one test")
        full_env = self.env(git_dir, work_tree)
        full_env.update(env or {})
        try:
            done = _subprocess.run(
                [self.program, *args],
                cwd=str(cwd or work_tree or git_dir or self.root),
                env=full_env,
                input=(input or "").encode(),
                capture_output=True,
                timeout=TIMEOUT,
            )
        except _subprocess.TimeoutExpired as err:
            raise GitError(f"git {' '.join(args)} took longer than {TIMEOUT} s") from err
        run = Run(
            done.returncode,
            done.stdout.decode("utf-8", "replace"),
            done.stderr.decode("utf-8", "replace"),
        )
        if check and run.code != 0:
            raise GitError(
                f"git {' '.join(args)} exited with {run.code}:\n{run.err}{run.out}",
                run.code, run.out, run.err,
            )
        return run

    def work_git(self, *args, input=None, check=True) -> str:
        """Unrestricted git in `work` (the test's inspections)."""
        return self.run(
            args, git_dir=self.work / ".git", work_tree=self.work, input=input, check=check
        ).out

    def origin_git(self, *args, input=None, check=True) -> str:
        return self.run(args, git_dir=self.origin, input=input, check=check).out

    # Building scenarios -----------------------------------------------------------------

    def init(self) -> None:
        self.run(["init", "-q", "--bare", "--template=", str(self.origin)])

    @property
    def origin_url(self) -> str:
        """origin as git's `ext::` transport: git starts `git upload-pack PATH` (or
        receive-pack) itself, with no shell in between. A plain path would make git run
        `git-upload-pack 'PATH'` through /bin/sh, which the grader's sandbox does not have."""
        return f"ext::{self.program} %s {self.origin}"

    def clone(self) -> None:
        self.run(["clone", "-q", "--template=", self.origin_url, str(self.work)])

    def fast_import(self, git_dir: _Path, commits: Sequence["Commit"]) -> dict[str, str]:
        """Writes `commits` (in order) with `git fast-import`; returns name -> commit id."""
        marks = {}
        chunks = []
        for number, commit in enumerate(commits, 1):
            marks[commit.name] = number
            who = commit.author or f"{USER_NAME} <{USER_EMAIL}>"
            self.imported += 1
            when = f"{EPOCH - 86400 + 600 * self.imported} +0000"
            message = commit.message.encode()
            chunks.append(f"commit {commit.ref}\nmark :{number}\n".encode())
            chunks.append(f"author {who} {when}\ncommitter {who} {when}\n".encode())
            chunks.append(f"data {len(message)}\n".encode() + message + b"\n")
            if commit.parent:
                parent = commit.parent
                ref = f":{marks[parent]}" if parent in marks else self.ids.get(parent, parent)
                chunks.append(f"from {ref}\n".encode())
            for extra in commit.merge:
                chunks.append(f"merge :{marks[extra]}\n".encode())
            for path, text in commit.files.items():
                if text is None:
                    chunks.append(f"D {path}\n".encode())
                else:
                    data = text.encode()
                    chunks.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode())
                    chunks.append(data + b"\n")
        chunks.append(b"done\n")
        export = self.root / "marks"
        self.run(
            ["fast-import", "--quiet", "--done", f"--export-marks={export}"],
            git_dir=git_dir, input=b"".join(chunks).decode(),
        )
        ids = self.ids
        by_number = {number: name for name, number in marks.items()}
        for line in export.read_text().splitlines():
            mark, oid = line.split()
            ids[by_number[int(mark[1:])]] = oid
        return ids

    def write_work_file(self, path: str, text: str) -> None:
        target = self.work / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)

    # Inspecting -------------------------------------------------------------------------

    def rev(self, ref: str, where: str = "work") -> str:
        git = self.work_git if where == "work" else self.origin_git
        return git("rev-parse", "--verify", "--quiet", ref + "^{commit}", check=False).strip()

    def commits(self, range_: str) -> list[str]:
        """Commit ids of `range_` (e.g. `main..feature`), oldest first."""
        return self.work_git("rev-list", "--reverse", "--topo-order", range_).split()

    def message(self, commit: str) -> str:
        return self.work_git("log", "-1", "--format=%B", commit)[:-1]

    def raw_message(self, commit: str) -> str:
        """The message exactly as stored in the commit object."""
        raw = self.work_git("cat-file", "commit", commit)
        return raw.split("\n\n", 1)[1]

    def parents(self, commit: str) -> list[str]:
        return self.work_git("rev-list", "--parents", "-n", "1", commit).split()[1:]

    def changed(self, commit: str) -> list[str]:
        """Paths a (non-merge) commit changes, with `diff-tree`."""
        out = self.work_git("diff-tree", "--no-commit-id", "--name-only", "-r", "--root", commit)
        return sorted(out.split())

    def tree(self, commit: str) -> str:
        return self.work_git("rev-parse", commit + "^{tree}").strip()

    def files(self, commit: str) -> dict[str, str]:
        """{path: text} of every file in a commit (two git commands, whatever the count)."""
        names = [n for n in self.work_git("ls-tree", "-r", "--name-only", commit).split("\n") if n]
        done = _subprocess.run(
            [self.program, "cat-file", "--batch"],
            input="".join(f"{commit}:{name}\n" for name in names).encode(),
            env=self.env(self.work / ".git", self.work), capture_output=True, timeout=TIMEOUT,
            cwd=str(self.work), check=True,
        )
        out = done.stdout
        files = {}
        for name in names:
            header, _, out = out.partition(b"\n")
            size = int(header.split()[2])
            files[name] = out[:size].decode("utf-8", "replace")
            out = out[size + 1:]
        return files

    def field(self, commit: str, fmt: str) -> str:
        return self.work_git("log", "-1", f"--format={fmt}", commit).strip()

    def status(self) -> str:
        return self.work_git("status", "--porcelain=v1", "--untracked-files=all")

    def in_progress(self) -> list[str]:
        """Operations left half-done in `work` (a merge, a rebase, a cherry-pick)."""
        git_dir = self.work / ".git"
        found = [n for n in ("MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD") if (git_dir / n).exists()]
        found += [n for n in ("rebase-merge", "rebase-apply") if (git_dir / n).exists()]
        return found


@dataclass
class Commit:
    """One commit for `Lab.fast_import`: `files` maps path -> text (None deletes it)."""

    name: str
    ref: str
    message: str
    files: Mapping[str, str | None]
    parent: str | None = None
    author: str | None = None
    merge: Sequence[str] = ()


# Each Repo's scratch repository, out of graded code's reach: a Repo holds no state of its own
# (graded code can call a method of its own class on a Repo and read `self._anything`).
_LABS: dict["Repo", _Lab] = {}


def _resolve(lab: _Lab, path: str) -> _Path:
    if not isinstance(path, str) or not path or "\x00" in path or "\\" in path:
        raise Refused(f"{path!r} is not a path inside the repository")
    parts = path.split("/")
    if path.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise Refused(f"{path!r}: a relative path inside the repository (no `..`)")
    if any(p.lower() == ".git" for p in parts):
        raise Refused(f"{path!r}: the .git folder is git's, not yours")
    root = lab.work.resolve()
    target = (root / path).resolve()
    if root not in target.parents:
        raise Refused(f"{path!r} is outside the repository")
    return target


class Repo:
    """What graded code gets: git work in the scratch repository `work`, and its files."""

    def git(
        self,
        *args: str,
        input: str | None = None,
        todo: str | None = None,
        messages: Sequence[str] = (),
        check: bool = True,
    ) -> Run:
        """Runs `git ARGS...` in the repository (see the module's docstring)."""
        lab = _LABS[self]
        check_command(args, ("origin",))
        if input is not None:
            check_text("input", input)
        if isinstance(messages, str):
            raise Refused("messages is a list of messages, not one str")
        messages = [check_text("a message", m) for m in messages]
        if len(messages) > 50:
            raise Refused("at most 50 messages")
        if todo is not None:
            check_todo(check_text("todo", todo))
        for what in ("todo", "msg"):
            for leftover in (lab.queues / what).iterdir():
                leftover.unlink()
        if todo is not None:
            (lab.queues / "todo" / "0000").write_text(todo)
        for number, message in enumerate(messages):
            (lab.queues / "msg" / f"{number:04d}").write_text(message)
        try:
            run = lab.run(
                list(args), git_dir=lab.work / ".git", work_tree=lab.work, input=input,
                check=check,
            )
        finally:
            unused = {w: len(list((lab.queues / w).iterdir())) for w in ("todo", "msg")}
            for what in ("todo", "msg"):
                for leftover in (lab.queues / what).iterdir():
                    leftover.unlink()
        if unused["todo"]:
            raise GitError(f"git {args[0]} never asked for the rebase todo (todo= was unused)")
        if unused["msg"]:
            raise GitError(
                f"git {args[0]} asked for {len(messages) - unused['msg']} commit "
                f"message(s), {len(messages)} were given"
            )
        if run.code == 0:
            event = lab.after.pop(args[0], None)
            if callable(event):
                event()
        return run

    def write(self, path: str, text: str) -> None:
        """Saves `text` as the file `path` (relative to the repository's top folder)."""
        target = _resolve(_LABS[self], path)
        check_text("the file's text", text)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="") as f:
            f.write(text)

    def read(self, path: str) -> str:
        """The file `path` of the working tree, as it is now."""
        target = _resolve(_LABS[self], path)
        if not target.is_file():
            raise GitError(f"{path} does not exist in the working tree")
        return target.read_text(encoding="utf-8")
