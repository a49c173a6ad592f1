"""The course's grading of parametrize1_ranges: YOUR tests are run against the real parser and
against planted bugs (see suite_runner.py)."""

import pytest

from suite_runner import assert_bug_caught, assert_suite_passes, run_suite

LEARNER, SUBJECT, FIXTURE = "parametrize1_ranges", "byte_ranges", "ranges"
MINIMUM_TESTS = 30
MINIMUM_PARAMETRIZED = 25

PLANTED_BUGS = [
    ("the range unit is compared case-sensitively",
     [('unit.lower() != "bytes"', 'unit != "bytes"')]),
    ("last-pos past the end is not clamped",
     [("return (first, min(last, size - 1))", "return (first, last)")]),
    ("a first-pos equal to the size is served (off by one)",
     [("if first >= size:", "if first > size:")]),
    ("a suffix longer than the body gives a negative start",
     [("return (max(0, size - suffix), size - 1)", "return (size - suffix, size - 1)")]),
    ("a zero-length suffix is served instead of 416",
     [("        if suffix == 0:\n            raise Unsatisfiable(header)\n", "")]),
    ("last-pos before first-pos is accepted",
     [("if last is None or last < first:", "if last is None:")]),
    ("int() parses the numbers: '+5', '1_0' and non-ASCII digits pass",
     [("if text and text.isascii() and text.isdigit():\n        return int(text)\n    return None",
       "try:\n        return int(text)\n    except ValueError:\n        return None")]),
    ("several ranges: the first one is served",
     [('    if "," in spec:\n        return None\n', '    spec = spec.split(",")[0]\n')]),
    ("the suffix range is off by one",
     [("return (max(0, size - suffix), size - 1)", "return (max(0, size - suffix - 1), size - 1)")]),
    ("an open-ended range stops one byte early",
     [('    if last_text == "":\n        last = size - 1', '    if last_text == "":\n        last = size - 2')]),
    ("Content-Range counts the length instead of the last position",
     [('return f"bytes {start}-{end}/{size}"', 'return f"bytes {start}-{end + 1}/{size}"')]),
    ("the 416 Content-Range omits the star",
     [('return f"bytes */{size}"', 'return f"bytes {size}"')]),
    ("isdigit() without isascii(): non-ASCII digits pass",
     [("if text and text.isascii() and text.isdigit():", "if text and text.isdigit():")]),
    ("a leading '+' is accepted",
     [("if text and text.isascii() and text.isdigit():\n        return int(text)",
       "if text and text.isascii() and text.lstrip(\"+\").isdigit():\n        return int(text)")]),
    ("a first-pos past the end raises ValueError, not Unsatisfiable",
     [("    if first >= size:\n        raise Unsatisfiable(header)", "    if first >= size:\n        raise ValueError(header)")]),
    ("several ranges answer an empty tuple instead of None",
     [('    if "," in spec:\n        return None\n', '    if "," in spec:\n        return ()\n')]),
]


def test_your_suite_passes_against_the_real_parser(pytestconfig):
    result = run_suite(pytestconfig, LEARNER, SUBJECT, FIXTURE)
    assert_suite_passes(result, MINIMUM_TESTS)
    parametrized = [nodeid for nodeid in result.passed if nodeid.endswith("]")]
    assert len(parametrized) >= MINIMUM_PARAMETRIZED, (
        f"only {len(parametrized)} of your tests are parametrize cases; write tables "
        f"(@pytest.mark.parametrize), at least {MINIMUM_PARAMETRIZED} cases"
    )


@pytest.mark.parametrize("label, edits", PLANTED_BUGS, ids=[label for label, _ in PLANTED_BUGS])
def test_your_suite_catches_the_planted_bug(pytestconfig, label, edits):
    assert_bug_caught(run_suite(pytestconfig, LEARNER, SUBJECT, FIXTURE, edits), label)
