import ast

import pytest

from git_support import Commit, _Lab as Lab

import git3_merge_conflict as lesson

BRANCH = "feature/SHOP-88-bulk-discount"
BASE_PRICING = '''"""Cart pricing: totals in cents."""


def total_cents(items):
    """The cart's total in cents."""
    return sum(item["price_cents"] * item["qty"] for item in items)
'''
OURS_PRICING = '''"""Cart pricing: totals in cents."""

BULK_QTY = 10
BULK_PERCENT = 10


def line_cents(item):
    """One line's price: 10% off when 10 or more are bought."""
    cents = item["price_cents"] * item["qty"]
    if item["qty"] >= BULK_QTY:
        cents -= cents * BULK_PERCENT // 100
    return cents


def total_cents(items):
    """The cart's total in cents."""
    return sum(line_cents(item) for item in items)
'''
THEIRS_PRICING = '''"""Cart pricing: totals in cents."""


def total_cents(items):
    """The cart's total in cents; gift items are free."""
    return sum(item["price_cents"] * item["qty"] for item in items if not item.get("gift"))
'''
CART = "MAX_LINES = 50\n"
TEST_PRICING = '''from shop.pricing import total_cents


def test_bulk():
    assert total_cents([{"price_cents": 100, "qty": 10}]) == 900
'''
CHANGELOG = "# Changelog\n\n## Unreleased\n\n- SHOP-90: gift items are free\n"


def scenario(root, extra_conflict=False):
    """`work` on the feature branch (pushed), main (local and origin) one commit ahead of the
    fork point, both sides changing total_cents."""
    lab = Lab(root)
    lab.init()
    theirs = {"shop/pricing.py": THEIRS_PRICING, "CHANGELOG.md": CHANGELOG}
    ours2 = {"tests/test_pricing.py": TEST_PRICING}
    if extra_conflict:
        theirs["shop/cart.py"] = "MAX_LINES = 100\n"
        ours2["shop/cart.py"] = "MAX_LINES = 20\n"
    lab.fast_import(lab.origin, [
        Commit("m1", "refs/heads/main", "Initial import\n", {
            "README.md": "# shop\n", "shop/__init__.py": "", "shop/pricing.py": BASE_PRICING,
            "shop/cart.py": CART, "CHANGELOG.md": "# Changelog\n\n## Unreleased\n",
        }),
        Commit("f1", f"refs/heads/{BRANCH}", "SHOP-88: Take 10% off lines of 10 or more\n",
               {"shop/pricing.py": OURS_PRICING}, parent="m1"),
        Commit("f2", f"refs/heads/{BRANCH}", "SHOP-88: Test the bulk discount\n", ours2,
               parent="f1"),
        Commit("m2", "refs/heads/main", "SHOP-90: Gift items are free\n", theirs, parent="m1",
               author="Grace Hopper <grace@shop.example>"),
    ])
    lab.clone()
    lab.work_git("switch", "-q", BRANCH)
    return lab


def run_pricing(source, items):
    """Runs `total_cents(items)` of a resolved pricing.py. The file is the learner's text, so it
    runs only if it is plain arithmetic over dicts: functions, assignments, if/for, comparisons,
    calls of its own functions, sum/min/max/int/round/abs/len, and `.get`; no import, no
    attribute but `.get`, no name starting with `_`, no `**`, no `while`."""
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        pytest.fail(f"shop/pricing.py as merged is not Python (a conflict marker left?): {err}")
    allowed = (
        ast.Module, ast.FunctionDef, ast.arguments, ast.arg, ast.Return, ast.Assign,
        ast.AugAssign, ast.If, ast.For, ast.Expr, ast.Name, ast.Load, ast.Store, ast.Constant,
        ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.Call, ast.Attribute, ast.Subscript,
        ast.GeneratorExp, ast.ListComp, ast.comprehension, ast.IfExp, ast.Add, ast.Sub,
        ast.Mult, ast.FloorDiv, ast.Div, ast.Mod, ast.And, ast.Or, ast.Not, ast.USub, ast.Eq,
        ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot,
        ast.Tuple, ast.List, ast.Pass,
    )
    for node in ast.walk(tree):
        assert isinstance(node, allowed), f"the resolved file uses {type(node).__name__}"
        if isinstance(node, ast.Attribute):
            assert node.attr == "get", f"the resolved file reads .{node.attr}"
        if isinstance(node, ast.Name):
            assert not node.id.startswith("_"), node.id
        if isinstance(node, ast.FunctionDef):
            assert not node.decorator_list and not node.name.startswith("_")
    safe = {"sum": sum, "min": min, "max": max, "int": int, "round": round, "abs": abs,
            "len": len}
    namespace = {"__builtins__": safe}
    exec(compile(tree, "shop/pricing.py", "exec"), namespace)
    return namespace["total_cents"](items)


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    lab = scenario(tmp_path_factory.mktemp("merge"))
    lesson.merge_main(lab.repo)
    return lab


def line(price, qty, gift=False):
    item = {"price_cents": price, "qty": qty}
    if gift:
        item["gift"] = True
    return item


@pytest.mark.parametrize(
    "items, total",
    [
        pytest.param([line(250, 3)], 750, id="plain"),
        pytest.param([line(250, 9)], 2250, id="nine-no-discount"),
        pytest.param([line(250, 10)], 2250, id="ten-discounted"),
        pytest.param([line(999, 1, gift=True)], 0, id="gift-free"),
        pytest.param([line(250, 12), line(999, 2, gift=True), line(100, 3)], 2700 + 300,
                     id="both-rules"),
        pytest.param([line(115, 11, gift=True), line(115, 11)], 1139, id="bulk-gift-and-rounding"),
    ],
)
def test_the_merged_total_keeps_both_rules(merged, items, total):
    source = merged.files("HEAD")["shop/pricing.py"]
    assert run_pricing(source, items) == total


def test_a_merge_commit_with_both_parents_in_order(merged):
    lab = merged
    assert lab.work_git("symbolic-ref", "HEAD").strip() == f"refs/heads/{BRANCH}"
    assert lab.parents(BRANCH) == [lab.ids["f2"], lab.ids["m2"]]
    assert lab.rev("main") == lab.rev("main", where="origin") == lab.ids["m2"]


def test_nothing_left_unresolved(merged):
    lab = merged
    assert lab.in_progress() == []
    assert lab.work_git("ls-files", "-u") == ""
    assert lab.status() == ""
    for path, text in lab.files("HEAD").items():
        for marker in ("<<<<<<<", "=======", ">>>>>>>"):
            assert marker not in text, f"{marker} left in {path}"


def test_the_rest_of_both_sides_is_merged(merged):
    lab = merged
    files = lab.files("HEAD")
    assert files["CHANGELOG.md"] == CHANGELOG
    assert files["tests/test_pricing.py"] == TEST_PRICING
    assert files["shop/cart.py"] == CART
    assert sorted(files) == sorted(lab.files(lab.ids["m2"]) | lab.files(lab.ids["f2"]))


def test_the_message_names_the_conflict(merged):
    lab = merged
    message = lab.raw_message("HEAD")
    subject, _, body = message.partition("\n\n")
    assert subject == f"Merge branch 'main' into {BRANCH}"
    lines = [text for text in body.splitlines() if not text.lstrip().startswith("#")]
    assert any("shop/pricing.py" in text for text in lines), message
    assert "conflict" in body.lower()


def test_an_unplanned_conflict_aborts_the_merge(tmp_path):
    lab = scenario(tmp_path, extra_conflict=True)
    with pytest.raises(lesson.UnexpectedConflict):
        lesson.merge_main(lab.repo)
    assert lab.in_progress() == []
    assert lab.rev("HEAD") == lab.ids["f2"]
    assert lab.status() == ""


def test_the_safe_runner_refuses_anything_but_arithmetic():
    for source in ("import os\ndef total_cents(items):\n    return 0\n",
                   "def total_cents(items):\n    return items.__class__\n",
                   "def total_cents(items):\n    return open('x')\n"):
        with pytest.raises((AssertionError, NameError)):
            run_pricing(source, [])
