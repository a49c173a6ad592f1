"""Table-driven tests with @pytest.mark.parametrize: pin down an HTTP Range parser.

This time YOU write the tests. `byte_ranges.py` (next to this file) implements RFC 9110 range
requests; read its docstring: it is the specification. The course runs your tests against it
(they must all pass) and then against sixteen copies of it with one realistic bug planted in
each (a test of yours must fail for every one of them). See suite_runner.py for how.

The module under test reaches your tests as the fixture `ranges` (the course provides it; graded
code cannot import it): ask for it as a parameter and call `ranges.parse_range(...)`,
`ranges.Unsatisfiable`, `ranges.content_range(...)`, `ranges.unsatisfied_range(...)`.

One test per case does not scale; a TABLE does:

    @pytest.mark.parametrize(
        "header, expected",
        [
            pytest.param("bytes=0-499", (0, 499), id="first-500"),
            ...
        ],
    )
    def test_satisfiable_ranges(ranges, header, expected):
        assert ranges.parse_range(header, SIZE) == expected

Each row is its own test, reported with its id (`test_satisfiable_ranges[first-500]`). Docs:
https://docs.pytest.org/en/stable/how-to/parametrize.html , and `pytest.raises` for the 416 cases:
https://docs.pytest.org/en/stable/how-to/assert.html#assertions-about-expected-exceptions

Where do bugs live? At the BOUNDARIES: the first and the last byte, exactly at the size and one
past it, the empty suffix, the grammar's edges (what `int()` accepts that the RFC does not), the
case rules, the cases the server must ignore. Write at least 30 tests, 25 of them parametrize
cases, and cover parse_range, content_range and unsatisfied_range.
"""

import pytest

SIZE = 10000


@pytest.mark.parametrize(
    "header, expected",
    [
        pytest.param("bytes=0-499", (0, 499), id="first-500"),
        # TODO: many more rows: the boundaries
    ],
)
def test_satisfiable_ranges(ranges, header, expected):
    assert ranges.parse_range(header, SIZE) == expected


# TODO: the headers the server ignores (None), the unsatisfiable ones (pytest.raises),
# content_range and unsatisfied_range (`with pytest.raises(ranges.Unsatisfiable): ...`).
