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
    """The cart's total in cents; gift items are free."""
    return sum(line_cents(item) for item in items if not item.get("gift"))
'''

MERGE_MESSAGE = """Merge branch 'main' into feature/SHOP-88-bulk-discount

Conflicts:
  shop/pricing.py: total_cents keeps both rules, the bulk discount per
  line from this branch and free gift items from main (SHOP-90).
"""


class UnexpectedConflict(Exception):
    """The merge conflicted in files nobody planned to resolve; it was aborted."""


def merge_main(repo: Repo) -> None:
    """Merges `main` into the checked-out feature branch, resolving the planned conflict in
    PRICING; any other conflict aborts the merge and raises UnexpectedConflict."""
    run = repo.git("merge", "main", check=False)
    if run.code == 0:
        return
    conflicted = repo.git("diff", "--name-only", "--diff-filter=U").out.split()
    if run.code != 1 or conflicted != [PRICING]:
        repo.git("merge", "--abort")
        raise UnexpectedConflict(f"the merge stopped on {conflicted or run.err}")
    repo.write(PRICING, RESOLVED_PRICING)
    repo.git("add", PRICING)
    repo.git("commit", "-F", "-", input=MERGE_MESSAGE)
