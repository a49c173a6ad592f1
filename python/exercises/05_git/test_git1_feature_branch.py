import pytest

from git_support import Commit, Refused, _Lab as Lab

import git1_feature_branch as lesson

TICKET = "SHOP-142"
SUMMARY = "Reject quantities below one in the cart"
BRANCH = "feature/SHOP-142-reject-quantities-below-one-in-the-cart"

CART = '''"""The shopping cart."""


def add_item(lines: dict[str, int], sku: str, quantity: int) -> None:
    lines[sku] = lines.get(sku, 0) + quantity
'''
SETTINGS = 'debug = false\ndatabase_url = "postgresql:///shop"\n'


def scenario(root):
    """origin has main at m3; `work` was cloned at m2 (its main and origin/main are stale) and
    holds an .env, scratch notes and a local settings tweak that must never be committed."""
    lab = Lab(root)
    lab.init()
    lab.fast_import(lab.origin, [
        Commit("m1", "refs/heads/main", "Initial import\n", {
            "README.md": "# shop\n", "shop/__init__.py": "", "shop/cart.py": CART,
            "config/settings.toml": SETTINGS, ".gitignore": "__pycache__/\n",
        }),
        Commit("m2", "refs/heads/main", "SHOP-120: Add the tests folder\n",
               {"tests/__init__.py": ""}, parent="m1"),
    ])
    lab.clone()
    lab.fast_import(lab.origin, [
        Commit("m3", "refs/heads/main", "SHOP-139: Add a health endpoint\n",
               {"shop/health.py": "def health():\n    return {'status': 'ok'}\n"},
               parent="m2", author="Grace Hopper <grace@shop.example>"),
    ])
    lab.write_work_file(".env", "STRIPE_KEY=sk_live_do_not_commit\n")
    lab.write_work_file("notes.txt", "ask Grace about the health check\n")
    lab.write_work_file("config/settings.toml", SETTINGS.replace("false", "true"))
    return lab


@pytest.fixture(scope="module")
def started(tmp_path_factory):
    lab = scenario(tmp_path_factory.mktemp("started"))
    name = lesson.start_feature(lab.repo, TICKET, SUMMARY)
    return lab, name


@pytest.fixture(scope="module")
def delivered(tmp_path_factory):
    lab = scenario(tmp_path_factory.mktemp("delivered"))
    name = lesson.start_feature(lab.repo, TICKET, SUMMARY)
    lesson.commit_work(lab.repo, TICKET)
    lesson.publish(lab.repo, name)
    return lab, name


@pytest.mark.parametrize(
    "ticket, summary, expected",
    [
        pytest.param("SHOP-142", SUMMARY, BRANCH, id="plain"),
        pytest.param("API-7", "Fix: crash on  empty cart!!", "feature/API-7-fix-crash-on-empty-cart",
                     id="punctuation-runs"),
        pytest.param("SHOP-9", "  --Add OAuth2 login--  ", "feature/SHOP-9-add-oauth2-login",
                     id="no-dash-at-the-ends"),
        pytest.param("SHOP-10", "Crème brûlée menu für Zoë", "feature/SHOP-10-creme-brulee-menu-fur-zoe",
                     id="accents-folded"),
        pytest.param("SHOP-11", "snake_case and CamelCase.v2", "feature/SHOP-11-snake-case-and-camelcase-v2",
                     id="underscore-and-dot"),
        pytest.param("SHOP-12", "a" * 10 + " " + "b" * 29 + " c", "feature/SHOP-12-" + "a" * 10 + "-" + "b" * 29,
                     id="exactly-forty"),
        pytest.param("SHOP-13", "a" * 10 + " " + "b" * 29 + "x c",
                     "feature/SHOP-13-" + "a" * 10, id="whole-words-only"),
        pytest.param("SHOP-14", "x" * 45 + " tail", "feature/SHOP-14-" + "x" * 40, id="long-first-word"),
        pytest.param("AB2-1", "日本語 cache 2 layer", "feature/AB2-1-cache-2-layer", id="non-latin-dropped"),
    ],
)
def test_branch_name(ticket, summary, expected):
    assert lesson.branch_name(ticket, summary) == expected


@pytest.mark.parametrize(
    "ticket, summary",
    [
        pytest.param("shop-142", SUMMARY, id="lowercase-key"),
        pytest.param("SHOP-0142", SUMMARY, id="leading-zero"),
        pytest.param("SHOP142", SUMMARY, id="no-dash"),
        pytest.param("SHOP-142\n", SUMMARY, id="trailing-newline"),
        pytest.param("SHOP-1４２", SUMMARY, id="non-ascii-digits"),
        pytest.param("S-1", SUMMARY, id="one-letter-project"),
        pytest.param("SHOP-142", " ✓ !! ", id="nothing-left"),
    ],
)
def test_branch_name_refuses(ticket, summary):
    with pytest.raises(ValueError):
        lesson.branch_name(ticket, summary)


def test_branch_names_are_valid_refs(tmp_path):
    lab = Lab(tmp_path)
    for summary in ("Fix: crash on  empty cart!!", "Add .lock files", "v1..v2 diff @{now}",
                    "end with a dot.", "a/b\\c~d^e:f?g*h[i"):
        name = lesson.branch_name("SHOP-1", summary)
        lab.run(["check-ref-format", "--branch", name])
        assert name.count("/") == 1 and ".." not in name and not name.endswith((".", ".lock"))


def test_the_branch_starts_from_origins_current_main(started):
    lab, name = started
    assert name == BRANCH
    assert lab.work_git("symbolic-ref", "HEAD").strip() == f"refs/heads/{BRANCH}"
    # origin's main is m3 (a teammate pushed after your clone): not the stale local main (m2).
    assert lab.rev(BRANCH) == lab.rev("main", where="origin") == lab.ids["m3"]
    assert lab.rev("origin/main") == lab.ids["m3"], "origin/main was never fetched"


def test_starting_a_feature_leaves_the_local_changes_alone(started):
    lab, _ = started
    assert lab.status().splitlines() == [
        " M config/settings.toml", "?? .env", "?? notes.txt",
    ]
    assert lab.rev("main", where="origin") == lab.ids["m3"]
    assert lab.origin_git("for-each-ref", "--format=%(refname)").split() == ["refs/heads/main"]


def test_two_commits_on_top_of_origins_main(delivered):
    lab, name = delivered
    commits = lab.commits(f"{lab.ids['m3']}..{name}")
    assert len(commits) == 2
    assert lab.parents(commits[0]) == [lab.ids["m3"]]
    assert lab.work_git("merge-base", name, "origin/main").strip() == lab.ids["m3"]


def test_each_commit_touches_only_its_file(delivered):
    lab, name = delivered
    fix, test = lab.commits(f"{lab.ids['m3']}..{name}")
    assert lab.changed(fix) == ["shop/cart.py"]
    assert lab.changed(test) == ["tests/test_cart.py"]
    files = lab.files(test)
    assert files["shop/cart.py"] == lesson.CART_PY
    assert files["tests/test_cart.py"] == lesson.TEST_CART_PY
    assert files["config/settings.toml"] == SETTINGS
    assert ".env" not in files and "notes.txt" not in files


def test_each_subject_starts_with_the_ticket(delivered):
    lab, name = delivered
    for commit in lab.commits(f"{lab.ids['m3']}..{name}"):
        subject = lab.field(commit, "%s")
        assert subject.startswith(f"{TICKET}: ") and len(subject) > len(TICKET) + 5, subject


def test_the_secret_and_the_local_tweak_stay_local(delivered):
    lab, name = delivered
    assert lab.status().splitlines() == [
        " M config/settings.toml", "?? .env", "?? notes.txt",
    ]
    everything = lab.work_git("log", "--all", "--format=", "--name-only").split()
    assert ".env" not in everything and "notes.txt" not in everything


def test_pushed_under_the_same_name_with_upstream(delivered):
    lab, name = delivered
    assert lab.rev(f"refs/heads/{name}", where="origin") == lab.rev(name)
    upstream = lab.work_git("rev-parse", "--abbrev-ref", f"{name}@{{upstream}}").strip()
    assert upstream == f"origin/{name}"
    assert lab.work_git("status", "-sb").splitlines()[0] == f"## {name}...origin/{name}"


def test_main_on_origin_is_untouched(delivered):
    lab, _ = delivered
    assert lab.rev("main", where="origin") == lab.ids["m3"]
    assert sorted(lab.origin_git("for-each-ref", "--format=%(refname)").split()) == [
        f"refs/heads/{BRANCH}", "refs/heads/main",
    ]


def test_graded_code_cannot_leave_the_repository(started):
    lab, _ = started
    for args in (("-c", "core.pager=sh", "log"), ("config", "alias.x", "!sh"),
                 ("push", "/tmp/elsewhere"), ("fetch", "ext::sh -c id"),
                 ("push", "--receive-pack=sh", "origin"), ("rebase", "-x", "sh", "main"),
                 ("commit", "-F", "/etc/passwd"), ("log", "--output=/tmp/x")):
        with pytest.raises(Refused):
            lab.repo.git(*args)
    with pytest.raises(Refused):
        lab.repo.git("rebase", "-i", "main", todo="exec sh -c id\n")
    for path in (".git/config", "../origin.git/config", "/etc/passwd", "a/../../x"):
        with pytest.raises(Refused):
            lab.repo.write(path, "x")
    # A Repo holds nothing a method of graded code could read through `self`.
    assert vars(lab.repo) == {}
