"""A commit message a reviewer accepts, and an author fixed without touching the commit's tree.

The team's rules (checked by a `commit-msg` hook, and by you before you push):
- the subject follows Conventional Commits (https://www.conventionalcommits.org/en/v1.0.0/):
  `type(scope): description`, `type` one of TYPES, the scope required here (lowercase letters,
  digits, `-`), an optional `!` before the colon for a breaking change, one space after it;
- the subject is at most 50 characters, without a trailing period, in the imperative ("round
  VAT per line", not "rounded"/"rounds"): it completes "If applied, this commit will ...";
- a blank line, then a body that says WHY (the diff already says what), wrapped at 72
  characters (a line that is only a URL may be longer: it cannot be wrapped);
- the ticket as a git trailer, `Refs: #123`, in the last paragraph
  (https://git-scm.com/docs/git-interpret-trailers): tools (and GitHub/GitLab) parse it there.
  `Refs #123` without the colon, or a trailer in the middle of the body, is just text.
See https://cbea.ms/git-commit/ and https://git-scm.com/docs/git-commit#_discussion.

`git commit -F -` reads the message from standard input exactly as written: no editor, no
shell quoting of a multi-line `-m`.

Then the second mistake of the day: this laptop's git config has your personal email, so the
commit's author is wrong. The commit is not pushed yet, so amend it: `git commit --amend
--no-edit --author="Name <email>"` replaces the last commit with one that has the same tree,
parent and message and the new author. `--amend` also takes whatever is staged, so stage nothing
else (and never `-a`); the author date stays the original one.
"""

import re

from git_support import Repo

TYPES = ("feat", "fix", "docs", "style", "refactor", "perf", "test", "build", "ci", "chore",
         "revert")
SUBJECT = re.compile(r"(?P<type>[a-z]+)\((?P<scope>[a-z0-9-]+)\)!?: (?P<description>\S.*)")
REFS = re.compile(r"Refs: #[1-9][0-9]*")
URL = re.compile(r"https?://\S+")

NAME = "Ada Lovelace"
WORK_EMAIL = "ada@shop.example"

MESSAGE = """fix(billing): round VAT per line, not per invoice

Rounding the VAT once on the invoice total gave totals one cent off
the sum of the lines printed on the invoice, which accounting flagged
on 3% of the March invoices. Rounding each line to the cent, half up
as the tax office requires, makes the printed lines add up.

Refs: #123
"""


def problems(message: str) -> list[str]:
    """The rules `message` breaks, as codes, in this order (each at most once):

    - "subject": the first line is not `type(scope): description` with a type in TYPES;
    - "subject-length": the first line is longer than 50 characters;
    - "period": the first line ends with ".";
    - "blank-line": there is a second line and it is not empty;
    - "body": no body paragraph between the subject and the trailer paragraph;
    - "body-length": a line after the subject is longer than 72 characters (a line that is
      only a URL excepted);
    - "refs": the last paragraph is not trailers with exactly one `Refs: #N` (N > 0) line.
    Paragraphs are separated by empty lines; trailing newlines do not count.
    """
    lines = message.rstrip("\n").split("\n")
    subject = lines[0]
    found = []
    match = SUBJECT.fullmatch(subject)
    if match is None or match.group("type") not in TYPES:
        found.append("subject")
    if len(subject) > 50:
        found.append("subject-length")
    if subject.endswith("."):
        found.append("period")
    if len(lines) > 1 and lines[1] != "":
        found.append("blank-line")
    paragraphs = [p.strip("\n") for p in "\n".join(lines[1:]).split("\n\n") if p.strip()]
    if len(paragraphs) < 2:
        found.append("body")
    if any(len(line) > 72 and not URL.fullmatch(line) for line in lines[1:]):
        found.append("body-length")
    last = paragraphs[-1].split("\n") if paragraphs else []
    if (
        not last
        or not all(re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*: \S.*", line) for line in last)
        or sum(1 for line in last if REFS.fullmatch(line)) != 1
    ):
        found.append("refs")
    return found


def commit_fix(repo: Repo) -> None:
    """Commits the VAT fix (`shop/vat.py`, already saved) with MESSAGE, and nothing else."""
    repo.git("add", "shop/vat.py")
    repo.git("commit", "-F", "-", input=MESSAGE)


def fix_author(repo: Repo) -> None:
    """Gives the last commit the work email as its author; same tree, parent and message."""
    repo.git("commit", "--amend", "--no-edit", f"--author={NAME} <{WORK_EMAIL}>")
