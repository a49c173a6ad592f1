import pytest

from git_support import Commit, GitError, _Lab as Lab

import git2_clean_history as lesson

BRANCH = "feature/SHOP-7-coupons"
HEAD = '"""Copuons: a code that takes a percentage off a cart\'s total."""\n'
MODEL = HEAD + '''
from dataclasses import dataclass


@dataclass(frozen=True)
class Coupon:
    code: str
    percent_off: int
'''
FIXED = MODEL.replace("Copuons", "Coupons")
WIP_TAIL = '''

def apply_coupon(total_cents: int, coupon: Coupon) -> int:
    raise NotImplementedError("WIP")
'''
DEBUG_TAIL = WIP_TAIL.replace(
    "    raise", '    print("DEBUG apply_coupon", total_cents, coupon)\n    raise'
)
FINAL_TAIL = WIP_TAIL.replace(
    '    raise NotImplementedError("WIP")\n',
    "    discount = total_cents * coupon.percent_off // 100\n    return total_cents - discount\n",
)
TESTS = '''from shop.coupons import Coupon, apply_coupon


def test_ten_percent_off():
    assert apply_coupon(1999, Coupon("TEN", 10)) == 1800
'''
CART = "def total(lines):\n    return sum(lines.values())\n"
HEALTH = "def health():\n    return {'status': 'ok'}\n"

EXPECTED = [
    ("Add coupon model\n", ["shop/coupons.py"], {"shop/coupons.py": FIXED}),
    (lesson.APPLY_MESSAGE.strip() + "\n", ["shop/coupons.py"], {"shop/coupons.py": FIXED + FINAL_TAIL}),
    ("Add coupon tests\n", ["tests/test_coupons.py"],
     {"shop/coupons.py": FIXED + FINAL_TAIL, "tests/test_coupons.py": TESTS}),
]


def messy(order):
    """The branch's commits, in `order`, each with the coupons file as it was then."""
    state = {"typo": True, "tail": "", "tests": False}
    steps = {
        "A": ("Add coupon model", lambda s: None),
        "B": ("WIP", lambda s: s.update(tail=WIP_TAIL)),
        "C": ("fix typo", lambda s: s.update(typo=False)),
        "D": ("Add debug print", lambda s: s.update(tail=DEBUG_TAIL)),
        "E": ('Revert "Add debug print"', lambda s: s.update(tail=WIP_TAIL)),
        "F": ("finish apply_coupon", lambda s: s.update(tail=FINAL_TAIL)),
        "H": ("Add coupon tests", lambda s: s.update(tests=True)),
    }
    commits = []
    parent = "m1"
    for key in order:
        subject, change = steps[key]
        change(state)
        files = {"shop/coupons.py": (MODEL if state["typo"] else FIXED) + state["tail"]}
        if key == "H":
            files["tests/test_coupons.py"] = TESTS
        message = subject + "\n"
        if key == "E":
            message += "\nThis reverts commit of the debug print.\n"
        commits.append(Commit(key, f"refs/heads/{BRANCH}", message, files, parent=parent))
        parent = key
    return commits


ORDERS = {"in-order": "ABCDEFH", "shuffled": "ABDECHF"}


def scenario(root, order):
    """origin: main at m2 (a teammate's commit after you branched) and your messy branch, pushed
    earlier; `work`: the branch checked out, main still at m1."""
    lab = Lab(root)
    lab.init()
    lab.fast_import(lab.origin, [
        Commit("m1", "refs/heads/main", "Initial import\n", {
            "README.md": "# shop\n", "shop/__init__.py": "", "shop/cart.py": CART,
        }),
        *messy(order),
    ])
    lab.clone()
    lab.work_git("switch", "-q", BRANCH)
    lab.fast_import(lab.origin, [
        Commit("m2", "refs/heads/main", "SHOP-139: Add a health endpoint\n",
               {"shop/health.py": HEALTH}, parent="m1",
               author="Grace Hopper <grace@shop.example>"),
    ])
    return lab


@pytest.fixture(scope="module", params=sorted(ORDERS))
def cleaned(request, tmp_path_factory):
    lab = scenario(tmp_path_factory.mktemp("clean"), ORDERS[request.param])
    before = {
        "messy": lab.rev(BRANCH), "main": lab.rev("main"),
        "messy_ids": [lab.ids[k] for k in ORDERS[request.param]],
    }
    lesson.clean_up(lab.repo, BRANCH)
    return lab, before


def test_three_commits_on_top_of_origins_current_main(cleaned):
    lab, _ = cleaned
    commits = lab.commits(f"{lab.ids['m2']}..{BRANCH}")
    assert len(commits) == 3, [lab.field(c, "%s") for c in commits]
    assert lab.parents(commits[0]) == [lab.ids["m2"]]
    assert all(len(lab.parents(c)) == 1 for c in commits)


def test_the_messages_are_the_reviewed_ones(cleaned):
    lab, _ = cleaned
    commits = lab.commits(f"{lab.ids['m2']}..{BRANCH}")
    assert [lab.raw_message(c) for c in commits] == [m for m, _, _ in EXPECTED]


def test_each_commit_is_one_step(cleaned):
    lab, _ = cleaned
    commits = lab.commits(f"{lab.ids['m2']}..{BRANCH}")
    assert len(commits) == 3
    for commit, (_, changed, files) in zip(commits, EXPECTED):
        assert lab.changed(commit) == changed
        tree = lab.files(commit)
        for path, text in files.items():
            assert tree[path] == text, (lab.field(commit, "%s"), path)


def test_no_commit_ever_has_the_debug_print_or_the_typo(cleaned):
    lab, _ = cleaned
    for commit in lab.commits(f"{lab.ids['m2']}..{BRANCH}"):
        coupons = lab.files(commit)["shop/coupons.py"]
        assert "print(" not in coupons and "Copuons" not in coupons


def test_the_final_tree_is_the_intended_one(cleaned):
    lab, before = cleaned
    expected = lab.files(lab.ids["m2"]) | EXPECTED[2][2]
    assert lab.files(BRANCH) == expected
    # The same content as the messy branch, plus main's new commit: only the history changed.
    assert lab.work_git("diff", "--name-only", before["messy"], BRANCH).split() == [
        "shop/health.py"
    ]


def test_authors_are_kept(cleaned):
    lab, _ = cleaned
    for commit in lab.commits(f"{lab.ids['m2']}..{BRANCH}"):
        assert lab.field(commit, "%an <%ae>") == "Ada Lovelace <ada@shop.example>"


def test_main_was_not_rewritten(cleaned):
    lab, before = cleaned
    assert lab.rev("main", where="origin") == lab.ids["m2"]
    assert lab.rev("main") in (before["main"], lab.ids["m2"])
    assert lab.work_git("log", "--format=%s", lab.ids["m2"]).split("\n")[:2] == [
        "SHOP-139: Add a health endpoint", "Initial import",
    ]


def test_the_rebase_is_finished_and_the_tree_clean(cleaned):
    lab, _ = cleaned
    assert lab.in_progress() == []
    assert lab.status() == ""
    assert lab.work_git("symbolic-ref", "HEAD").strip() == f"refs/heads/{BRANCH}"


def test_origin_has_the_rewritten_branch(cleaned):
    lab, before = cleaned
    assert lab.rev(BRANCH, where="origin") == lab.rev(BRANCH)
    assert lab.rev(BRANCH) != before["messy"]
    upstream = lab.work_git("rev-parse", "--abbrev-ref", f"{BRANCH}@{{upstream}}").strip()
    assert upstream == f"origin/{BRANCH}"


def test_a_teammates_push_is_not_overwritten(tmp_path):
    """Grace pushes to the branch right after your fetch: your push must be refused (a lease on
    what you fetched), not overwrite her commit."""
    lab = scenario(tmp_path, ORDERS["in-order"])

    def grace_pushes():
        lab.fast_import(lab.origin, [
            Commit("g1", f"refs/heads/{BRANCH}", "Document coupon codes\n",
                   {"docs/coupons.md": "# Coupons\n"}, parent=lab.rev(BRANCH, where="origin"),
                   author="Grace Hopper <grace@shop.example>"),
        ])

    lab.after["fetch"] = grace_pushes
    with pytest.raises(GitError):
        lesson.clean_up(lab.repo, BRANCH)
    assert lab.after == {}, "clean_up never fetched"
    assert lab.rev(BRANCH, where="origin") == lab.ids["g1"]


def test_the_todo_refuses_a_commit_nobody_planned_for():
    commits = [("a1b2c3d", "Add coupon model"), ("b2c3d4e", "Hotfix from Grace"),
               ("c3d4e5f", "Add coupon tests")]
    with pytest.raises(ValueError):
        lesson.rebase_todo(commits)


def test_the_todo_refuses_a_subject_seen_twice():
    commits = [("a1b2c3d", "Add coupon model"), ("b2c3d4e", "WIP"), ("c3d4e5f", "WIP")]
    with pytest.raises(ValueError):
        lesson.rebase_todo(commits)
