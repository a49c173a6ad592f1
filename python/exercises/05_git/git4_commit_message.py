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

# TODO: the message a reviewer accepts (see the rules above): a bug fix in billing; the ticket
# is #123. Why the change: rounding the VAT once on the invoice total made the total one cent off
# the sum of the printed lines; each line is now rounded to the cent, half up.
MESSAGE = """Fixed VAT rounding.
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
    - "refs": the last paragraph is not trailers (`Key: value` lines, like `Refs: #123` or
      `Co-authored-by: ...`) with exactly one `Refs: #N` (N > 0) line.
    Paragraphs are separated by empty lines; trailing newlines do not count.

    TODO: only the subject's length is checked. Use SUBJECT (`fullmatch`), REFS and URL.
    """
    found = []
    if len(message.split("\n")[0]) > 50:
        found.append("subject-length")
    return found


def commit_fix(repo: Repo) -> None:
    """Commits the VAT fix (`shop/vat.py`, already saved) with MESSAGE, and nothing else.

    TODO: stage that one file; `-m` with a multi-line message works but `-F -` (the message on
    standard input, `input=MESSAGE`) is how scripts and tools pass it.
    """
    repo.git("add", "-A")
    repo.git("commit", "-m", MESSAGE)


def fix_author(repo: Repo) -> None:
    """Gives the last commit the work email as its author; same tree, parent and message.

    TODO: `--reset-author` takes the author from this clone's config: the personal email again.
    Name the author explicitly (NAME, WORK_EMAIL).
    """
    repo.git("commit", "--amend", "--no-edit", "--reset-author")
