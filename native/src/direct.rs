//! The single-pass reader: seroval's own node JSON straight to Python values.
//!
//! seroval writes every node with `t` first and its fields in one order
//! (`{"t":10,"i":0,"p":{"k":[..],"v":[..]},"o":0}`), so the common node types can be
//! read while the text is scanned, with no document in between.  This reader takes
//! only that layout, and only inputs it reads exactly as the pure reader would; at
//! anything else (another node type, another field order, a bad field, a depth
//! over the limit, an id that the pure reader would treat differently) it gives up
//! with `None`, having changed nothing outside the objects it made, and the
//! two-pass reader (`read.rs`) takes the text from the start.  It never raises a
//! `SerovalError` itself: every refusal is the two-pass reader's or Python's.
//!
//! Ids are kept in a Rust table during the walk.  In vanilla mode (`m` comes last)
//! the table holds every id; at the end a reference to an unmarked id, or a marked
//! id defined twice, gives up (the pure reader answers those differently).  In
//! cross mode the ids go into the shared `ReadRefs` only once the whole text read.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyInt, PyList, PyString};
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::rc::Rc;

use crate::read::{Reader, iso_date, unescaped};

const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// A number token.
enum Number {
    Int(i64),
    Float(f64),
}

enum Frame<'py> {
    /// An array's `a` list (t 9); holes are `0`.
    Array {
        list: Bound<'py, PyList>,
        depth: usize,
    },
    /// A Set's `a` list (t 7).
    Set {
        set: Bound<'py, PyAny>,
        /// The Set's table (`_items`).
        table: Bound<'py, PyDict>,
        depth: usize,
    },
    /// A plain object's `p.v` list (t 10), its keys read already.
    Object {
        dict: Bound<'py, PyDict>,
        keys: Rc<[Bound<'py, PyString>]>,
        index: usize,
        depth: usize,
    },
    /// A Map's `e.v` list (t 8), its (primitive) keys read already.
    Map {
        map: Bound<'py, PyAny>,
        /// The Map's table (`_entries`).
        table: Bound<'py, PyDict>,
        keys: Vec<Bound<'py, PyAny>>,
        index: usize,
        depth: usize,
    },
}

impl Frame<'_> {
    fn depth(&self) -> usize {
        match self {
            Frame::Array { depth, .. }
            | Frame::Set { depth, .. }
            | Frame::Object { depth, .. }
            | Frame::Map { depth, .. } => *depth,
        }
    }
}

/// The ids met so far: seroval's are dense from 0, so mostly a vector.
struct Ids<'py> {
    dense: Vec<Option<Bound<'py, PyAny>>>,
    sparse: FxHashMap<i64, Bound<'py, PyAny>>,
    /// Ids below this go into `dense` (a text of n bytes has fewer than n / 8 nodes).
    limit: usize,
}

impl<'py> Ids<'py> {
    fn get(&self, id: i64) -> Option<&Bound<'py, PyAny>> {
        match usize::try_from(id) {
            Ok(index) if index < self.limit => self.dense.get(index).and_then(Option::as_ref),
            _ => self.sparse.get(&id),
        }
    }

    fn contains(&self, id: i64) -> bool {
        self.get(id).is_some()
    }

    fn insert(&mut self, id: i64, value: Bound<'py, PyAny>) {
        match usize::try_from(id) {
            Ok(index) if index < self.limit => {
                if index >= self.dense.len() {
                    self.dense.resize(index + 1, None);
                }
                self.dense[index] = Some(value);
            }
            _ => {
                self.sparse.insert(id, value);
            }
        }
    }

    fn drain(&mut self) -> impl Iterator<Item = (i64, Bound<'py, PyAny>)> + '_ {
        let dense = self
            .dense
            .drain(..)
            .enumerate()
            .filter_map(|(id, value)| Some((id as i64, value?)));
        dense.chain(self.sparse.drain())
    }
}

enum Node<'py> {
    Value(Bound<'py, PyAny>),
    Opened,
}

pub struct Direct<'a, 'py> {
    py: Python<'py>,
    reader: &'a Reader,
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    limit: usize,
    /// Cross mode: the shared `ReadRefs.values` (read, and written at the end).
    shared: Option<Bound<'py, PyDict>>,
    ids: Ids<'py>,
    referenced: FxHashSet<i64>,
    /// The ids of the Map sentinels read (internal records, never values).
    sentinels: FxHashSet<i64>,
    keys: FxHashMap<&'a str, Bound<'py, PyString>>,
    key_lists: FxHashMap<&'a str, Rc<[Bound<'py, PyString>]>>,
    /// A reused buffer for the key texts of one object.
    texts: Vec<Cow<'a, str>>,
    stack: Vec<Frame<'py>>,
}

/// Read `src` in one pass; `None` gives the text to the two-pass reader.
pub fn read<'py>(
    py: Python<'py>,
    reader: &Reader,
    src: &str,
    limit: usize,
    shared: Option<Bound<'py, PyDict>>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let mut walk = Direct {
        py,
        reader,
        src,
        bytes: src.as_bytes(),
        pos: 0,
        limit,
        shared,
        ids: Ids {
            dense: Vec::new(),
            sparse: FxHashMap::default(),
            limit: src.len() / 8 + 16,
        },
        referenced: FxHashSet::default(),
        sentinels: FxHashSet::default(),
        keys: FxHashMap::default(),
        key_lists: FxHashMap::default(),
        texts: Vec::new(),
        stack: Vec::new(),
    };
    walk.document()
}

macro_rules! need {
    ($condition:expr) => {
        if !$condition {
            return Ok(None);
        }
    };
}

macro_rules! get {
    ($option:expr) => {
        match $option {
            Some(value) => value,
            None => return Ok(None),
        }
    };
}

impl<'a, 'py> Direct<'a, 'py> {
    fn document(&mut self) -> PyResult<Option<Bound<'py, PyAny>>> {
        let envelope = self.shared.is_none();
        if envelope {
            need!(self.byte(b'{') && self.key("t"));
        }
        let mut after_item = match get!(self.node(0)?) {
            Node::Value(value) => return self.finish(value),
            Node::Opened => false,
        };
        loop {
            self.skip();
            let next = get!(self.bytes.get(self.pos).copied());
            if after_item {
                match next {
                    b',' => self.pos += 1,
                    b']' => {
                        let value = get!(self.close()?);
                        if self.stack.is_empty() {
                            return self.finish(value);
                        }
                        need!(self.attach(value)?);
                        continue;
                    }
                    _ => return Ok(None),
                }
            } else if next == b']' {
                let value = get!(self.close()?);
                if self.stack.is_empty() {
                    return self.finish(value);
                }
                need!(self.attach(value)?);
                after_item = true;
                continue;
            }
            // An item of the innermost list.
            self.skip();
            let top = self.stack.last().expect("a frame");
            let depth = top.depth();
            let list = match top {
                Frame::Array { list, .. } => Some(list.clone()),
                _ => None,
            };
            if let Some(list) = list
                && matches!(self.bytes.get(self.pos), Some(b'-' | b'0'..=b'9'))
            {
                // Only an integer 0 is a hole; any other number is a malformed node.
                need!(matches!(self.number(), Some(Number::Int(0))));
                list.append(self.reader.hole.bind(self.py))?;
                after_item = true;
                continue;
            }
            match get!(self.node(depth)?) {
                Node::Value(value) => {
                    need!(self.attach(value)?);
                    after_item = true;
                }
                Node::Opened => after_item = false,
            }
        }
    }

    /// After the root node: the envelope's `f` and `m`, then the end of the text.
    fn finish(&mut self, root: Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>> {
        match self.shared.clone() {
            None => {
                need!(
                    self.byte(b',')
                        && self.key("f")
                        && matches!(self.number(), Some(Number::Int(_)))
                );
                need!(self.byte(b',') && self.key("m") && self.byte(b'['));
                let mut marked = FxHashSet::default();
                if !self.byte(b']') {
                    loop {
                        let Some(Number::Int(id)) = self.number() else {
                            return Ok(None);
                        };
                        marked.insert(id);
                        if self.byte(b']') {
                            break;
                        }
                        need!(self.byte(b','));
                    }
                }
                need!(self.byte(b'}'));
                // What the pure reader answers differently: a reference to an id it
                // did not register (ids defined twice gave up as they came).
                need!(self.referenced.iter().all(|id| marked.contains(id)));
            }
            Some(shared) => {
                self.skip();
                need!(self.pos == self.bytes.len());
                for (id, value) in self.ids.drain() {
                    shared.set_item(id, value)?;
                }
                return Ok(Some(root));
            }
        }
        self.skip();
        need!(self.pos == self.bytes.len());
        Ok(Some(root))
    }

    /// Close the innermost list (at its `]`) and the node around it; its value.
    fn close(&mut self) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.pos += 1;
        let frame = self.stack.pop().expect("a frame");
        Ok(Some(match frame {
            Frame::Array { list, .. } => {
                need!(self.flag_and_end());
                list.into_any()
            }
            Frame::Set { set, .. } => {
                need!(self.byte(b'}'));
                set
            }
            Frame::Object {
                dict, keys, index, ..
            } => {
                need!(index == keys.len() && self.byte(b'}') && self.flag_and_end());
                dict.into_any()
            }
            Frame::Map {
                map, keys, index, ..
            } => {
                need!(index == keys.len() && self.byte(b'}') && self.byte(b','));
                need!(self.key("f") && self.map_sentinel()? && self.byte(b'}'));
                map
            }
        }))
    }

    /// `,"o":0}` or `}`: a plain object or array (a non-zero flag makes a JSObject/JSArray).
    fn flag_and_end(&mut self) -> bool {
        if self.byte(b',') {
            return self.key("o")
                && matches!(self.number(), Some(Number::Int(0)))
                && self.byte(b'}');
        }
        self.byte(b'}')
    }

    /// Hand a finished item to the innermost list's node; `false` to give up.
    #[inline(always)]
    fn attach(&mut self, value: Bound<'py, PyAny>) -> PyResult<bool> {
        match self.stack.last_mut().expect("a frame") {
            Frame::Array { list, .. } => list.append(value)?,
            Frame::Set { table, .. } => self.reader.collections.set_add(table, value)?,
            Frame::Object {
                dict, keys, index, ..
            } => {
                let Some(key) = keys.get(*index) else {
                    return Ok(false);
                };
                dict.set_item(key, value)?;
                *index += 1;
            }
            Frame::Map {
                table, keys, index, ..
            } => {
                let Some(key) = keys.get(*index) else {
                    return Ok(false);
                };
                self.reader.collections.map_set(table, key.clone(), value)?;
                *index += 1;
            }
        }
        Ok(true)
    }

    fn register(&mut self, id: i64, value: &Bound<'py, PyAny>) -> PyResult<bool> {
        if id < 0 {
            return Ok(false);
        }
        if let Some(shared) = &self.shared {
            if self.ids.contains(id) || shared.contains(id)? {
                return Ok(false); // a conflict: the pure reader refuses it
            }
        } else if self.ids.contains(id) {
            return Ok(false); // an id defined twice: the pure reader refuses it
        }
        self.ids.insert(id, value.clone());
        Ok(true)
    }

    fn lookup(&mut self, id: i64) -> PyResult<Option<Bound<'py, PyAny>>> {
        if self.sentinels.contains(&id) {
            return Ok(None); // an internal record, no value: the pure reader refuses it
        }
        if let Some(found) = self.ids.get(id) {
            self.referenced.insert(id);
            return Ok(Some(found.clone()));
        }
        let Some(shared) = &self.shared else {
            return Ok(None);
        };
        let Some(found) = shared.get_item(id)? else {
            return Ok(None);
        };
        let kind = found.get_type();
        let internal = self
            .reader
            .internal_types
            .iter()
            .any(|internal| kind.is(internal.bind(self.py)));
        Ok((!internal).then_some(found))
    }

    /// A Map's `f` (at its value): a fresh sentinel node with a free id, or a
    /// reference to one defined before; `false` to give up on anything else.
    fn map_sentinel(&mut self) -> PyResult<bool> {
        if !(self.byte(b'{') && self.key("t")) {
            return Ok(false);
        }
        let kind = self.number();
        if !(self.byte(b',') && self.key("i")) {
            return Ok(false);
        }
        let Some(Number::Int(id)) = self.number() else {
            return Ok(false);
        };
        match kind {
            Some(Number::Int(26)) => {
                if !(self.byte(b',')
                    && self.key("s")
                    && matches!(self.number(), Some(Number::Int(0)))
                    && self.byte(b'}'))
                {
                    return Ok(false);
                }
                let record = self.reader.map_sentinel.bind(self.py).clone();
                if !self.register(id, &record)? {
                    return Ok(false);
                }
                self.sentinels.insert(id);
                Ok(true)
            }
            Some(Number::Int(4)) => {
                if !self.byte(b'}') {
                    return Ok(false);
                }
                if self.sentinels.contains(&id) {
                    self.referenced.insert(id); // the envelope must mark it, as for values
                    return Ok(true);
                }
                let Some(shared) = &self.shared else {
                    return Ok(false);
                };
                let known = shared
                    .get_item(id)?
                    .is_some_and(|found| found.is(self.reader.map_sentinel.bind(self.py)));
                Ok(known)
            }
            _ => Ok(false),
        }
    }

    /// One node at `depth` (the parser's position at its `{`).
    fn node(&mut self, depth: usize) -> PyResult<Option<Node<'py>>> {
        need!(depth <= self.limit);
        let py = self.py;
        need!(self.byte(b'{') && self.key("t"));
        let Some(Number::Int(kind)) = self.number() else {
            return Ok(None);
        };
        need!(self.byte(b','));
        let value = match kind {
            0 => {
                need!(self.key("s"));
                match get!(self.number()) {
                    Number::Int(value)
                        if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&value) =>
                    {
                        PyInt::new(py, value).into_any()
                    }
                    Number::Int(value) => PyFloat::new(py, value as f64).into_any(),
                    // No number literal (NaN, the infinities, -0): the pure reader refuses it.
                    Number::Float(value)
                        if !value.is_finite() || (value == 0.0 && value.is_sign_negative()) =>
                    {
                        return Ok(None);
                    }
                    Number::Float(value) => {
                        let integral =
                            value.fract() == 0.0 && value.abs() <= MAX_SAFE_INTEGER as f64;
                        if integral && !(value == 0.0 && value.is_sign_negative()) {
                            PyInt::new(py, value as i64).into_any()
                        } else {
                            PyFloat::new(py, value).into_any()
                        }
                    }
                }
            }
            1 => {
                need!(self.key("s"));
                let text = get!(self.string());
                node_text(py, text).into_any()
            }
            2 => {
                need!(self.key("s"));
                let Some(Number::Int(index @ 0..=7)) = self.number() else {
                    return Ok(None);
                };
                self.reader.constants[index as usize].bind(py).clone()
            }
            4 => {
                need!(self.key("i"));
                let Some(Number::Int(id)) = self.number() else {
                    return Ok(None);
                };
                get!(self.lookup(id)?)
            }
            5 => {
                need!(self.key("i"));
                let Some(Number::Int(id)) = self.number() else {
                    return Ok(None);
                };
                need!(self.byte(b',') && self.key("s"));
                let text = get!(self.string());
                let date = iso_date(self.reader, py, &text)?;
                need!(self.register(id, &date)?);
                date
            }
            7 | 9 => {
                need!(self.key("i"));
                let Some(Number::Int(id)) = self.number() else {
                    return Ok(None);
                };
                need!(self.byte(b',') && self.key("a") && self.byte(b'['));
                let depth = depth + 1;
                let frame = if kind == 9 {
                    let list = PyList::empty(py);
                    need!(self.register(id, list.as_any())?);
                    Frame::Array { list, depth }
                } else {
                    let (set, table) = self.reader.collections.new_set(py)?;
                    need!(self.register(id, &set)?);
                    Frame::Set { set, table, depth }
                };
                self.stack.push(frame);
                return Ok(Some(Node::Opened));
            }
            10 => {
                need!(self.key("i"));
                let Some(Number::Int(id)) = self.number() else {
                    return Ok(None);
                };
                need!(
                    self.byte(b',')
                        && self.key("p")
                        && self.byte(b'{')
                        && self.key("k")
                        && self.byte(b'[')
                );
                // Objects of one shape repeat their key list: the whole list is cached
                // by its text, and each key by its own text.
                let from = self.pos;
                let mut texts = std::mem::take(&mut self.texts);
                texts.clear();
                if !self.byte(b']') {
                    loop {
                        let Some(text) = self.string() else {
                            return Ok(None);
                        };
                        texts.push(text);
                        if self.byte(b']') {
                            break;
                        }
                        need!(self.byte(b','));
                    }
                }
                let raw = &self.src[from..self.pos];
                let keys = match self.key_lists.get(raw) {
                    Some(keys) => Rc::clone(keys),
                    None => {
                        let keys: Rc<[Bound<'py, PyString>]> = texts
                            .drain(..)
                            .map(|text| self.property_key(text))
                            .collect();
                        if raw.len() <= 4096 {
                            self.key_lists.insert(raw, Rc::clone(&keys));
                        }
                        keys
                    }
                };
                self.texts = texts;
                need!(self.byte(b',') && self.key("v") && self.byte(b'['));
                let dict = PyDict::new(py);
                need!(self.register(id, dict.as_any())?);
                self.stack.push(Frame::Object {
                    dict,
                    keys,
                    index: 0,
                    depth: depth + 1,
                });
                return Ok(Some(Node::Opened));
            }
            8 => {
                need!(self.key("i"));
                let Some(Number::Int(id)) = self.number() else {
                    return Ok(None);
                };
                need!(
                    self.byte(b',')
                        && self.key("e")
                        && self.byte(b'{')
                        && self.key("k")
                        && self.byte(b'[')
                );
                // The pure reader reads key, value, key, value...; keys first is the
                // same only for keys that define no id: primitives and references
                // to ids defined before the Map (a later one is not found: give up).
                let (map, table) = self.reader.collections.new_map(py)?;
                need!(self.register(id, &map)?);
                let mut keys = Vec::new();
                if !self.byte(b']') {
                    loop {
                        self.skip();
                        let checkpoint = self.pos;
                        need!(self.byte(b'{') && self.key("t"));
                        let kind = self.number();
                        self.pos = checkpoint;
                        need!(matches!(kind, Some(Number::Int(0 | 1 | 2 | 4))));
                        match get!(self.node(depth + 1)?) {
                            Node::Value(key) => keys.push(key),
                            Node::Opened => return Ok(None),
                        }
                        if self.byte(b']') {
                            break;
                        }
                        need!(self.byte(b','));
                    }
                }
                need!(self.byte(b',') && self.key("v") && self.byte(b'['));
                self.stack.push(Frame::Map {
                    map,
                    table,
                    keys,
                    index: 0,
                    depth: depth + 1,
                });
                return Ok(Some(Node::Opened));
            }
            _ => return Ok(None),
        };
        need!(self.byte(b'}'));
        Ok(Some(Node::Value(value)))
    }

    fn property_key(&mut self, text: Cow<'a, str>) -> Bound<'py, PyString> {
        let py = self.py;
        match text {
            Cow::Borrowed(text) if text.len() <= 64 => self
                .keys
                .entry(text)
                .or_insert_with(|| PyString::new(py, text))
                .clone(),
            text => node_text(py, text),
        }
    }

    // -- the lexer ------------------------------------------------------------------

    #[inline(always)]
    fn skip(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// The byte `expected` (after whitespace), consumed; `false` if it is not there.
    #[inline(always)]
    fn byte(&mut self, expected: u8) -> bool {
        self.skip();
        if self.bytes.get(self.pos) == Some(&expected) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// `"name":` exactly (a node field name: no escapes).
    #[inline(always)]
    fn key(&mut self, name: &str) -> bool {
        self.skip();
        let end = self.pos + name.len() + 2;
        if self.bytes.get(self.pos) == Some(&b'"')
            && self.bytes.get(end - 1) == Some(&b'"')
            && self.bytes.get(self.pos + 1..end - 1) == Some(name.as_bytes())
        {
            self.pos = end;
            self.byte(b':')
        } else {
            false
        }
    }

    #[inline(always)]
    fn number(&mut self) -> Option<Number> {
        self.skip();
        let start = self.pos;
        let bytes = self.bytes;
        let negative = bytes.get(self.pos) == Some(&b'-');
        if negative {
            self.pos += 1;
        }
        // Integers of up to 18 digits are accumulated while scanned.
        let mut magnitude: i64 = 0;
        match *bytes.get(self.pos)? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => {
                let first = self.pos;
                while let Some(&digit) = bytes.get(self.pos) {
                    if !digit.is_ascii_digit() {
                        break;
                    }
                    if self.pos - first < 18 {
                        magnitude = magnitude * 10 + i64::from(digit - b'0');
                    }
                    self.pos += 1;
                }
            }
            _ => return None,
        }
        let digits = self.pos - start - usize::from(negative);
        let mut float = false;
        if bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !bytes.get(self.pos)?.is_ascii_digit() {
                return None;
            }
            self.digits();
            float = true;
        }
        if let Some(b'e' | b'E') = bytes.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = bytes.get(self.pos) {
                self.pos += 1;
            }
            if !bytes.get(self.pos)?.is_ascii_digit() {
                return None;
            }
            self.digits();
            float = true;
        }
        let text = &self.src[start..self.pos];
        if float {
            return text.parse().ok().map(Number::Float);
        }
        if digits <= 18 {
            return Some(Number::Int(if negative { -magnitude } else { magnitude }));
        }
        text.parse().ok().map(Number::Int)
    }

    fn digits(&mut self) {
        while self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
    }

    /// A string literal's text: a slice of the input, or (with escapes) a decoded copy.
    /// A lone surrogate escape or a raw control character gives `None`.
    #[inline(always)]
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.skip();
        if self.bytes.get(self.pos) != Some(&b'"') {
            return None;
        }
        self.pos += 1;
        let start = self.pos;
        while let Some(&byte) = self.bytes.get(self.pos) {
            match byte {
                b'"' => {
                    self.pos += 1;
                    return Some(Cow::Borrowed(&self.src[start..self.pos - 1]));
                }
                b'\\' => return self.escaped_string(start),
                0x00..=0x1f => return None,
                _ => self.pos += 1,
            }
        }
        None
    }

    /// The rest of a string with escapes, decoded.
    fn escaped_string(&mut self, start: usize) -> Option<Cow<'a, str>> {
        let mut decoded = String::with_capacity(self.pos - start + 16);
        decoded.push_str(&self.src[start..self.pos]);
        loop {
            let byte = *self.bytes.get(self.pos)?;
            match byte {
                b'"' => {
                    self.pos += 1;
                    return Some(Cow::Owned(decoded));
                }
                b'\\' => {
                    let escape = *self.bytes.get(self.pos + 1)?;
                    self.pos += 2;
                    decoded.push(match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    });
                }
                0x00..=0x1f => return None,
                _ => {
                    let run = self.pos;
                    while self
                        .bytes
                        .get(self.pos)
                        .is_some_and(|&b| b != b'"' && b != b'\\' && b >= 0x20)
                    {
                        self.pos += 1;
                    }
                    decoded.push_str(&self.src[run..self.pos]);
                }
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let text = self.src.get(self.pos..self.pos + 4)?;
        if !text.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += 4;
        u32::from_str_radix(text, 16).ok()
    }

    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        if (0xd800..0xdc00).contains(&first) {
            if self.bytes.get(self.pos) != Some(&b'\\')
                || self.bytes.get(self.pos + 1) != Some(&b'u')
            {
                return None;
            }
            self.pos += 2;
            let second = self.hex4()?;
            if !(0xdc00..0xe000).contains(&second) {
                return None;
            }
            return char::from_u32(0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00));
        }
        char::from_u32(first)
    }
}

/// A string node's text as Python text.  seroval's own escapes (`\\n`, `\\x3C`, ...)
/// are JSON escapes of a backslash, so text read without one holds none of them.
fn node_text<'py>(py: Python<'py>, text: Cow<'_, str>) -> Bound<'py, PyString> {
    match text {
        Cow::Borrowed(text) => PyString::new(py, text),
        Cow::Owned(text) => unescaped(py, &text),
    }
}
