import re

import pytest

from git_support import Commit, _Lab as Lab

import git4_commit_message as lesson

BRANCH = "fix/SHOP-123-vat-per-line"
VAT = '''from decimal import ROUND_HALF_UP, Decimal


def vat_cents(net_cents: int, rate: Decimal) -> int:
    return int((Decimal(net_cents) * rate).quantize(Decimal(1), ROUND_HALF_UP))
'''
OLD_VAT = "def vat_cents(net_cents, rate):\n    return int(net_cents * rate)\n"
README = "# shop\n"


def scenario(root):
    """The fix is saved in the working tree, next to a README edit and a debug log that are not
    part of it; this clone's config has the personal email."""
    lab = Lab(root)
    lab.init()
    lab.fast_import(lab.origin, [
        Commit("m1", "refs/heads/main", "Initial import\n", {
            "README.md": README, "shop/__init__.py": "", "shop/vat.py": OLD_VAT,
        }),
    ])
    lab.clone()
    lab.work_git("switch", "-q", "-c", BRANCH)
    lab.work_git("config", "user.email", "ada@home.example")
    lab.write_work_file("shop/vat.py", VAT)
    lab.write_work_file("README.md", README + "\nTODO: document the VAT rules\n")
    lab.write_work_file("debug.log", "vat_cents(1999, 0.19) = 379\n")
    return lab


@pytest.fixture(scope="module")
def committed(tmp_path_factory):
    lab = scenario(tmp_path_factory.mktemp("commit"))
    lesson.commit_fix(lab.repo)
    return lab, lab.rev("HEAD")


@pytest.fixture(scope="module")
def amended(tmp_path_factory):
    lab = scenario(tmp_path_factory.mktemp("amend"))
    lesson.commit_fix(lab.repo)
    before = lab.rev("HEAD")
    lesson.fix_author(lab.repo)
    return lab, before


# The message as committed -----------------------------------------------------------------

def test_the_commit_has_the_fix_and_nothing_else(committed):
    lab, head = committed
    assert lab.parents(head) == [lab.ids["m1"]]
    assert lab.changed(head) == ["shop/vat.py"]
    assert lab.files(head)["shop/vat.py"] == VAT
    assert lab.status().splitlines() == [" M README.md", "?? debug.log"]


def test_the_subject_is_a_conventional_commit(committed):
    lab, head = committed
    subject = lab.raw_message(head).split("\n")[0]
    match = re.fullmatch(r"fix\(billing\): ([a-z]\S*)( \S+)*", subject)
    assert match, f"{subject!r}: `fix(billing): description` (a bug fix in billing)"
    assert len(subject) <= 50 and not subject.endswith(".")
    first = match.group(1)
    assert not first.endswith(("ed", "ing")) and not re.fullmatch(r"\w+[^s]s", first), (
        f"{first!r}: the imperative mood (round, fix, add)"
    )


def test_a_blank_line_then_a_wrapped_body(committed):
    lab, head = committed
    lines = lab.raw_message(head).rstrip("\n").split("\n")
    assert len(lines) >= 5 and lines[1] == ""
    body = "\n".join(lines[2:]).split("\n\n")[:-1]
    assert body and sum(len(p.split()) for p in body) >= 12, "a body that says why"
    assert all(len(line) <= 72 for line in lines[1:])


def test_git_parses_the_refs_trailer(committed):
    lab, head = committed
    message = lab.raw_message(head)
    assert lab.work_git("interpret-trailers", "--parse", input=message) == "Refs: #123\n"
    assert message.endswith("\n\nRefs: #123\n")


def test_committed_exactly_as_written(committed):
    lab, head = committed
    assert lab.raw_message(head) == lesson.MESSAGE
    assert lesson.problems(lesson.MESSAGE) == []


# The author, fixed by amending ----------------------------------------------------------

def test_the_author_has_the_work_email(amended):
    lab, before = amended
    assert lab.field(before, "%an <%ae>") == "Ada Lovelace <ada@home.example>"
    assert lab.field("HEAD", "%an <%ae>") == "Ada Lovelace <ada@shop.example>"


def test_amended_not_added(amended):
    lab, before = amended
    assert lab.rev("HEAD") != before
    assert lab.parents("HEAD") == lab.parents(before) == [lab.ids["m1"]]
    assert lab.commits(f"{lab.ids['m1']}..HEAD") == [lab.rev("HEAD")]


def test_same_tree_message_and_author_date(amended):
    lab, before = amended
    assert lab.tree("HEAD") == lab.tree(before)
    assert lab.raw_message("HEAD") == lab.raw_message(before)
    assert lab.field("HEAD", "%at") == lab.field(before, "%at")
    assert lab.status().splitlines() == [" M README.md", "?? debug.log"]


# The team's commit-msg check -------------------------------------------------------------

BODY = "Why: the invoice total was one cent off the printed lines.\n"
URL = "https://docs.example.org/" + "x" * 80


def msg(subject, body=BODY, trailers="Refs: #123\n"):
    text = subject + "\n"
    if body is not None:
        text += "\n" + body
    if trailers is not None:
        text += "\n" + trailers
    return text


@pytest.mark.parametrize(
    "message",
    [
        pytest.param(lesson.MESSAGE, id="the-message"),
        pytest.param(msg("feat(api)!: drop the v1 endpoints"), id="breaking"),
        pytest.param(msg("fix(billing): " + "a" * 36), id="subject-50"),
        pytest.param(msg("fix(billing): " + "é" * 36), id="subject-50-characters-not-bytes"),
        pytest.param(msg("docs(readme): link the runbook", body=f"See:\n{URL}\n"), id="long-url"),
        pytest.param(msg("perf(db): add an index on orders.created_at", body="a" * 72 + "\n"),
                     id="body-72"),
        pytest.param(msg("fix(cart-2): keep zero", body=BODY + "\n" + BODY), id="two-paragraphs"),
        pytest.param(msg("test(vat): cover half cents",
                         trailers="Refs: #7\nCo-authored-by: Grace <grace@shop.example>\n"),
                     id="two-trailers"),
        pytest.param(msg("fix(vat): round half up") + "\n\n", id="trailing-newlines"),
    ],
)
def test_problems_accepts(message):
    assert lesson.problems(message) == []


@pytest.mark.parametrize(
    "message, expected",
    [
        pytest.param(msg("Fix(billing): round VAT"), ["subject"], id="capital-type"),
        pytest.param(msg("fix: round VAT"), ["subject"], id="no-scope"),
        pytest.param(msg("fix(Billing): round VAT"), ["subject"], id="capital-scope"),
        pytest.param(msg("feature(billing): round VAT"), ["subject"], id="unknown-type"),
        pytest.param(msg("fix(billing):round VAT"), ["subject"], id="no-space"),
        pytest.param(msg("fix(billing):  round VAT"), ["subject"], id="two-spaces"),
        pytest.param(msg("fix(billing): " + "a" * 37), ["subject-length"], id="subject-51"),
        pytest.param(msg("fix(billing): round VAT."), ["period"], id="period"),
        pytest.param("fix(billing): round VAT\n" + BODY + "\nRefs: #123\n", ["blank-line"],
                     id="no-blank-line"),
        pytest.param(msg("fix(billing): round VAT", body=None), ["body"], id="no-body"),
        pytest.param(msg("fix(billing): round VAT", body="a" * 73 + "\n"), ["body-length"],
                     id="body-73"),
        pytest.param(msg("fix(billing): round VAT", body=f"See {URL}\n"), ["body-length"],
                     id="text-and-url"),
        pytest.param(msg("fix(billing): round VAT", trailers="Refs #123\n"), ["refs"],
                     id="no-colon"),
        pytest.param(msg("fix(billing): round VAT", body="Refs: #123\n",
                         trailers="Thanks to Grace for the review.\n"), ["refs"],
                     id="trailer-in-the-middle"),
        pytest.param(msg("fix(billing): round VAT", trailers="Thanks, Grace.\nRefs: #123\n"),
                     ["refs"], id="prose-in-the-trailers"),
        pytest.param(msg("fix(billing): round VAT", trailers="Refs: #0123\n"), ["refs"],
                     id="leading-zero"),
        pytest.param(msg("fix(billing): round VAT", trailers="Refs: #1\nRefs: #2\n"), ["refs"],
                     id="two-refs"),
        pytest.param(msg("fix(billing): round VAT", trailers="Reviewed-by: Grace\n"), ["refs"],
                     id="no-refs"),
        pytest.param("Fixed stuff.", ["subject", "period", "body", "refs"], id="everything"),
    ],
)
def test_problems_finds(message, expected):
    assert lesson.problems(message) == expected
