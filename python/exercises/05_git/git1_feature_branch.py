"""A feature branch the team's way: from an up-to-date main, named by convention, small commits
that touch only what they mean to, pushed with its upstream set.

The team works in short-lived feature branches (GitHub flow: https://docs.github.com/en/get-started/using-github/github-flow),
one per ticket, reviewed in a pull request. Their conventions:

1. Start from what `origin` has NOW. Your local `main` is whatever you last pulled: a branch
   made from it starts in the past and its pull request conflicts with work merged since.
   `git fetch origin` updates the remote-tracking branches (`origin/main`) without touching your
   branches (https://git-scm.com/docs/git-fetch); then branch from `origin/main`:
   `git switch --no-track -c NAME origin/main` (https://git-scm.com/docs/git-switch).
   (`--no-track`: the branch's upstream will be its own branch on origin, set when you push.)
2. The name: `feature/<TICKET>-<slug>` (see `branch_name`). It must be a valid ref name
   (https://git-scm.com/docs/git-check-ref-format): the slug keeps ASCII letters and digits only.
3. Small commits, each touching only the files it is about, each subject starting with the
   ticket (`SHOP-142: ...`). The working tree also holds things that must never be committed:
   your `.env` with a real token, scratch notes, a local tweak of `config/settings.toml`. So
   stage files by name (`git add PATH`), never `git add -A`, `git add .` or `git commit -a`
   (https://git-scm.com/docs/git-add).
4. Publish: `git push --set-upstream origin NAME` (`-u`): the branch on origin gets the same
   name, and your branch tracks it, so a later `git push`/`git pull` needs no arguments
   (https://git-scm.com/docs/git-push). Never push to `main`.

`repo` is the course's `git_support.Repo` (read its docstring): `repo.git("fetch", "origin")`,
`repo.write(path, text)`.
"""

import re
import unicodedata

from git_support import Repo

# A Jira-style key: a project key (an uppercase letter, then uppercase letters or digits), a
# dash, an issue number without leading zeros. ASCII only.
TICKET = re.compile(r"[A-Z][A-Z0-9]+-[1-9][0-9]*")
MAX_SLUG = 40

# The change itself (already written: the lesson is how it reaches the repository).
CART_PY = '''"""The shopping cart."""


def add_item(lines: dict[str, int], sku: str, quantity: int) -> None:
    if quantity < 1:
        raise ValueError("quantity must be at least 1")
    lines[sku] = lines.get(sku, 0) + quantity
'''

TEST_CART_PY = '''import pytest

from shop.cart import add_item


@pytest.mark.parametrize("quantity", [0, -1])
def test_add_item_refuses_a_quantity_below_one(quantity):
    with pytest.raises(ValueError):
        add_item({}, "sku-1", quantity)
'''


def branch_name(ticket: str, summary: str) -> str:
    """`feature/<TICKET>-<slug>`.

    - `ticket` must match TICKET exactly (else ValueError): `SHOP-142`, not `shop-142`,
      `SHOP-0142`, `SHOP142` or `SHOP-142\\n`;
    - the slug: accents folded to ASCII (Unicode NFKD, then drop what is not ASCII: "Crème" ->
      "creme"), lowercased, each run of characters other than a-z and 0-9 becomes one `-`, no
      `-` at either end;
    - at most MAX_SLUG characters, cut at a word boundary (whole words only); a first word
      longer than that is cut at MAX_SLUG characters;
    - a summary with no letter or digit left is a ValueError.

    TODO: `TICKET.fullmatch(ticket)` (not `match`: `$` lets a trailing newline through);
    `unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")`; then
    `re.findall(r"[a-z0-9]+", ...)` on the lowercased text gives the words.
    """
    slug = summary.lower().replace(" ", "-")
    return f"feature/{ticket}-{slug}"


def start_feature(repo: Repo, ticket: str, summary: str) -> str:
    """Creates and switches to the feature branch, based on origin's current main; returns its
    name.

    TODO: this branches from whatever is checked out (the stale local main). Fetch first, then
    start the branch at `origin/main` (`--no-track`).
    """
    name = branch_name(ticket, summary)
    repo.git("switch", "-c", name)
    return name


def commit_work(repo: Repo, ticket: str) -> None:
    """Two commits: the fix (`shop/cart.py` only), then its test (`tests/test_cart.py` only),
    each subject starting with `<TICKET>: `.

    TODO: one commit of everything takes the .env, the notes and the settings tweak along.
    Stage each file by its path, commit, then the next one.
    """
    repo.write("shop/cart.py", CART_PY)
    repo.write("tests/test_cart.py", TEST_CART_PY)
    repo.git("add", "-A")
    repo.git("commit", "-m", "Fix cart")


def publish(repo: Repo, branch: str) -> None:
    """Pushes the branch to origin under the same name and makes it the upstream.

    TODO: the push below leaves the branch without its upstream on origin.
    """
    repo.git("push", "origin", branch)
