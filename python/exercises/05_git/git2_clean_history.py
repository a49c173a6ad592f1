"""A reviewable history: an interactive rebase onto the updated main.

Your branch `feature/SHOP-7-coupons` works, but its history is the story of how you got there:
"WIP", "fix typo", a debug print and its revert, "finish apply_coupon". A reviewer reads a pull
request commit by commit, and `git bisect`/`git revert` work on commits: each commit should be one
coherent step that passes the tests. Before asking for review, rewrite the branch (it is yours:
nobody else builds on it) into three commits, on top of origin's current main:

    Add coupon model               <- "Add coupon model" + its typo fix ("fix typo")
    Apply coupons to cart totals   <- "WIP" + "finish apply_coupon", with APPLY_MESSAGE
    Add coupon tests               <- "Add coupon tests"

and the debug print and its revert gone (both dropped: a commit and its revert add nothing).

`git rebase -i origin/main` (https://git-scm.com/docs/git-rebase#_interactive_mode) opens the
todo list: one line per commit of `origin/main..HEAD`, oldest first, `pick <hash> <subject>`.
You edit it: reorder lines to reorder commits, and change the command of each line:
- `pick`: keep the commit as it is;
- `reword`: keep it, edit its message (git opens the editor for the message);
- `squash`: meld it into the commit above, and edit the combined message (editor);
- `fixup`: meld it into the commit above, keeping the message of the one above (`fixup -C`
  would take this commit's message instead);
- `drop` (or deleting the line): leave the commit out.
Here the "editor" is `repo.git(..., todo=TEXT, messages=[...])` (see git_support): `todo` is
your edited list, `messages` the messages git asks for, in order. Tip: `git commit --fixup=<commit>`
while you work, then `git rebase -i --autosquash` writes most of such a todo for you.

Then publish the rewritten branch. It was pushed before, so origin's copy has the old commits
and a plain push is refused (not a fast-forward). `git push --force-with-lease` overwrites it
only if origin's branch is still what you last fetched, so a teammate's push in between is not
silently destroyed (`--force` would): https://git-scm.com/docs/git-push#Documentation/git-push.txt---force-with-leaseltrefnamegt.
Never rewrite `main` or anything others have built on.
"""

from git_support import Repo

MODEL = "Add coupon model"
APPLY = "Apply coupons to cart totals"
TESTS = "Add coupon tests"
APPLY_MESSAGE = """Apply coupons to cart totals

A coupon takes percent_off percent of the total, rounded down to the
cent, so a discount never exceeds what the customer pays.
"""

# What each subject on the messy branch becomes.
# TODO: the commands (pick, reword, squash, fixup, drop) each commit needs.
PLAN = {
    MODEL: "pick",
    "fix typo": "pick",
    "WIP": "pick",
    "finish apply_coupon": "pick",
    "Add debug print": "pick",
    'Revert "Add debug print"': "pick",
    TESTS: "pick",
}


def rebase_todo(commits: list[tuple[str, str]]) -> str:
    """The todo for `git rebase -i`, from the branch's commits `(hash, subject)`, oldest first.

    A subject not in PLAN is a ValueError: a commit nobody planned for (a teammate's, a new one)
    is never silently picked or dropped.

    TODO: this is the list git would open, unchanged. Put each fixup/squash line right below
    the commit it melds into (the order of the result: model, apply, tests), and choose each
    line's command from PLAN.
    """
    return "".join(f"{PLAN.get(subject, 'pick')} {commit} {subject}\n" for commit, subject in commits)


def clean_up(repo: Repo, branch: str) -> None:
    """Rewrites the checked-out `branch` onto origin's current main, then publishes it. If
    someone pushed to the branch on origin since your fetch, the push is refused: let that
    GitError propagate (you will fetch, look at their commit, and redo the rebase).

    TODO: onto origin's *current* main (fetch first), with the reworded message for the
    "Apply coupons" commit in `messages=[...]`, and a push that may replace the old branch on
    origin but only if nobody else pushed to it since your fetch.
    """
    listed = repo.git("log", "--reverse", "--format=%H %s", "main..HEAD").out
    commits = [tuple(line.split(" ", 1)) for line in listed.splitlines()]
    todo = rebase_todo([(commit, subject) for commit, subject in commits])
    repo.git("rebase", "-i", "main", todo=todo)
    repo.git("push", "origin", branch)
