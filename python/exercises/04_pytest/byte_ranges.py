"""Course code (read it, do not edit it): the HTTP Range parser your tests must pin down.

RFC 9110 section 14 (range requests). A client asks for part of a representation:

    Range: bytes=0-499        the first 500 bytes (first-pos "-" last-pos, both inclusive)
    Range: bytes=9500-        from byte 9500 to the end
    Range: bytes=-500         the LAST 500 bytes (a suffix range)

`parse_range(header, size)` decides what a server answers for a representation of `size` bytes
(size >= 1):

- None: ignore the Range header and answer 200 with the whole body. That is the answer for no
  header, a range unit other than "bytes" (units are case-insensitive, section 14.1), a header
  that does not follow the grammar (digits are ASCII digits only), a range whose last-pos is less
  than its first-pos (invalid, section 14.1.1), and a request for several ranges (this server
  does not do multipart/byteranges; a server MAY ignore Range, section 14.2).
- (start, end), inclusive: answer 206 Partial Content with those bytes. A last-pos at or past
  the end is clamped to size - 1; a suffix longer than the representation means all of it.
- raises Unsatisfiable: answer 416 Range Not Satisfiable. A first-pos at or past the end (the
  last byte is size - 1), or a suffix of length 0 (section 14.1.1: a suffix-range is satisfiable
  only if its length is non-zero).

`content_range(start, end, size)` is the Content-Range header of a 206: "bytes 0-499/10000";
`unsatisfied_range(size)` the one of a 416: "bytes */10000" (section 14.4).
"""


class Unsatisfiable(Exception):
    """The request's range cannot be served: answer 416 with unsatisfied_range(size)."""


def _number(text):
    if text and text.isascii() and text.isdigit():
        return int(text)
    return None


def parse_range(header, size):
    if header is None:
        return None
    unit, sep, spec = header.strip().partition("=")
    if not sep or unit.lower() != "bytes":
        return None
    if "," in spec:
        return None
    first_text, dash, last_text = spec.partition("-")
    if not dash:
        return None
    if first_text == "":
        suffix = _number(last_text)
        if suffix is None:
            return None
        if suffix == 0:
            raise Unsatisfiable(header)
        return (max(0, size - suffix), size - 1)
    first = _number(first_text)
    if first is None:
        return None
    if last_text == "":
        last = size - 1
    else:
        last = _number(last_text)
        if last is None or last < first:
            return None
    if first >= size:
        raise Unsatisfiable(header)
    return (first, min(last, size - 1))


def content_range(start, end, size):
    return f"bytes {start}-{end}/{size}"


def unsatisfied_range(size):
    return f"bytes */{size}"
