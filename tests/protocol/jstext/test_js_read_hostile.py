"""Hostile JS text: everything outside seroval's output language is refused, cleanly.

Each family below is generated programmatically and placed in several contexts
(top level, inside an array, an object, the vanilla IIFE, a cross-mode ``$R``
assignment).  Every input must raise a :class:`~seroval.protocol.errors.SerovalError`
(nothing else may escape: no ``RecursionError``, ``KeyError``, ``ValueError``...)
that carries the line and column of the offending text.  Then: a megabyte of
nesting fails fast, and the reader's time grows linearly with the input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

import seroval as S
from seroval.protocol.jstext import helpers, helpers_legacy
from seroval.protocol.jstext.parser import Parser
from seroval.protocol.jstext.reader import CrossDeserializer, deserialize
from seroval.protocol.model.references import get_reference

from ...conftest import PLUGINS

#: Run on both backends: the native readers and writers, and the pure ones.
pytestmark = pytest.mark.usefixtures("each_backend")

AB = helpers.ARRAY_BUFFER_CONSTRUCTOR
PCTOR = helpers.PROMISE_CONSTRUCTOR
ITER = helpers.ITERATOR_FACTORY

S.create_reference("hostile/ref", {"untouchable": True})

# -- families of expressions that are not seroval's language ----------------------

CALLS = [
    'eval("1")',
    'Function("return 1")()',
    'require("fs")',
    "process.exit(1)",
    'fetch("https://example.com")',
    "alert(1)",
    "setTimeout(1)",
    'import("x")',
    "globalThis",
    "window.location",
    "Object.keys({})",
    "Object.getPrototypeOf({})",
    "Object.setPrototypeOf({},null)",
    "Object.defineProperties({},{})",
    "Object.create({})",
    "Object.create(Object.prototype)",
    "Object.assign({a:1})",
    "Object.freeze()",
    'Reflect.get({},"a")',
    'Symbol.for("x")',
    'Symbol("x")',
    "Symbol.nonsense",
    "Promise.all([])",
    "Promise.resolve(1,2)",
    "Promise.resolve().then(x=>x)",
    "Promise.resolve().then(()=>1)",
    "Promise.reject().catch(()=>{throw 1})",
    'JSON.parse("1")',
    "Array.from([1])",
    "Date.now()",
    "Math.random()",
    'new Function("")',
    "new Proxy({},{})",
    "new WeakMap",
    "new Object",
    "new Array(5)",
    "new Promise(()=>1)",
    "new Symbol",
    "new Uint8Array(10)",
    "new Uint8Array([1,2,3])",
    'new Date("a","b")',
    "new Date",
    "new Error",
    "new Map([[1,2]],1)",
    "new EvilArray(1,2,3)",
    '__SEROVAL_REFS__.set("x",1)',
    "__SEROVAL_REFS__.clear()",
    "__SEROVAL_REFS__.get(1)",
    "Temporal.Now.instant()",
    "Temporal.Instant.fromEpochMilliseconds(0)",
    "[].push(1)",
    "({}).toString()",
    "new Map().get(1)",
    "new Map().forEach(1)",
    "new Set().has(1)",
    "(1)(2)",
    '"x"()',
    "[1](0)",
]

PROPERTY_READS = [
    "Symbol.iterator.description",
    "[].length",
    '"abc".length',
    "({}).a",
    '({})["a"]',
    "new Map().size",
    'new Date("").getTime',
    "Object.prototype",
    "Object.prototype.x",
    "Object.__proto__",
    "Object.constructor",
    "Map.prototype.set",
    "Error.prototype",
    "Promise.prototype.then",
]

CONSTRUCTOR_CHAINS = [
    '[].constructor.constructor("return 1")()',
    "({}).constructor",
    "({}).__proto__.__proto__",
    "(1).constructor",
    "Symbol.iterator.constructor",
    "new Map().constructor",
    '__SEROVAL_REFS__.get("hostile/ref").constructor',
    "Object.constructor.constructor",
    "[].__proto__",
    "({}).__defineGetter__",
    'new Error("x").constructor.constructor',
]

TEMPLATES = ["`x`", "`${1}`", "String.raw`x`", "[`a`]", "({a:`b`})"]

COMMENTS = ["1//x", "/*x*/1", "[1,/*c*/2]", "1/*", "<!--x", "--> x", "#!x\n1", "[1//\n]"]

UNBALANCED = [
    "[",
    "]",
    "((1)",
    "(1))",
    "{a:1",
    "({a:1}))",
    "[1,2",
    "new Map([[1,2]]",
    '"',
    "(",
    ")",
    "{",
    "}",
    "[[[[",
    "({a:[1,{b:2]})",
    "new Set([1,2)]",
    ",",
    "1,",
    ",1",
    "[1,,2",
]

NUMBERS = [
    "0x10",
    "0o7",
    "0b1",
    "01",
    "00",
    "1_000",
    ".5",
    "1.",
    "1..2",
    "1n.5",
    "1.5n",
    "1e3n",
    "1a",
    "- 1n n",
    "--1",
    "+1",
    "!2",
    "!!0",
    "!0.0",
    '-"1"',
    "1/2",
    "2/0",
    "1/0.0",
    "0/1",
    "void 1",
    "void 0n",
    "1" * 1001,
    "[" + "9" * 20_000 + "n]",
]

STRINGS = [
    '"abc',
    '"a\\',
    '"a\nb"',
    '"a\rb"',
    "'single'",
    '"\\x4"',
    '"\\x4g"',
    '"\\u12"',
    '"\\u{110000}"',
    '"\\u{}"',
    '"\\1"',
    '"\\08"',
    '"\\9"',
]

STRICT_LANGUAGE = [
    "true",
    "false",
    "undefined",
    "NaN",
    "this",
    "typeof 1",
    "1+1",
    "1?2:3",
    "1;2",
    ";",
    "let x=1",
    "x=>x",
    "async()=>1",
    "function(){}",
    "class{}",
    "[...[1]]",
    "({a})",
    "({a(){}})",
    "({get a(){return 1}})",
    "({...{a:1}})",
    "({a:1,})",
    "f(1,)",
    "a?.b",
    "a??b",
    "delete h.a",
    "new.target",
    "é",
    "\\u0061",
    "\u00a01",
    "\ufeff1",
    "\x001",
    "1 2",
    "[1 2]",
    "({a:1 b:2})",
    "({__proto__:{polluted:1}})",
    '({"__proto__":{polluted:1}})',
    "/a/xyz",
    "/a/gg",
    "/a\n/",
    "/[/",
    "{}",
    "",
    "   ",
]

IIFE_MISUSE = [
    "(h=>h)(1)",
    "(h=>{return h})()",
    "((h,h)=>h)()",
    "((null)=>1)()",
    "((new)=>1)()",
    "(h=>h)",
    "(h=>h)()()",
    "(h=>(h=>h)())()",
    "(h=>x)()",
    "(h=>x=1)()",
    "(h=>(h={},h.a.b=1,h))()",
    "(h=>(h={},h.__proto__={a:1},h))()",
    '(h=>(h={},h["__proto__"]={a:1},h))()',
    '(h=>(h=new Error("x"),h.__proto__={},h))()',
    "(h=>(h=[],h.length=0,h))()",
    "(h=>(h={},h[h]=1,h))()",
    "(h=>(h={},h[[]]=1,h))()",
    "(h=>(h=1,h.a=2,h))()",
    "(h=>(h=new Map,h.x=1,h))()",
    "(h=>(h={},h.set(1,2),h))()",
    "(h=>(h=new Set,h.set(1,2),h))()",
    "(h=>(h=[],h.next(1),h))()",
    "(h=>(h={a:1},Object.freeze(new Map),h))()",
    '(h=>(h=new Error("x"),Object.freeze(h),h))()',
    "(h=>(h={a:1},Object.freeze(h),Object.assign(h,{b:2}),h))()",
    '(h=>(h={a:1},Object.seal(h),Object.defineProperty(h,"a",'
    "{value:2,configurable:!0,enumerable:!0,writable:!0}),h))()",
    '(h=>(h={},Object.assign(h,{["__proto__"]:{a:1}}),h))()',
    "(h=>(h={},Object.assign(h,[1]),h))()",
    '(h=>(h={},Object.defineProperty(h,"a",{value:1}),h))()',
    '(h=>(h={},Object.defineProperty(h,"a",{value:1,configurable:!1,enumerable:!0,'
    "writable:!0}),h))()",
    '(h=>(h=__SEROVAL_REFS__.get("hostile/ref"),h.x=1,h))()',
    '(h=>(h=__SEROVAL_REFS__.get("hostile/ref"),Object.assign(h,{x:1}),h))()',
    '(h=>(h=__SEROVAL_REFS__.get("hostile/ref"),Object.freeze(h),h))()',
    "(h=>(h=[],h[99999999]=1,h))()",
    "(h=>(h={v:[]},h.v[0]=1,h))()",
    "(h=>h=Promise.resolve().then(()=>h))()",
    "Promise.resolve(Promise.resolve(1))",
    "Promise.reject(Promise.resolve(1))",
    "(h=>(h={p:Promise.resolve().then(()=>h.p)},h))()",
    "new Point(1,2)",
    "Point(1,2)",
    "new Point.x(1)",
    "(h=>(h=new Point(1,2),h.x=3,h))()",
]

HELPER_MISUSE = [
    f"({AB})",
    f"[({AB})]",
    f"({AB})(1)",
    f'({AB})("!!!")',
    f'({AB})("A")',
    f"({PCTOR})()",
    f"({PCTOR})().p.s",
    f"({PCTOR})(1)",
    f"({helpers.PROMISE_SUCCESS})(1,2)",
    f"({helpers.PROMISE_SUCCESS})(({PCTOR})(),Promise.resolve(1))",
    f"({helpers.STREAM_CONSTRUCTOR})(2)",
    f"({helpers.STREAM_CONSTRUCTOR})(1,2)",
    f"({ITER})(Symbol.asyncIterator)",
    f"(({ITER})(Symbol.iterator))({{v:[1],t:-1,d:0}})",
    f"(({ITER})(Symbol.iterator))({{__SEROVAL_SEQUENCE__:!0,v:1,t:-1,d:0}})",
    f"({{a:(({ITER})(Symbol.iterator))({{__SEROVAL_SEQUENCE__:!0,v:[],t:-1,d:0}})}})",
    f"({{[Symbol.iterator]:(({ITER})(Symbol.iterator))({{__SEROVAL_SEQUENCE__:!0,v:[],"
    "t:-1,d:1e9}})})",
    f"({helpers.ASYNC_ITERATOR_FACTORY})(Symbol.asyncIterator,1)",
    f"({{x:({helpers.ASYNC_ITERATOR_FACTORY})(Symbol.asyncIterator,({PCTOR}))}})",
    f'new Uint8Array(({AB})("AQID"),0,4)',
    f'new Uint16Array(({AB})("AQID"),1,1)',
    f'new DataView(({AB})("AQID"),4,0)',
    "new Uint8Array([1,2,3],0,3)",
    f'new EVIL(({AB})("AQID"),0,3)',
]


def _helper_variants() -> Iterator[str]:
    """Each helper text altered by one character (changed, dropped, added), in a call."""
    texts = [text for text, _ in helpers_legacy.LEGACY_STREAM_CONSTRUCTORS]
    texts += [
        helpers.ARRAY_BUFFER_CONSTRUCTOR,
        helpers.PROMISE_CONSTRUCTOR,
        helpers.PROMISE_SUCCESS,
        helpers.PROMISE_FAILURE,
        helpers.STREAM_CONSTRUCTOR,
        helpers.ITERATOR_FACTORY,
        helpers.ASYNC_ITERATOR_FACTORY,
        helpers.FORM_DATA_FACTORY,
        helpers.READABLE_STREAM_FACTORY,
        helpers.ABORT_CONTROLLER_FACTORY,
    ]
    for text in texts:
        for at in (10, len(text) // 2, len(text) - 2):
            changed = text[:at] + ("X" if text[at] != "X" else "Y") + text[at + 1 :]
            yield f'({changed})("AQID")'
            yield f"({text[:at] + text[at + 1 :]})()"
            yield f"$R[0]=({text[:at] + ' ' + text[at:]})()"
        yield f"({text.replace(chr(9), '    ')})()"  # tabs re-indented as spaces


LIMITS = [
    f'({AB})("{"A" * 1_000_004}")',
    "new RegExp(" + '"' + "a" * 20_001 + '","")',
    "/" + "a" * 20_001 + "/",
    "[" + ",".join(["/\\p{L}/u"] * 33) + "]",
    "(h=>(h=[],h[5000]=1,h))()",
]

CROSS_MISUSE = [
    "$R",
    "$R.x",
    '$R["x"]=1',
    "$R[-1]",
    "$R[1.5]",
    "$R[0x1]",
    "$R[4294967295]",
    "$R=1",
    "$R[0]()",
    "$R[0].next(1)",
    "($R[0]={},$R[0].next(1))",
    "($R[0]={},$R[0](1))",
    "($R=>1)()",
    "($R=>1)($R)",
    "($R=>1)($R[0])",
    '($R=>1)($R["a"],1)',
    "(h=>1)()",
    "self.$R=1",
    "self.x=self.x||[]",
    "(self.$R=self.$R||[])",
    '(self.$R=self.$R||{})["a"]=[1]',
    "(self.$R=self.$R||{})[0]=[]",
    "$R[0]=$R[0].p",
    f"($R[0]=({PCTOR})(),$R[1]=$R[0].p,$R[0].s(1))",
    f"({helpers.PROMISE_SUCCESS})($R[7],1)",
    "$R[0]=[$R[1]=Symbol.iterator,$R[1].x]",
]

FAMILIES: dict[str, list[str]] = {
    "calls": CALLS,
    "property reads": PROPERTY_READS,
    "constructor chains": CONSTRUCTOR_CHAINS,
    "templates": TEMPLATES,
    "comments": COMMENTS,
    "unbalanced": UNBALANCED,
    "numbers": NUMBERS,
    "strings": STRINGS,
    "strict language": STRICT_LANGUAGE,
    "iife misuse": IIFE_MISUSE,
    "helper misuse": HELPER_MISUSE,
    "helper variants": list(_helper_variants()),
    "limits": LIMITS,
}


def _in_contexts(expression: str, *, bare_cross: bool = True) -> Iterator[tuple[str, str]]:
    """The expression alone and inside containers, vanilla and cross.

    ``bare_cross=False`` leaves out ``$R[0]=<expression>`` alone: a cross chunk may
    store a helper or resolver in ``$R`` (its value then reads as undefined).
    """
    yield "vanilla", expression
    yield "vanilla", f"[1,{expression}]"
    yield "vanilla", f"({{a:1,b:{expression}}})"
    yield "vanilla", f"(h=>(h={{}},h.x={expression},h))()"
    if bare_cross:
        yield "cross", f"$R[0]={expression}"
    yield "cross", f'($R=>$R[0]=[{expression}])($R["s"])'


def _context_free(expression: str) -> bool:
    """Inputs whose meaning depends on being the whole text (unbalanced, empty...)."""
    return expression.strip() == "" or expression[0] in ",;)]}" or expression[-1] in "[({,"


CASES: list[tuple[str, str, str]] = []
for _family, _expressions in FAMILIES.items():
    for _expression in _expressions:
        if _family in ("unbalanced", "comments", "strict language") or _context_free(_expression):
            CASES.append((_family, "vanilla", _expression))
        else:
            contexts = _in_contexts(_expression, bare_cross=_family != "helper misuse")
            CASES.extend((_family, mode, text) for mode, text in contexts)
CASES += [("cross misuse", "cross", text) for text in CROSS_MISUSE]
CASES += [("cross misuse", "vanilla", text) for text in CROSS_MISUSE[:8]]


def _read(mode: str, text: str) -> object:
    if mode == "vanilla":
        return deserialize(text, plugins=())
    return CrossDeserializer(plugins=()).feed(text)


def test_there_are_enough_hostile_inputs() -> None:
    assert len(CASES) >= 1000
    assert len(FAMILIES) + 1 >= 12


@pytest.mark.parametrize(
    ("family", "mode", "text"),
    CASES,
    ids=[f"{family}-{mode}-{index}" for index, (family, mode, _) in enumerate(CASES)],
)
def test_refused_with_a_location(family: str, mode: str, text: str) -> None:
    with pytest.raises(S.SerovalError) as caught:
        _read(mode, text)
    line, column = caught.value.line, caught.value.column
    assert line is not None, f"{type(caught.value).__name__} has no location: {caught.value}"
    assert column is not None
    assert 1 <= line <= text.count("\n") + 1
    assert column >= 1


def test_plugin_names_are_the_only_way_to_plugins() -> None:
    assert deserialize("new Point(1,2)", plugins=PLUGINS) is not None
    for text in ("new Point.x(1)", "Point(1,2)", "new point(1,2)", "Point"):
        with pytest.raises(S.SerovalSyntaxError):
            deserialize(text, plugins=PLUGINS)


def test_a_registered_reference_is_never_changed() -> None:
    before = dict(get_reference("hostile/ref"))
    for text in [t for t in IIFE_MISUSE if "hostile/ref" in t]:
        with pytest.raises(S.SerovalError):
            deserialize(text)
    assert get_reference("hostile/ref") == before


def test_internal_values_never_reach_the_caller() -> None:
    # A promise-settling chunk ends with its resolver: the reader gives undefined.
    reader = CrossDeserializer()
    reader.feed(f"$R[0]=($R[1]=($R[2]=({PCTOR}))()).p")
    assert reader.feed(f"(({helpers.PROMISE_SUCCESS})($R[1],1),$R[1])") is S.undefined
    assert reader.value(1) is S.undefined  # $R[1] holds the resolver: not handed out
    assert reader.value(2) is S.undefined  # $R[2] holds the helper


# -- nesting -----------------------------------------------------------------------

MEGABYTE = 1 << 20

NESTINGS: dict[str, Callable[[int], str]] = {
    "arrays": lambda n: "[" * n,
    "closed arrays": lambda n: "[" * (n // 2) + "]" * (n // 2),
    "parentheses": lambda n: "(" * n + "1" + ")" * n,
    "objects": lambda n: "({a:" * (n // 4),
    "maps": lambda n: "new Map([[1," * (n // 13),
    "calls": lambda n: "Object(" * (n // 7),
    "computed keys": lambda n: "({[" * (n // 3),
    "member keys": lambda n: "(h=>(h={},h[" * (n // 12),
    "iife bodies": lambda n: "(h=>" * (n // 4),
}


@pytest.mark.parametrize("shape", list(NESTINGS))
@pytest.mark.parametrize("mode", ["vanilla", "cross"])
def test_a_megabyte_of_nesting_fails_cleanly(shape: str, mode: str) -> None:
    text = NESTINGS[shape](MEGABYTE)
    with pytest.raises((S.SerovalDepthLimitError, S.SerovalSyntaxError)) as caught:
        _read(mode, text)
    assert caught.value.line is not None


def test_nesting_within_the_limit_reads() -> None:
    value = deserialize("[" * 1000 + "]" * 1000)
    depth = 0
    while value:
        value = value[0]
        depth += 1
    assert depth == 999
    with pytest.raises(S.SerovalDepthLimitError):
        deserialize("[" * 1002 + "]" * 1002)
    assert deserialize("[[[]]]", depth_limit=3) == [[[]]]


# -- linear time ---------------------------------------------------------------------

SCALING: dict[str, Callable[[int], str]] = {
    "numbers": lambda n: "[" + ",".join(["12345"] * n) + "]",
    "objects": lambda n: "[" + ",".join(['{a:1,"b-c":[2,,"x\\n"]}'] * n) + "]",
    "assignment chain": lambda n: "(h=>(h={}," + "h.a=" * n + "1,h))()",
    "comma sequence": lambda n: "(h=>(h=[]," + "h," * n + "h))()",
    "deferred keys": lambda n: "(h=>(h={}," + ",".join(f"h[{i}]=h" for i in range(n)) + ",h))()",
    "map chains": lambda n: (
        "(h=>(h=new Map," + ",".join(["h" + ".set(1,2)" * 50] * (n // 50)) + ",h))()"
    ),
    "strings": lambda n: '"' + "ab\\u0041\\n" * n + '"',
    "holes": lambda n: "[" + "," * n + "]",
}


REUSE: dict[str, Callable[[int], str]] = {
    "sets of one array": lambda n: "(h=>(h=[" + "1," * 2000 + "],[" + "new Set(h)," * n + "]))()",
    "maps of one array": lambda n: (
        "(h=>(h=[" + "[1,2]," * 2000 + "],[" + "new Map(h)," * n + "]))()"
    ),
    "assigns of one object": lambda n: (
        "(h=>(h={"
        + ",".join(f"k{i}:1" for i in range(2000))
        + "},["
        + "Object.assign({},h)," * n
        + "]))()"
    ),
    "buffers of one string": lambda n: f'(h=>(h="{"A" * 8000}",[' + f"({AB})(h)," * n + "]))()",
    "regexps of one string": lambda n: (
        f'(h=>(h="{"a" * 8000}",[' + 'new RegExp(h,""),' * n + "]))()"
    ),
    "sequences of one record": lambda n: (
        "((h,j,k)=>(k={__SEROVAL_SEQUENCE__:!0,v:["
        + "1," * 2000
        + "],t:-1,d:1999},j=(("
        + ITER
        + ")(Symbol.iterator)),["
        + "{[Symbol.iterator]:j(k)}," * n
        + "]))()"
    ),
}


@pytest.mark.parametrize("shape", list(REUSE))
def test_reusing_one_big_value_is_bounded_by_the_text(shape: str) -> None:
    """A short text that copies one big value many times would take quadratic time."""
    assert deserialize(REUSE[shape](1)) is not None
    with pytest.raises(S.SerovalSizeLimitError) as caught:
        deserialize(REUSE[shape](5_000))
    assert caught.value.line is not None


@pytest.mark.parametrize("shape", list(SCALING))
def test_the_tokenizer_takes_one_step_per_token(shape: str) -> None:
    text = SCALING[shape](5_000)
    parser = Parser(text, cross=False, max_nesting=4064, plugin_calls=frozenset())
    parser.program()
    assert parser.lexer.tokens <= len(text) + 2
