"""A merge conflict, resolved keeping both sides' intent.

Your branch `feature/SHOP-88-bulk-discount` gives 10% off any line of 10 or more items. Meanwhile
main gained SHOP-90: gift items are free. Both changed the same line of `total_cents` in
`shop/pricing.py`, so merging main into your branch stops with a conflict
(https://git-scm.com/docs/git-merge#_how_conflicts_are_presented): git writes both versions
into the file between markers, `<<<<<<< HEAD` (yours), `=======`, `>>>>>>> main` (theirs),
records the file as unmerged (`git status`, `git diff --name-only --diff-filter=U`, `git
ls-files -u`), and exits with status 1, waiting for you.

Resolving means writing what the code must be now that BOTH changes exist: not "ours" (main's
gift rule lost), not "theirs" (your discount lost), and no marker left behind. Then `git add` the
file (marks it resolved) and `git commit`, which creates the merge commit: two parents, your
branch's previous tip first and main's tip second. Its message says which files conflicted and
how you resolved them: the next person reading `git log` of that function needs it.

When the merge stops on a conflict you did not plan for (another file), do not guess:
`git merge --abort` puts everything back as it was before the merge, and say so.

Why merge and not rebase here: the branch is shared (pushed, in review), and a merge does not
rewrite its published commits. Teams that prefer a linear history rebase private branches
instead (see git2).
"""

from git_support import Repo

PRICING = "shop/pricing.py"

# The file as it must be after the merge: the bulk discount per line (this branch) AND free
# gift items (main).
# TODO: this is what git left in the file after `git merge main`: both versions of the end of
# total_cents between the markers. Write the function as it must be with both changes.
RESOLVED_PRICING = '''"""Cart pricing: totals in cents."""

BULK_QTY = 10
BULK_PERCENT = 10


def line_cents(item):
    """One line's price: 10% off when 10 or more are bought."""
    cents = item["price_cents"] * item["qty"]
    if item["qty"] >= BULK_QTY:
        cents -= cents * BULK_PERCENT // 100
    return cents


def total_cents(items):
<<<<<<< HEAD
    """The cart's total in cents."""
    return sum(line_cents(item) for item in items)
=======
    """The cart's total in cents; gift items are free."""
    return sum(item["price_cents"] * item["qty"] for item in items if not item.get("gift"))
>>>>>>> main
'''

# TODO: git's default subject, then a body that names the file that conflicted and how you
# resolved it (a line that does not start with `#`: git strips those when a message is edited).
MERGE_MESSAGE = """Merge branch 'main' into feature/SHOP-88-bulk-discount
"""


class UnexpectedConflict(Exception):
    """The merge conflicted in files nobody planned to resolve; it was aborted."""


def merge_main(repo: Repo) -> None:
    """Merges `main` into the checked-out feature branch, resolving the planned conflict in
    PRICING; any other conflict aborts the merge and raises UnexpectedConflict.

    TODO: `git merge main` stops on the conflict with exit status 1 (`check=False`, then
    `run.code`). Find the unmerged files (`git diff --name-only --diff-filter=U`); anything but
    exactly [PRICING] is `git merge --abort` and UnexpectedConflict. Otherwise write the
    resolved file, `git add` it, and `git commit -F -` with MERGE_MESSAGE as `input=`.
    """
    run = repo.git("merge", "main", check=False)
    if run.code != 0:
        repo.git("add", "-A")
        repo.git("commit", "--no-edit")
