"""Generated mutants of a Python module, for `backendlings dev check --mutate`.

    python -I -B mutate.py < REQUEST

REQUEST is one JSON object, `{"source": TEXT}`: the reference solution of an exercise (the
module the learner writes; never its tests or support modules). The answer, on stdout, is one
JSON object: `{"baseline": TEXT, "mutants": [{"id", "line", "source"}], "syntax": null or
{"line", "message"}}`. `baseline` is the module printed from its syntax tree (`ast.unparse`),
unchanged: every mutant differs from it by exactly one change, so that a baseline that passes
shows printing kept the module's meaning. Nothing is imported or run: the module is parsed.

The operators are mutmut's and a few more (every one on the syntax tree):

| operator | what it does |
|---|---|
| comparison | `<` to `<=` and `>`, `<=` to `<` and `>=` (and the mirrored ones), `==` and `!=`, `is` and `is not`, `in` and `not in` |
| boolean | `and` and `or` swapped |
| not | `not x` becomes `x`; an `if` (or conditional expression) condition is negated |
| arithmetic | `+` and `-`, `*` and `/`, `//` to `/`, `%` to `/`, `**` to `*`, `<<` and `>>`, `&` and `|`, `^` to `&`, in expressions and in augmented assignments (`+=`); unary `-x` becomes `x` |
| number | an int or float constant plus 1 and minus 1 |
| string | a string (or bytes) constant `s` becomes `"XX" s "XX"` (docstrings are left alone) |
| constant | `True` and `False` swapped, `None` becomes `""` |
| return | `return x` becomes `return None` |
| body | a function's whole body (its docstring kept) replaced by a default: `return None` (`pass` for `-> None`), or per its return annotation `return False`/`True`, `0`/`1`, `""`, `[]`, `{}`, `set()`, `()` |
| delete | a call statement (`f(x)`, `await f(x)`), an assignment (not in a `while` loop, where it may be the loop's progress), a `raise`, an `assert` or a `del` becomes `pass` |
| keyword | a keyword argument of a call dropped (`Field(min_length=1)` becomes `Field()`) |
| loop | `break` and `continue` swapped |
| decorator | a decorator of a function or class removed |
| bounds | a slice bound or a `range()` argument that is not a number constant plus 1 and minus 1 |
| default | a parameter's default that is not a constant becomes `None` (constants are changed by the operators above) |

Left alone: annotations (they are types, not behaviour; a type-checked exercise's checker
reads them), docstrings, the message of an `assert`, the ids of `pytest.param(id=...)` and
`parametrize(ids=...)` (names in a report, not behaviour), `if TYPE_CHECKING:` and `if __name__ == "__main__":` blocks, the name
given to `TypeVar`/`NewType`/`NamedTuple`-like calls, the bodies of `@overload` stubs and of
functions that are only `...` or `pass`, and `while` conditions (the loop then either never runs
or never ends, which says nothing about the tests).

Each mutant's id names where and what, never a line number, so that it survives edits elsewhere
in the file: `Cart.total: replace < with <= in `qty < limit``. The place is the dotted path of
the enclosing classes and functions (`(top level)` outside them); identical changes in one place
are told apart by their order (` (#2)`).
"""

import ast
import json
import sys

# The longest piece of code an id quotes; longer ones are cut in the middle.
ID_CODE_CHARS = 60

COMPARISONS = {
    ast.Lt: [ast.LtE, ast.Gt],
    ast.LtE: [ast.Lt, ast.GtE],
    ast.Gt: [ast.GtE, ast.Lt],
    ast.GtE: [ast.Gt, ast.LtE],
    ast.Eq: [ast.NotEq],
    ast.NotEq: [ast.Eq],
    ast.Is: [ast.IsNot],
    ast.IsNot: [ast.Is],
    ast.In: [ast.NotIn],
    ast.NotIn: [ast.In],
}

ARITHMETIC = {
    ast.Add: [ast.Sub],
    ast.Sub: [ast.Add],
    ast.Mult: [ast.Div],
    ast.Div: [ast.Mult],
    ast.FloorDiv: [ast.Div],
    ast.Mod: [ast.Div],
    ast.Pow: [ast.Mult],
    ast.LShift: [ast.RShift],
    ast.RShift: [ast.LShift],
    ast.BitAnd: [ast.BitOr],
    ast.BitOr: [ast.BitAnd],
    ast.BitXor: [ast.BitAnd],
}

SYMBOLS = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
    ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in", ast.Add: "+",
    ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**",
    ast.LShift: "<<", ast.RShift: ">>", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
    ast.MatMult: "@", ast.And: "and", ast.Or: "or",
}

# Calls whose first argument is the name of what they define, not data.
NAMING_CALLS = {
    "TypeVar", "ParamSpec", "TypeVarTuple", "NewType", "NamedTuple", "namedtuple", "TypedDict",
    "Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "ContextVar", "getLogger",
}

# Keyword arguments that only name something (a test's id in a report), never behaviour.
NAMING_KEYWORDS = {"param": {"id"}, "parametrize": {"ids"}}

# What a function's body becomes, by the name its return annotation starts with.
DEFAULTS = {
    "bool": ["False", "True"],
    "int": ["0", "1"],
    "float": ["0.0", "1.0"],
    "str": ['""'],
    "bytes": ['b""'],
    "list": ["[]"], "List": ["[]"], "Sequence": ["[]"], "Iterable": ["[]"], "Iterator": ["iter([])"],
    "dict": ["{}"], "Dict": ["{}"], "Mapping": ["{}"],
    "set": ["set()"], "Set": ["set()"], "frozenset": ["frozenset()"], "FrozenSet": ["frozenset()"],
    "tuple": ["()"], "Tuple": ["()"],
}


def code(node):
    """`node` as an id quotes it: one line, cut in the middle when long."""
    text = " ".join(ast.unparse(node).split())
    if len(text) <= ID_CODE_CHARS:
        return text
    half = (ID_CODE_CHARS - 3) // 2
    return text[:half].rstrip() + "..." + text[-half:].lstrip()


def name_of(node):
    """The last name of a dotted expression (`typing.TypeVar` is `TypeVar`), or None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return name_of(node.func)
    return None


def is_docstring(statement):
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def is_number(node):
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, (int, float))
        and not isinstance(node.value, bool)
    )


def is_ellipsis_body(body):
    rest = body[1:] if body and is_docstring(body[0]) else body
    return all(
        isinstance(s, ast.Pass)
        or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) and s.value.value is ...)
        for s in rest
    )


def skipped_block(statement):
    """`if TYPE_CHECKING:` and `if __name__ == "__main__":`: not what the tests run."""
    if not isinstance(statement, ast.If):
        return False
    test = statement.test
    if name_of(test) == "TYPE_CHECKING":
        return True
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
    )


def parse_expr(text):
    return ast.parse(text, mode="eval").body


def negated(test):
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return test.operand
    return ast.UnaryOp(op=ast.Not(), operand=test)


def shifted(node, delta):
    op = ast.Add() if delta > 0 else ast.Sub()
    return ast.BinOp(left=node, op=op, right=ast.Constant(1))


class Site:
    """One change: `apply` makes it in the tree, `undo` takes it back."""

    def __init__(self, path, change, line, apply, undo):
        self.path = path
        self.change = change
        self.line = line
        self.apply = apply
        self.undo = undo


def replace_field(owner, field, new, index=None):
    """A change that sets `owner.field` (or `owner.field[index]`) to `new`, and its undo."""
    if index is None:
        old = getattr(owner, field)

        def apply():
            setattr(owner, field, new)

        def undo():
            setattr(owner, field, old)
    else:
        items = getattr(owner, field)
        old = items[index]

        def apply():
            items[index] = new

        def undo():
            items[index] = old
    return apply, undo


class Collector:
    """Walks the module in a fixed order and records every site."""

    def __init__(self):
        self.sites = []
        self.path = []
        self.whiles = 0

    def add(self, node, change, apply_undo):
        apply, undo = apply_undo
        where = ".".join(self.path) if self.path else "(top level)"
        self.sites.append(Site(where, change, getattr(node, "lineno", 0), apply, undo))

    # ---- statements ----

    def body(self, owner, field):
        statements = getattr(owner, field)
        for index, statement in enumerate(list(statements)):
            if index == 0 and is_docstring(statement) and field == "body":
                continue
            if skipped_block(statement):
                continue
            self.delete(owner, field, index, statement)
            self.statement(statement)

    def delete(self, owner, field, index, statement):
        if isinstance(statement, ast.Expr):
            value = statement.value
            if isinstance(value, ast.Await):
                value = value.value
            deletable = isinstance(value, ast.Call)
        elif isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            # In a `while` loop an assignment may be the loop's progress: deleting it makes a
            # loop that never ends, which says nothing about the tests.
            deletable = self.whiles == 0 and getattr(statement, "value", None) is not None
        else:
            deletable = isinstance(statement, (ast.Raise, ast.Assert, ast.Delete))
        if deletable:
            self.add(
                statement,
                f"delete `{code(statement)}`",
                replace_field(owner, field, ast.Pass(), index),
            )
        elif isinstance(statement, (ast.Break, ast.Continue)):
            written = "break" if isinstance(statement, ast.Break) else "continue"
            other = "continue" if written == "break" else "break"
            swap = ast.Continue() if written == "break" else ast.Break()
            self.add(
                statement,
                f"replace {written} with {other}",
                replace_field(owner, field, swap, index),
            )

    def statement(self, node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.function(node)
        elif isinstance(node, ast.ClassDef):
            self.decorators(node)
            for base in node.bases:
                self.expr(base)
            for keyword in node.keywords:
                self.expr(keyword.value)
            self.path.append(node.name)
            self.body(node, "body")
            self.path.pop()
        elif isinstance(node, ast.Return):
            if node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None
            ):
                self.add(
                    node,
                    f"replace `{code(node)}` with `return None`",
                    replace_field(node, "value", None),
                )
                self.expr(node.value)
        elif isinstance(node, ast.If):
            self.add(
                node,
                f"negate if `{code(node.test)}`",
                replace_field(node, "test", negated(node.test)),
            )
            self.expr(node.test)
            self.body(node, "body")
            self.body(node, "orelse")
        elif isinstance(node, ast.While):
            self.whiles += 1
            self.expr(node.test, negate=False)
            self.body(node, "body")
            self.whiles -= 1
            self.body(node, "orelse")
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self.expr(node.iter)
            self.body(node, "body")
            self.body(node, "orelse")
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.expr(item.context_expr)
            self.body(node, "body")
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            self.body(node, "body")
            for handler in node.handlers:
                if handler.type is not None:
                    self.expr(handler.type)
                self.body(handler, "body")
            self.body(node, "orelse")
            self.body(node, "finalbody")
        elif isinstance(node, ast.Match):
            self.expr(node.subject)
            for case in node.cases:
                if case.guard is not None:
                    self.expr(case.guard)
                self.body(case, "body")
        elif isinstance(node, ast.Assign):
            self.expr(node.value)
        elif isinstance(node, ast.AugAssign):
            self.operator(node, f"`{code(node)}`", ARITHMETIC, suffix="=")
            self.expr(node.value)
        elif isinstance(node, ast.AnnAssign):
            self.annotation(node.annotation)
            if node.value is not None:
                self.expr(node.value)
        elif isinstance(node, ast.Assert):
            # Its message is not graded: only its test is.
            self.expr(node.test)
        elif isinstance(node, (ast.Expr, ast.Raise, ast.Delete)):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.expr(child)

    def decorators(self, node):
        for index, decorator in enumerate(node.decorator_list):
            kept = node.decorator_list[:index] + node.decorator_list[index + 1:]
            self.add(
                decorator,
                f"remove decorator `@{code(decorator)}`",
                replace_field(node, "decorator_list", kept),
            )
            self.expr(decorator)

    def function(self, node):
        overload = any(name_of(d) == "overload" for d in node.decorator_list)
        self.decorators(node)
        arguments = node.args
        self.path.append(node.name)
        positional = arguments.posonlyargs + arguments.args
        defaults = list(zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults))
        defaults = [(a, d, "defaults", i) for i, (a, d) in enumerate(defaults)]
        defaults += [
            (a, d, "kw_defaults", i)
            for i, (a, d) in enumerate(zip(arguments.kwonlyargs, arguments.kw_defaults))
            if d is not None
        ]
        every = arguments.posonlyargs + arguments.args + arguments.kwonlyargs
        every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
        for argument in every:
            self.annotation(argument.annotation)
        for argument, default, field, index in defaults:
            if isinstance(default, ast.Constant) or is_number(default):
                self.expr(default)
            else:
                self.add(
                    default,
                    f"replace default `{argument.arg}={code(default)}` with None",
                    replace_field(arguments, field, ast.Constant(None), index),
                )
                self.expr(default)
        if not overload and not is_ellipsis_body(node.body):
            self.whole_body(node)
        if not overload:
            saved = self.whiles
            self.whiles = 0
            self.body(node, "body")
            self.whiles = saved
        self.path.pop()

    def whole_body(self, node):
        docstring = node.body[:1] if is_docstring(node.body[0]) else []
        written = node.body[len(docstring):]
        for text in body_defaults(node.returns):
            statement = ast.Pass() if text == "pass" else ast.Return(value=parse_expr(text))
            if len(written) == 1 and ast.dump(written[0]) == ast.dump(statement):
                continue
            shown = "pass" if text == "pass" else f"return {text}"
            self.add(node, f"replace body with `{shown}`", replace_field(node, "body", docstring + [statement]))

    # ---- expressions ----

    def operator(self, node, shown, table, suffix=""):
        kind = type(node.op)
        for replacement in table.get(kind, []):
            self.add(
                node,
                f"replace {SYMBOLS[kind]}{suffix} with {SYMBOLS[replacement]}{suffix} in {shown}",
                replace_field(node, "op", replacement()),
            )

    def expr(self, node, negate=True):
        """The sites of an expression, in the order of the source."""
        if node is None:
            return
        if isinstance(node, ast.Compare):
            for index, op in enumerate(node.ops):
                kind = type(op)
                right = node.comparators[index]
                if kind in (ast.Is, ast.IsNot) and isinstance(right, ast.Constant):
                    table = {kind: COMPARISONS[kind]}
                else:
                    table = COMPARISONS
                for replacement in table.get(kind, []):
                    self.add(
                        node,
                        f"replace {SYMBOLS[kind]} with {SYMBOLS[replacement]} in `{code(node)}`",
                        replace_field(node, "ops", replacement(), index),
                    )
            self.expr(node.left)
            for comparator in node.comparators:
                if isinstance(comparator, ast.Constant) and comparator.value is None:
                    continue
                self.expr(comparator)
            return
        if isinstance(node, ast.BoolOp):
            other = ast.Or if isinstance(node.op, ast.And) else ast.And
            self.add(
                node,
                f"replace {SYMBOLS[type(node.op)]} with {SYMBOLS[other]} in `{code(node)}`",
                replace_field(node, "op", other()),
            )
            for value in node.values:
                self.expr(value)
            return
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Mod) and isinstance(node.left, (ast.Constant, ast.JoinedStr)) and isinstance(
                getattr(node.left, "value", None), str
            ):
                pass  # `"%s" % x` formats: `/` on a string says nothing
            else:
                self.operator(node, f"`{code(node)}`", ARITHMETIC)
            self.expr(node.left)
            self.expr(node.right)
            return
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                self.add(
                    node,
                    f"delete not in `{code(node)}`",
                    self.replace_self(node, node.operand),
                )
            elif isinstance(node.op, ast.USub) and not is_number(node):
                self.add(
                    node,
                    f"delete - in `{code(node)}`",
                    self.replace_self(node, node.operand),
                )
            if is_number(node):
                self.number(node.operand, negative=isinstance(node.op, ast.USub))
                return
            self.expr(node.operand)
            return
        if isinstance(node, ast.IfExp):
            self.add(
                node,
                f"negate if `{code(node.test)}` in `{code(node)}`",
                replace_field(node, "test", negated(node.test)),
            )
            self.expr(node.test)
            self.expr(node.body)
            self.expr(node.orelse)
            return
        if isinstance(node, ast.Constant):
            self.constant(node)
            return
        if isinstance(node, ast.JoinedStr):
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    self.expr(value.value)
            return
        if isinstance(node, ast.Call):
            self.call(node)
            return
        if isinstance(node, ast.Subscript):
            self.expr(node.value)
            if name_of(node.value) in ("Literal", "Annotated"):
                self.annotation(node)
                return
            if isinstance(node.slice, ast.Slice):
                self.slice(node.slice)
            else:
                self.expr(node.slice)
            return
        if isinstance(node, ast.Lambda):
            self.path.append("<lambda>")
            self.expr(node.body)
            self.path.pop()
            return
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            for generator in node.generators:
                self.expr(generator.iter)
                for condition in generator.ifs:
                    self.expr(condition)
            if isinstance(node, ast.DictComp):
                self.expr(node.key)
                self.expr(node.value)
            else:
                self.expr(node.elt)
            return
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expr(child)
            elif isinstance(child, ast.keyword):
                self.expr(child.value)

    def annotation(self, node):
        """An annotation is a type, but frameworks read parts of it as behaviour: the calls
        in it (`Annotated[int, Field(ge=1)]`, `Query(max_length=50)`, `Depends(get_db)`) and
        the values of a `Literal[...]` (pydantic validates them). Only those are changed."""
        if node is None:
            return
        if isinstance(node, ast.Call):
            self.call(node)
            return
        if isinstance(node, ast.Subscript) and name_of(node.value) == "Literal":
            values = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            for value in values:
                if isinstance(value, ast.Constant) and not isinstance(value.value, bool):
                    self.constant(value)
            return
        if isinstance(node, ast.Subscript) and name_of(node.value) == "Annotated":
            parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            self.annotation(parts[0])
            for part in parts[1:]:
                self.expr(part)
            return
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.annotation(child)

    def replace_self(self, node, new):
        """Replaces `node` in place by copying `new`'s fields into it (and back)."""
        old_type = node.__class__
        old = {f: getattr(node, f, None) for f in node._fields}
        new_type = new.__class__
        new_fields = {f: getattr(new, f, None) for f in new._fields}

        def apply():
            for f in old:
                delattr(node, f) if hasattr(node, f) else None
            node.__class__ = new_type
            for f, v in new_fields.items():
                setattr(node, f, v)

        def undo():
            for f in new_fields:
                delattr(node, f) if hasattr(node, f) else None
            node.__class__ = old_type
            for f, v in old.items():
                setattr(node, f, v)

        return apply, undo

    def call(self, node):
        callee = name_of(node.func)
        self.expr(node.func)
        for index, argument in enumerate(node.args):
            if index == 0 and callee in NAMING_CALLS and isinstance(argument, ast.Constant):
                continue
            if callee == "range" and not is_number(argument) and not isinstance(argument, ast.Starred):
                for delta in (1, -1):
                    sign = "+" if delta > 0 else "-"
                    self.add(
                        argument,
                        f"replace `{code(argument)}` with `{code(argument)} {sign} 1` in `{code(node)}`",
                        replace_field(node, "args", shifted(argument, delta), index),
                    )
            self.expr(argument)
        for index, keyword in enumerate(node.keywords):
            if callee in NAMING_KEYWORDS and keyword.arg in NAMING_KEYWORDS[callee]:
                continue
            if keyword.arg is not None:
                kept = node.keywords[:index] + node.keywords[index + 1:]
                self.add(
                    keyword,
                    f"drop keyword argument `{keyword.arg}={code(keyword.value)}` of `{code(node.func)}`",
                    replace_field(node, "keywords", kept),
                )
            self.expr(keyword.value)

    def slice(self, node):
        for field in ("lower", "upper"):
            bound = getattr(node, field)
            if bound is None:
                continue
            if not is_number(bound):
                for delta in (1, -1):
                    sign = "+" if delta > 0 else "-"
                    self.add(
                        bound,
                        f"replace slice bound `{code(bound)}` with `{code(bound)} {sign} 1`",
                        replace_field(node, field, shifted(bound, delta)),
                    )
            self.expr(bound)
        self.expr(node.step)

    def constant(self, node):
        value = node.value
        if value is True or value is False:
            self.add(
                node,
                f"replace {value} with {not value}",
                replace_field(node, "value", not value),
            )
        elif value is None:
            self.add(node, 'replace None with ""', replace_field(node, "value", ""))
        elif isinstance(value, (int, float)):
            self.number(node, negative=False)
        elif isinstance(value, str):
            self.add(
                node,
                f"replace {code(node)} with {code(ast.Constant('XX' + value + 'XX'))}",
                replace_field(node, "value", "XX" + value + "XX"),
            )
        elif isinstance(value, bytes):
            self.add(
                node,
                f"replace {code(node)} with {code(ast.Constant(b'XX' + value + b'XX'))}",
                replace_field(node, "value", b"XX" + value + b"XX"),
            )

    def number(self, node, negative):
        value = node.value
        for delta in (1, -1):
            # `-5` is `-(5)`: plus one on what is written is minus one on the constant.
            changed = value - delta if negative else value + delta
            written = f"-{value!r}" if negative else repr(value)
            shown = f"-{changed!r}" if negative else repr(changed)
            if negative and changed < 0:
                continue
            self.add(
                node,
                f"replace {written} with {shown}",
                replace_field(node, "value", changed),
            )


def body_defaults(returns):
    """What a function's body may be replaced by, from its return annotation."""
    if returns is None:
        return ["None"]
    if isinstance(returns, ast.Constant) and returns.value is None:
        return ["pass"]
    if isinstance(returns, ast.Constant) and isinstance(returns.value, str):
        try:
            returns = parse_expr(returns.value)
        except SyntaxError:
            return ["None"]
    if isinstance(returns, ast.BinOp) and isinstance(returns.op, ast.BitOr):
        # `X | None`: None is one of its values.
        return ["None"]
    head = returns.value if isinstance(returns, ast.Subscript) else returns
    name = name_of(head)
    if name == "Optional":
        return ["None"]
    return DEFAULTS.get(name, ["None"])


def mutants(source):
    tree = ast.parse(source)
    baseline = ast.unparse(tree)
    collector = Collector()
    collector.body(tree, "body")
    seen = {}
    found = []
    for site in collector.sites:
        key = f"{site.path}: {site.change}"
        seen[key] = seen.get(key, 0) + 1
        identifier = key if seen[key] == 1 else f"{key} (#{seen[key]})"
        site.apply()
        try:
            text = ast.unparse(tree)
        finally:
            site.undo()
        if text == baseline:
            continue
        found.append({"id": identifier, "line": site.line, "source": text + "\n"})
    return baseline + "\n", found


def answer(request):
    source = request["source"]
    try:
        baseline, found = mutants(source)
    except SyntaxError as err:
        return {
            "baseline": None,
            "mutants": [],
            "syntax": {"line": err.lineno or 0, "message": err.msg or "invalid syntax"},
        }
    return {"baseline": baseline, "mutants": found, "syntax": None}


def main():
    request = json.loads(sys.stdin.read())
    sys.stdout.write(json.dumps(answer(request)))


if __name__ == "__main__":
    main()
