"""The course's Dockerfile and .dockerignore readers for devops1_dockerfile (read it, do not edit
it). The tests judge your text with these, without Docker.

`parse(text)` follows the Dockerfile reference (https://docs.docker.com/reference/dockerfile/):
parser directives and comments (`#` at the start of a line, also inside a continued
instruction), line continuations (a `\\` at the end of a line), instructions case-insensitive,
`--flag=value` options, the JSON (exec) form `["a", "b"]` versus the shell form, global `ARG`s
before the first `FROM`, and build stages (`FROM image [AS name]`). Heredocs (`<<EOF`) are not
supported: the tests refuse them.

`ignored(patterns, path)` follows the .dockerignore rules
(https://docs.docker.com/build/concepts/context/#dockerignore-files): patterns are matched against
the path relative to the context root with Go's `filepath.Match` (`*` and `?` never cross a `/`)
plus `**` (any number of directories); a leading `/` is dropped; a path is also excluded when one
of its parent directories matches; `!` re-includes; the last matching line wins.
"""

import json
import re
import shlex
from dataclasses import dataclass, field


@dataclass
class Instruction:
    keyword: str  # upper case: FROM, RUN, COPY, ...
    flags: dict[str, str | None]  # --from=builder -> {"from": "builder"}
    args: str  # the rest, after the flags, continuation lines joined with spaces
    line: int  # where it starts (1-based)

    @property
    def exec_form(self) -> list[str] | None:
        """The JSON array form (`CMD ["a", "b"]`), or None for the shell form."""
        text = self.args.strip()
        if not text.startswith("["):
            return None
        try:
            value = json.loads(text)
        except ValueError:
            return None
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return value
        return None


@dataclass
class Stage:
    index: int
    image: str  # the FROM's image reference (or an earlier stage's name)
    name: str | None  # the AS name, lower case
    from_flags: dict[str, str | None]
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]


@dataclass
class Dockerfile:
    global_args: list[Instruction]
    stages: list[Stage]


class DockerfileError(ValueError):
    pass


def logical_lines(text: str) -> list[tuple[int, str]]:
    lines = text.split("\n")
    result: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    in_directives = True
    for number, raw in enumerate(lines, 1):
        stripped = raw.strip()
        if not current:
            if in_directives and re.match(r"#\s*[a-zA-Z]+\s*=", stripped):
                continue  # a parser directive (syntax=, escape=, check=)
            if stripped.startswith("#") or not stripped:
                if stripped:
                    in_directives = False
                continue
            in_directives = False
            start = number
        elif stripped.startswith("#"):
            continue  # comments inside a continued instruction are dropped
        elif not stripped:
            continue  # empty continuation lines are dropped
        if re.search(r"(?<!\\)\\\s*$", raw):
            current.append(re.sub(r"\\\s*$", "", raw).strip())
            continue
        current.append(stripped)
        result.append((start, " ".join(part for part in current if part)))
        current = []
    if current:
        result.append((start, " ".join(part for part in current if part)))
    return result


def split_flags(rest: str) -> tuple[dict[str, str | None], str]:
    flags: dict[str, str | None] = {}
    while True:
        match = re.match(r"--([a-zA-Z][a-zA-Z0-9-]*)(?:=(\S*))?\s*", rest)
        if not match:
            return flags, rest
        flags[match.group(1).lower()] = match.group(2)
        rest = rest[match.end():]


def parse(text: str) -> Dockerfile:
    global_args: list[Instruction] = []
    stages: list[Stage] = []
    for line, content in logical_lines(text):
        keyword, _, rest = content.partition(" ")
        keyword = keyword.upper()
        if "<<" in rest and keyword in ("RUN", "COPY"):
            raise DockerfileError(f"line {line}: heredocs are not supported by the course's parser")
        flags, args = split_flags(rest.strip())
        instruction = Instruction(keyword, flags, args.strip(), line)
        if keyword == "FROM":
            words = args.split()
            if not words:
                raise DockerfileError(f"line {line}: FROM without an image")
            name = None
            if len(words) == 3 and words[1].upper() == "AS":
                name = words[2].lower()
            elif len(words) != 1:
                raise DockerfileError(f"line {line}: FROM image [AS name]")
            stages.append(Stage(len(stages), words[0], name, flags))
        elif not stages:
            if keyword != "ARG":
                raise DockerfileError(f"line {line}: only ARG may come before the first FROM")
            global_args.append(instruction)
        else:
            stages[-1].instructions.append(instruction)
    if not stages:
        raise DockerfileError("no FROM: a Dockerfile needs at least one stage")
    return Dockerfile(global_args, stages)


def key_values(instruction: Instruction) -> list[tuple[str, str | None]]:
    """ENV and ARG as (name, value) pairs: `ENV A=1 B="x y"`, legacy `ENV A 1`, `ARG A[=d]`."""
    text = instruction.args
    if instruction.keyword == "ENV" and "=" not in text.split(" ", 1)[0]:
        name, _, value = text.partition(" ")
        return [(name, value.strip())]
    pairs: list[tuple[str, str | None]] = []
    for word in shlex.split(text, posix=True):
        name, equals, value = word.partition("=")
        pairs.append((name, value if equals else None))
    return pairs


def from_image(dockerfile: Dockerfile, stage: Stage) -> str:
    """The stage's FROM image with the global ARGs' defaults substituted (`FROM
    python:${PY_VERSION}-slim` after `ARG PY_VERSION=3.12.8`), as Docker does."""
    defaults: dict[str, str] = {}
    for instruction in dockerfile.global_args:
        for name, value in key_values(instruction):
            if value is not None:
                defaults[name] = value

    def substitute(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        return defaults.get(name, "")

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)", substitute, stage.image)


@dataclass
class ImageRef:
    name: str  # registry/repository, e.g. "python" or "gcr.io/distroless/python3"
    tag: str | None
    digest: str | None  # "sha256:<64 hex>"


def image_ref(reference: str) -> ImageRef:
    name, _, digest = reference.partition("@")
    tag = None
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        name, tag = name[:colon], name[colon + 1:]
    return ImageRef(name, tag, digest or None)


def patterns(dockerignore: str) -> list[str]:
    found = []
    for raw in dockerignore.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            found.append(line)
    return found


def _regex(pattern: str) -> re.Pattern:
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1:end]
                if body.startswith("^") or body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        elif c == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


def _clean(pattern: str) -> str:
    parts: list[str] = []
    for part in pattern.strip().split("/"):
        if part in ("", "."):
            continue
        if part == ".." and parts:
            parts.pop()
            continue
        parts.append(part)
    return "/".join(parts)


def ignored(pattern_lines: list[str], path: str) -> bool:
    """Whether `path` (relative to the context, `/`-separated) is left out of the context."""
    parents = []
    pieces = path.strip("/").split("/")
    for n in range(1, len(pieces) + 1):
        parents.append("/".join(pieces[:n]))
    excluded = False
    for raw in pattern_lines:
        negate = raw.startswith("!")
        pattern = _clean(raw[1:] if negate else raw)
        if not pattern:
            continue
        regex = _regex(pattern)
        if any(regex.match(candidate) for candidate in parents):
            excluded = not negate
    return excluded
