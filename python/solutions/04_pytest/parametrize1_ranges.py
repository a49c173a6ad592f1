"""Table-driven tests for the HTTP Range parser (reference solution)."""

import pytest

SIZE = 10000


@pytest.mark.parametrize(
    "header, expected",
    [
        pytest.param("bytes=0-499", (0, 499), id="first-500"),
        pytest.param("bytes=500-999", (500, 999), id="second-500"),
        pytest.param("bytes=0-0", (0, 0), id="one-byte"),
        pytest.param("bytes=9999-9999", (9999, 9999), id="last-byte"),
        pytest.param("bytes=9500-", (9500, 9999), id="open-ended"),
        pytest.param("bytes=0-", (0, 9999), id="open-ended-all"),
        pytest.param("bytes=-500", (9500, 9999), id="suffix"),
        pytest.param("bytes=-1", (9999, 9999), id="suffix-1"),
        pytest.param("bytes=-10000", (0, 9999), id="suffix-exact"),
        pytest.param("bytes=-20000", (0, 9999), id="suffix-longer-than-body"),
        pytest.param("bytes=9000-20000", (9000, 9999), id="last-clamped"),
        pytest.param("bytes=0-10000", (0, 9999), id="last-one-past-end-clamped"),
        pytest.param("Bytes=0-9", (0, 9), id="unit-case-insensitive"),
        pytest.param("BYTES=0-9", (0, 9), id="unit-upper"),
        pytest.param(" bytes=0-9 ", (0, 9), id="outer-whitespace"),
    ],
)
def test_satisfiable_ranges(ranges, header, expected):
    assert ranges.parse_range(header, SIZE) == expected


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(None, id="no-header"),
        pytest.param("items=0-9", id="other-unit"),
        pytest.param("bytes 0-9", id="no-equals"),
        pytest.param("bytes=", id="empty-spec"),
        pytest.param("bytes=-", id="only-dash"),
        pytest.param("bytes=5", id="no-dash"),
        pytest.param("bytes=500-499", id="last-before-first"),
        pytest.param("bytes=0-499,1000-1499", id="two-ranges"),
        pytest.param("bytes=0-1,", id="trailing-comma"),
        pytest.param("bytes=+5-9", id="plus-sign"),
        pytest.param("bytes=0-+9", id="plus-sign-last"),
        pytest.param("bytes=-+5", id="plus-sign-suffix"),
        pytest.param("bytes=1_0-20", id="underscore"),
        pytest.param("bytes=\u0661-9", id="non-ascii-digit"),
        pytest.param("bytes= 0-9", id="inner-space"),
        pytest.param("bytes=a-b", id="letters"),
    ],
)
def test_ignored_headers_serve_the_whole_body(ranges, header):
    assert ranges.parse_range(header, SIZE) is None


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("bytes=10000-", id="first-at-size"),
        pytest.param("bytes=10000-10005", id="first-at-size-closed"),
        pytest.param("bytes=20000-30000", id="far-past-end"),
        pytest.param("bytes=-0", id="empty-suffix"),
    ],
)
def test_unsatisfiable_ranges(ranges, header):
    with pytest.raises(ranges.Unsatisfiable):
        ranges.parse_range(header, SIZE)


@pytest.mark.parametrize(
    "size, header, expected",
    [
        pytest.param(1, "bytes=0-0", (0, 0), id="size1-first"),
        pytest.param(1, "bytes=-5", (0, 0), id="size1-suffix"),
        pytest.param(1, "bytes=0-", (0, 0), id="size1-open"),
    ],
)
def test_tiny_representation(ranges, size, header, expected):
    assert ranges.parse_range(header, size) == expected


@pytest.mark.parametrize(
    "start, end, size, expected",
    [
        pytest.param(0, 499, 10000, "bytes 0-499/10000", id="cr-first"),
        pytest.param(9999, 9999, 10000, "bytes 9999-9999/10000", id="cr-last"),
    ],
)
def test_content_range(ranges, start, end, size, expected):
    assert ranges.content_range(start, end, size) == expected


def test_unsatisfied_range(ranges):
    assert ranges.unsatisfied_range(10000) == "bytes */10000"
