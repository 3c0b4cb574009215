//! seroval's JS text -> Python values, for the plain part of its output (`deserialize`).
//!
//! The pure reader (`protocol/jstext`) lexes, parses and evaluates the whole of
//! seroval's output language with its safety rules.  This reader takes only the
//! spelling `serialize` gives plain data, exactly as the pure writer spells it:
//! `null`, `!0`/`!1`, `void 0`, numbers, `0/0`/`1/0`/`-1/0`, strings with
//! seroval's escapes, arrays (holes included), object literals (identifier,
//! quoted and `["__proto__"]` keys), `new Set([...])`, `new Map([[k,v],...])`,
//! `new Date("...")`, and the vanilla IIFE `((h,j)=>...)()` whose names are
//! assigned once (`h=...`) and then read, with the deferred patches
//! (`h.self=h`, `h[1]=h`, `h["a-b"]=h`, `h.add(j)`, chained).
//!
//! Anything else gives `None` (spaces, other escapes, BigInts, array-index keys,
//! duplicate keys, a name read before it is assigned, nesting near the depth
//! limit...): the caller then runs the pure reader, which reads it or raises the
//! precise error.  The walk keeps its own stack, so nesting costs heap only.

use std::borrow::Cow;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyInt, PyList, PyString};
use rustc_hash::FxHashMap;

use crate::read::{Reader, iso_date};
use crate::write::array_index;

const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
/// The lexer's `MAX_NUMBER_LENGTH`.
const MAX_NUMBER_LENGTH: usize = 32;

struct Bail;

impl From<PyErr> for Bail {
    fn from(_: PyErr) -> Self {
        Bail
    }
}

impl From<pyo3::CastError<'_, '_>> for Bail {
    fn from(_: pyo3::CastError<'_, '_>) -> Self {
        Bail
    }
}

type Outcome<T> = Result<T, Bail>;

enum Frame<'py> {
    Array(Bound<'py, PyList>),
    Object {
        dict: Bound<'py, PyDict>,
        key: Option<Bound<'py, PyString>>,
    },
    /// A Set and its table (`_items`).
    Set(Bound<'py, PyAny>, Bound<'py, PyDict>),
    /// A Map's entries; `key` holds an entry's key until its value is read.
    Map {
        map: Bound<'py, PyAny>,
        table: Bound<'py, PyDict>,
        key: Option<Bound<'py, PyAny>>,
    },
    /// `name=` waiting for its value.
    Assign(usize),
}

struct Read<'a, 'py> {
    py: Python<'py>,
    reader: &'a Reader,
    text: &'a [u8],
    source: &'a str,
    pos: usize,
    limit: usize,
    containers: usize,
    stack: Vec<Frame<'py>>,
    /// The IIFE's parameters and their values (`None` until assigned).
    names: Vec<(Vec<u8>, Option<Bound<'py, PyAny>>)>,
    /// Each parameter's place in `names`.
    places: FxHashMap<&'a [u8], usize>,
    /// Identifier keys met so far, made Python strings once (as `json.loads` does).
    keys: FxHashMap<&'a [u8], Bound<'py, PyString>>,
}

/// `deserialize(text)` for the plain part of seroval's output, or `None`.
pub fn read_js<'py>(
    reader: &Reader,
    py: Python<'py>,
    text: &str,
    depth_limit: usize,
) -> Option<Bound<'py, PyAny>> {
    let mut read = Read {
        py,
        reader,
        text: text.as_bytes(),
        source: text,
        pos: 0,
        limit: depth_limit,
        containers: 0,
        stack: Vec::new(),
        names: Vec::new(),
        places: FxHashMap::default(),
        keys: FxHashMap::default(),
    };
    read.program().ok()
}

fn is_ident_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_' || byte == b'$'
}

fn is_ident_part(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$'
}

impl<'a, 'py> Read<'a, 'py> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn eat(&mut self, token: &[u8]) -> bool {
        if self.text[self.pos..].starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, token: &[u8]) -> Outcome<()> {
        if self.eat(token) { Ok(()) } else { Err(Bail) }
    }

    fn ident(&mut self) -> Option<&'a [u8]> {
        let start = self.pos;
        if !self.peek().is_some_and(is_ident_start) {
            return None;
        }
        let text: &'a [u8] = self.text;
        let mut end = start + 1;
        while text.get(end).copied().is_some_and(is_ident_part) {
            end += 1;
        }
        self.pos = end;
        Some(&text[start..end])
    }

    fn program(&mut self) -> Outcome<Bound<'py, PyAny>> {
        if self.text.first() == Some(&b'{') {
            return Err(Bail); // a block in JS, refused by the pure reader
        }
        let value = if self.iife_params()? {
            let value = self.body()?;
            self.expect(b")()")?;
            value
        } else if self.text.starts_with(b"({") {
            self.pos = 1;
            let value = self.expression()?;
            self.expect(b")")?;
            value
        } else {
            self.expression()?
        };
        if self.pos != self.text.len() {
            return Err(Bail);
        }
        Ok(value)
    }

    /// `(h=>` or `((h,j)=>`: the names, or false when the text is no IIFE.
    fn iife_params(&mut self) -> Outcome<bool> {
        if self.text.starts_with(b"((") {
            self.pos = 2;
            loop {
                let name = self.ident().ok_or(Bail)?;
                self.add_name(name)?;
                if self.eat(b")=>") {
                    return Ok(true);
                }
                self.expect(b",")?;
            }
        }
        if self.text.first() != Some(&b'(') {
            return Ok(false);
        }
        self.pos = 1;
        match self.ident() {
            Some(name) if self.text[self.pos..].starts_with(b"=>") => {
                self.pos += 2;
                self.add_name(name)?;
                Ok(true)
            }
            _ => {
                self.pos = 0;
                Ok(false)
            }
        }
    }

    /// Parameter number `names.len()`: it must be the name seroval gives that place
    /// (`h`, `j`, ..., `$R` at 1,494), which also keeps out reserved words and repeats.
    fn add_name(&mut self, name: &'a [u8]) -> Outcome<()> {
        let mut expected = Vec::new();
        crate::jswrite::identifier(&mut expected, self.names.len());
        if name != expected.as_slice() {
            return Err(Bail);
        }
        if self.places.insert(name, self.names.len()).is_some() {
            return Err(Bail);
        }
        self.names.push((name.to_vec(), None));
        Ok(())
    }

    fn name_index(&self, name: &[u8]) -> Outcome<usize> {
        self.places.get(name).copied().ok_or(Bail)
    }

    /// A name's value (it must have been assigned).
    fn variable(&mut self) -> Outcome<Bound<'py, PyAny>> {
        let name = self.ident().ok_or(Bail)?;
        let index = self.name_index(name)?;
        self.names[index].1.clone().ok_or(Bail)
    }

    /// The IIFE body: an expression, `({...})`, or `(h=...,patches,h)`.
    fn body(&mut self) -> Outcome<Bound<'py, PyAny>> {
        if !self.eat(b"(") {
            if self.peek() == Some(b'{') {
                return Err(Bail); // an arrow function's block
            }
            return self.expression();
        }
        if self.peek() == Some(b'{') {
            let value = self.expression()?;
            self.expect(b")")?;
            return Ok(value);
        }
        // The sequence starts with an assignment of the root.
        let start = self.pos;
        self.ident().ok_or(Bail)?;
        if self.peek() != Some(b'=') {
            return Err(Bail);
        }
        self.pos = start;
        self.expression()?;
        self.expect(b",")?;
        loop {
            let start = self.pos;
            self.ident().ok_or(Bail)?;
            if self.eat(b")") {
                self.pos = start;
                let value = self.variable()?;
                self.expect(b")")?;
                return Ok(value);
            }
            self.pos = start;
            self.patch()?;
            self.expect(b",")?;
        }
    }

    /// `T=T=...=v` (targets `h.key`, `h[1]`, `h["key"]`) or `h.add(v).add(w)`.
    fn patch(&mut self) -> Outcome<()> {
        let start = self.pos;
        let holder = self.variable()?;
        if self.eat(b".add(") {
            let table = self.reader.collections.set_table(&holder).ok_or(Bail)?;
            loop {
                let item = self.variable()?;
                self.expect(b")")?;
                self.reader.collections.set_add(&table, item)?;
                if !self.eat(b".add(") {
                    return Ok(());
                }
            }
        }
        self.pos = start;
        let mut targets: Vec<(Bound<'py, PyAny>, Target<'py>)> = Vec::new();
        loop {
            let start = self.pos;
            let holder = self.variable()?;
            if self.peek() == Some(b'=') || self.peek() == Some(b')') || self.peek() == Some(b',') {
                // The value: a name.
                self.pos = start;
                break;
            }
            let target = self.target()?;
            self.expect(b"=")?;
            targets.push((holder, target));
        }
        let value = self.variable()?;
        if targets.is_empty() {
            return Err(Bail);
        }
        for (holder, target) in targets.into_iter().rev() {
            match target {
                Target::Key(key) => {
                    let dict = holder.cast_exact::<PyDict>()?;
                    dict.set_item(key, &value)?;
                }
                Target::Index(index) => {
                    let list = holder.cast_exact::<PyList>()?;
                    if index >= list.len() {
                        return Err(Bail); // growing an array: the pure reader's budget
                    }
                    list.set_item(index, &value)?;
                }
            }
        }
        Ok(())
    }

    /// `.key`, `[1]` or `["key"]` after a name (array-index keys of objects are left out).
    fn target(&mut self) -> Outcome<Target<'py>> {
        if self.eat(b".") {
            let key = self.ident().ok_or(Bail)?;
            if key == b"__proto__" {
                return Err(Bail);
            }
            let key = std::str::from_utf8(key).map_err(|_| Bail)?;
            return Ok(Target::Key(PyString::new(self.py, key)));
        }
        self.expect(b"[")?;
        if self.peek() == Some(b'"') {
            let key = self.string_text()?;
            self.expect(b"]")?;
            if key == "__proto__" || array_index(&key).is_some() {
                return Err(Bail);
            }
            return Ok(Target::Key(PyString::new(self.py, &key)));
        }
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits = std::str::from_utf8(&self.text[start..self.pos]).map_err(|_| Bail)?;
        let index = array_index(digits).ok_or(Bail)?;
        self.expect(b"]")?;
        Ok(Target::Index(usize::try_from(index).map_err(|_| Bail)?))
    }

    /// One expression, containers walked with the frame stack.
    ///
    /// `pending` is a complete value to hand to the innermost frame, or `None`
    /// when that frame waits for its next item.
    fn expression(&mut self) -> Outcome<Bound<'py, PyAny>> {
        let base = self.stack.len();
        let mut pending = self.start()?;
        loop {
            match pending {
                None => pending = self.before_item()?,
                Some(value) => {
                    if self.stack.len() == base {
                        return Ok(value);
                    }
                    pending = match self.accept(value)? {
                        Accepted::Next => None,
                        Accepted::Closed(closed) => Some(closed),
                    };
                }
            }
        }
    }

    /// What may stand where an item is expected: an array's holes and its end.
    fn before_item(&mut self) -> Outcome<Option<Bound<'py, PyAny>>> {
        loop {
            let Some(Frame::Array(list)) = self.stack.last() else {
                return self.start();
            };
            match self.peek() {
                Some(b',') => {
                    list.append(self.reader.hole.bind(self.py))?;
                    self.pos += 1;
                }
                Some(b']') => {
                    self.pos += 1;
                    let list = list.clone();
                    self.pop_container();
                    // A closed array is a complete value for the frame below.
                    return Ok(Some(list.into_any()));
                }
                _ => return self.start(),
            }
        }
    }

    fn pop_container(&mut self) {
        self.stack.pop();
        self.containers -= 1;
    }

    fn open(&mut self, frame: Frame<'py>) -> Outcome<()> {
        if !matches!(frame, Frame::Assign(_)) {
            self.containers += 1;
            if self.containers >= self.limit {
                return Err(Bail); // near the depth limit: the pure reader decides
            }
        }
        self.stack.push(frame);
        Ok(())
    }

    /// An object's key and `:` (before its value).
    fn key(&mut self) -> Outcome<()> {
        let key: Bound<'py, PyString> = match self.peek() {
            Some(b'"') => {
                let key = self.string_text()?;
                if key == "__proto__" || array_index(&key).is_some() {
                    return Err(Bail);
                }
                PyString::new(self.py, &key)
            }
            Some(b'[') => {
                self.expect(b"[\"__proto__\"]")?;
                PyString::new(self.py, "__proto__")
            }
            _ => {
                let key = self.ident().ok_or(Bail)?;
                if key == b"__proto__" {
                    return Err(Bail); // a prototype change, refused by the pure reader
                }
                match self.keys.get(key) {
                    Some(known) => known.clone(),
                    None => {
                        let text = std::str::from_utf8(key).map_err(|_| Bail)?;
                        let made = PyString::new(self.py, text);
                        self.keys.insert(key, made.clone());
                        made
                    }
                }
            }
        };
        self.expect(b":")?;
        let Some(Frame::Object { key: slot, .. }) = self.stack.last_mut() else {
            return Err(Bail);
        };
        *slot = Some(key);
        Ok(())
    }

    /// The start of a value: a complete leaf, or `None` once a container is opened.
    fn start(&mut self) -> Outcome<Option<Bound<'py, PyAny>>> {
        let py = self.py;
        let Some(byte) = self.peek() else {
            return Err(Bail);
        };
        let constants = &self.reader.constants;
        match byte {
            b'"' => {
                let text = self.string_text()?;
                Ok(Some(PyString::new(py, &text).into_any()))
            }
            b'0'..=b'9' | b'-' => self.number().map(Some),
            b'!' => {
                if self.eat(b"!0") {
                    Ok(Some(constants[2].bind(py).clone()))
                } else if self.eat(b"!1") {
                    Ok(Some(constants[3].bind(py).clone()))
                } else {
                    Err(Bail)
                }
            }
            b'[' => {
                self.pos += 1;
                let list = PyList::empty(py);
                if self.eat(b"]") {
                    return Ok(Some(list.into_any()));
                }
                self.open(Frame::Array(list))?;
                self.before_item()
            }
            b'{' => {
                self.pos += 1;
                let dict = PyDict::new(py);
                if self.eat(b"}") {
                    return Ok(Some(dict.into_any()));
                }
                self.open(Frame::Object { dict, key: None })?;
                self.key()?;
                Ok(None)
            }
            _ => {
                if self.text[self.pos..].starts_with(b"null")
                    && !self
                        .text
                        .get(self.pos + 4)
                        .copied()
                        .is_some_and(is_ident_part)
                {
                    self.pos += 4;
                    return Ok(Some(constants[0].bind(py).clone()));
                }
                if self.eat(b"void 0") {
                    return Ok(Some(constants[1].bind(py).clone()));
                }
                if self.eat(b"new Set") {
                    let (set, table) = self.reader.collections.new_set(py)?;
                    if !self.eat(b"([") {
                        return Ok(Some(set));
                    }
                    if self.peek() == Some(b']') {
                        return Err(Bail);
                    }
                    self.open(Frame::Set(set, table))?;
                    return Ok(None);
                }
                if self.eat(b"new Map") {
                    let (map, table) = self.reader.collections.new_map(py)?;
                    if !self.eat(b"([") {
                        return Ok(Some(map));
                    }
                    self.open(Frame::Map {
                        map,
                        table,
                        key: None,
                    })?;
                    self.expect(b"[")?;
                    return Ok(None);
                }
                if self.eat(b"new Date(") {
                    let text = self.string_text()?;
                    self.expect(b")")?;
                    return Ok(Some(iso_date(self.reader, py, &text)?));
                }
                let start = self.pos;
                let name = self.ident().ok_or(Bail)?;
                let index = self.name_index(name)?;
                if self.eat(b"=") {
                    if self.names[index].1.is_some() {
                        return Err(Bail); // assigned twice
                    }
                    self.open(Frame::Assign(index))?;
                    return Ok(None);
                }
                self.pos = start;
                self.variable().map(Some)
            }
        }
    }

    /// Give the innermost frame a complete value.
    fn accept(&mut self, value: Bound<'py, PyAny>) -> Outcome<Accepted<'py>> {
        match self.stack.last_mut().ok_or(Bail)? {
            Frame::Assign(index) => {
                let index = *index;
                self.stack.pop();
                self.names[index].1 = Some(value.clone());
                Ok(Accepted::Closed(value))
            }
            Frame::Array(list) => {
                let list = list.clone();
                list.append(&value)?;
                if self.eat(b",") {
                    return Ok(Accepted::Next);
                }
                self.expect(b"]")?;
                self.pop_container();
                Ok(Accepted::Closed(list.into_any()))
            }
            Frame::Object { dict, key } => {
                let key = key.take().ok_or(Bail)?;
                let dict = dict.clone();
                let size = dict.len();
                dict.set_item(key, &value)?;
                if dict.len() == size {
                    return Err(Bail); // a key written twice
                }
                if self.eat(b",") {
                    self.key()?;
                    return Ok(Accepted::Next);
                }
                self.expect(b"}")?;
                self.pop_container();
                Ok(Accepted::Closed(dict.into_any()))
            }
            Frame::Set(set, table) => {
                let set = set.clone();
                self.reader.collections.set_add(table, value)?;
                if self.eat(b",") {
                    if self.peek() == Some(b',') || self.peek() == Some(b']') {
                        return Err(Bail);
                    }
                    return Ok(Accepted::Next);
                }
                self.expect(b"])")?;
                self.pop_container();
                Ok(Accepted::Closed(set))
            }
            Frame::Map { map, table, key } => {
                let Some(entry_key) = key.take() else {
                    *key = Some(value);
                    self.expect(b",")?;
                    return Ok(Accepted::Next);
                };
                let map = map.clone();
                self.reader.collections.map_set(table, entry_key, value)?;
                self.expect(b"]")?;
                if self.eat(b",[") {
                    return Ok(Accepted::Next);
                }
                self.expect(b"])")?;
                self.pop_container();
                Ok(Accepted::Closed(map))
            }
        }
    }

    /// A number literal (with its sign), `0/0`, `1/0`, `-1/0`, as the node reader gives it.
    fn number(&mut self) -> Outcome<Bound<'py, PyAny>> {
        let py = self.py;
        let constants = &self.reader.constants;
        if self.eat(b"0/0") {
            return Ok(constants[7].bind(py).clone());
        }
        if self.eat(b"1/0") {
            return Ok(constants[5].bind(py).clone());
        }
        if self.eat(b"-1/0") {
            return Ok(constants[6].bind(py).clone());
        }
        let start = self.pos;
        let negative = self.eat(b"-");
        let digits_start = self.pos;
        let digits = |read: &mut Self| {
            let from = read.pos;
            while read.peek().is_some_and(|b| b.is_ascii_digit()) {
                read.pos += 1;
            }
            read.pos - from
        };
        let whole = digits(self);
        if whole == 0 || (whole > 1 && self.text[digits_start] == b'0') {
            return Err(Bail);
        }
        let mut integral = true;
        if self.eat(b".") {
            integral = false;
            if digits(self) == 0 {
                return Err(Bail);
            }
        }
        if self.peek() == Some(b'e') || self.peek() == Some(b'E') {
            integral = false;
            self.pos += 1;
            if !self.eat(b"+") {
                self.eat(b"-");
            }
            if digits(self) == 0 {
                return Err(Bail);
            }
        }
        if self.pos - digits_start > MAX_NUMBER_LENGTH
            || self
                .peek()
                .is_some_and(|b| is_ident_part(b) || b == b'.' || b == b'n')
        {
            return Err(Bail);
        }
        if integral && self.pos - digits_start <= 15 {
            // Up to 15 digits: exact in an i64 and below MAX_SAFE_INTEGER.
            let magnitude = self.text[digits_start..self.pos]
                .iter()
                .fold(0i64, |sum, digit| sum * 10 + i64::from(digit - b'0'));
            if magnitude == 0 && negative {
                return Ok(PyFloat::new(py, -0.0).into_any());
            }
            let number = if negative { -magnitude } else { magnitude };
            return Ok(PyInt::new(py, number).into_any());
        }
        let literal = &self.source[start..self.pos];
        let value: f64 = literal.parse().map_err(|_| Bail)?;
        if !value.is_finite() || (integral && value.abs() >= 1e21) {
            return Err(Bail); // refused by the pure reader (check_number)
        }
        if value == 0.0 && negative {
            return Ok(PyFloat::new(py, -0.0).into_any());
        }
        if value.fract() == 0.0 && value.abs() <= MAX_SAFE_INTEGER {
            return Ok(PyInt::new(py, value as i64).into_any());
        }
        Ok(PyFloat::new(py, value).into_any())
    }

    /// A `"..."` literal's text: raw characters and seroval's escapes only.  Without
    /// escapes, the text itself (a slice of the source, never copied).
    fn string_text(&mut self) -> Outcome<Cow<'a, str>> {
        self.expect(b"\"")?;
        let begin = self.pos;
        let text: &'a [u8] = self.text;
        let mut end = begin;
        while let Some(&byte) = text.get(end) {
            if matches!(byte, b'"' | b'\\' | b'\n' | b'\r') {
                break;
            }
            end += 1;
        }
        if text.get(end) == Some(&b'"') {
            self.pos = end + 1;
            // Both ends sit next to ASCII quotes: char boundaries of the source.
            let source: &'a str = self.source;
            return Ok(Cow::Borrowed(&source[begin..end]));
        }
        let mut out: Vec<u8> = Vec::new();
        loop {
            let start = self.pos;
            while let Some(byte) = self.peek() {
                if matches!(byte, b'"' | b'\\' | b'\n' | b'\r') {
                    break;
                }
                self.pos += 1;
            }
            out.extend_from_slice(&self.text[start..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return String::from_utf8(out).map(Cow::Owned).map_err(|_| Bail);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escape = self.peek().ok_or(Bail)?;
                    self.pos += 1;
                    let plain: &[u8] = match escape {
                        b'"' => b"\"",
                        b'\\' => b"\\",
                        b'n' => b"\n",
                        b'r' => b"\r",
                        b't' => b"\t",
                        b'b' => b"\x08",
                        b'f' => b"\x0c",
                        b'x' => {
                            let code = self.hex(2)?;
                            let character = char::from_u32(code).ok_or(Bail)?;
                            let mut buffer = [0u8; 4];
                            out.extend_from_slice(character.encode_utf8(&mut buffer).as_bytes());
                            continue;
                        }
                        b'u' => {
                            let code = self.hex(4)?;
                            // A surrogate (half of a pair, or alone) goes to the pure reader.
                            let character = char::from_u32(code).ok_or(Bail)?;
                            let mut buffer = [0u8; 4];
                            out.extend_from_slice(character.encode_utf8(&mut buffer).as_bytes());
                            continue;
                        }
                        _ => return Err(Bail),
                    };
                    out.extend_from_slice(plain);
                }
                _ => return Err(Bail), // unterminated, or a raw line break
            }
        }
    }

    fn hex(&mut self, size: usize) -> Outcome<u32> {
        let digits = self.text.get(self.pos..self.pos + size).ok_or(Bail)?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return Err(Bail);
        }
        self.pos += size;
        let digits = std::str::from_utf8(digits).map_err(|_| Bail)?;
        u32::from_str_radix(digits, 16).map_err(|_| Bail)
    }
}

enum Target<'py> {
    Key(Bound<'py, PyString>),
    Index(usize),
}

enum Accepted<'py> {
    /// The frame wants another item (its separator is read).
    Next,
    /// The frame is complete: its value, for the frame below.
    Closed(Bound<'py, PyAny>),
}
