//! JSON text -> a flat document (no Python objects yet), without recursion.
//!
//! Values live in one `Vec`, containers point at runs of `kids`, and strings
//! without escapes stay slices of the input.  The parser is strict JSON, as
//! Python's `json` reads it; anything it does not take (a syntax error, a lone
//! surrogate escape, an integer beyond 64 bits) is `None`, and the caller then
//! runs the pure `loads_json`, which raises the precise error or reads it.
//! Nesting costs heap only: an explicit stack of open containers, and the flat
//! layout means dropping a deep document recurses nowhere either.

/// One JSON value.  Containers index `Doc::kids`: an array's `len` value indices,
/// an object's `len` (key string, value) pairs.
#[derive(Clone, Copy)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(u32),
    Arr { start: u32, len: u32 },
    Obj { start: u32, len: u32 },
}

/// A string index with this bit set is a one-byte object key (a node field name),
/// stored as its position in the input rather than in the strings table.
const ONE_BYTE_KEY: u32 = 1 << 31;

/// Where a string's text is: a slice of the input, or of the decoded buffer.
#[derive(Clone, Copy)]
struct StrRef {
    decoded: bool,
    start: u32,
    len: u32,
}

pub struct Doc<'a> {
    src: &'a str,
    buffer: String,
    strings: Vec<StrRef>,
    pub values: Vec<Value>,
    pub kids: Vec<u32>,
    pub root: u32,
}

impl<'a> Doc<'a> {
    pub fn string(&self, index: u32) -> &str {
        if index & ONE_BYTE_KEY != 0 {
            let at = (index & !ONE_BYTE_KEY) as usize;
            return &self.src[at..at + 1];
        }
        let found = self.strings[index as usize];
        let (start, end) = (found.start as usize, (found.start + found.len) as usize);
        if found.decoded {
            &self.buffer[start..end]
        } else {
            &self.src[start..end]
        }
    }

    /// The byte of a one-byte string (a node field name), else `None`.
    fn key_byte(&self, index: u32) -> Option<u8> {
        if index & ONE_BYTE_KEY != 0 {
            return self
                .src
                .as_bytes()
                .get((index & !ONE_BYTE_KEY) as usize)
                .copied();
        }
        let found = self.strings[index as usize];
        if found.len != 1 {
            return None;
        }
        let text = if found.decoded {
            self.buffer.as_bytes()
        } else {
            self.src.as_bytes()
        };
        text.get(found.start as usize).copied()
    }

    pub fn value(&self, index: u32) -> Value {
        self.values[index as usize]
    }

    /// The array's element value indices.
    pub fn items(&self, start: u32, len: u32) -> &[u32] {
        &self.kids[start as usize..(start + len) as usize]
    }

    /// The value of field `name` in object `(start, len)`: the last one, as a dict keeps it.
    pub fn field(&self, start: u32, len: u32, name: &str) -> Option<Value> {
        let pairs = self.items(start, len * 2);
        pairs
            .chunks_exact(2)
            .rev()
            .find(|pair| self.string(pair[0]) == name)
            .map(|pair| self.value(pair[1]))
    }

    /// Object members as (key string index, value index) pairs.
    pub fn members(&self, start: u32, len: u32) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.items(start, len * 2)
            .chunks_exact(2)
            .map(|pair| (pair[0], pair[1]))
    }
}

/// The one-letter fields seroval's nodes use, as a dict keeps them (the last wins).
#[derive(Default, Clone, Copy)]
pub struct Fields {
    pub t: Option<Value>,
    pub i: Option<Value>,
    pub s: Option<Value>,
    pub a: Option<Value>,
    pub o: Option<Value>,
    pub p: Option<Value>,
    pub e: Option<Value>,
    pub k: Option<Value>,
    pub v: Option<Value>,
    pub f: Option<Value>,
}

impl Doc<'_> {
    /// An object's node fields in one pass over its members.
    pub fn fields(&self, start: u32, len: u32) -> Fields {
        let mut found = Fields::default();
        for (key, value) in self.members(start, len) {
            let Some(name) = self.key_byte(key) else {
                continue;
            };
            let slot = match name {
                b't' => &mut found.t,
                b'i' => &mut found.i,
                b's' => &mut found.s,
                b'a' => &mut found.a,
                b'o' => &mut found.o,
                b'p' => &mut found.p,
                b'e' => &mut found.e,
                b'k' => &mut found.k,
                b'v' => &mut found.v,
                b'f' => &mut found.f,
                _ => continue,
            };
            *slot = Some(self.value(value));
        }
        found
    }
}

/// The bytes that end a plain run inside a string literal.
const STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

struct Open {
    object: bool,
    start: usize,
}

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    buffer: String,
    strings: Vec<StrRef>,
    values: Vec<Value>,
    kids: Vec<u32>,
}

/// A document's buffers, kept between calls on the same thread: a fresh allocation
/// per call would page-fault its way through memory every time.
#[derive(Default)]
struct Spare {
    buffer: String,
    strings: Vec<StrRef>,
    values: Vec<Value>,
    kids: Vec<u32>,
}

/// Buffers larger than this (in elements) are freed rather than kept.
const KEEP_AT_MOST: usize = 1 << 20;

thread_local! {
    static SPARE: std::cell::RefCell<Spare> = std::cell::RefCell::new(Spare::default());
}

impl Drop for Doc<'_> {
    fn drop(&mut self) {
        let mut spare = Spare {
            buffer: std::mem::take(&mut self.buffer),
            strings: std::mem::take(&mut self.strings),
            values: std::mem::take(&mut self.values),
            kids: std::mem::take(&mut self.kids),
        };
        if spare.values.capacity() > KEEP_AT_MOST || spare.kids.capacity() > 2 * KEEP_AT_MOST {
            return;
        }
        spare.buffer.clear();
        spare.strings.clear();
        spare.values.clear();
        spare.kids.clear();
        SPARE.with(|cell| {
            if let Ok(mut slot) = cell.try_borrow_mut() {
                *slot = spare;
            }
        });
    }
}

/// A document built from values rather than parsed (the node dicts `from_json` gets):
/// every string is in the decoded buffer.
pub struct Builder {
    buffer: String,
    strings: Vec<StrRef>,
    values: Vec<Value>,
    kids: Vec<u32>,
}

impl Builder {
    pub fn new() -> Self {
        let spare = SPARE.with(|cell| {
            cell.try_borrow_mut()
                .map(|mut slot| std::mem::take(&mut *slot))
                .unwrap_or_default()
        });
        Builder {
            buffer: spare.buffer,
            strings: spare.strings,
            values: spare.values,
            kids: spare.kids,
        }
    }

    /// A string's index (for `Value::Str` and object keys); `None` past 2 GiB of text.
    pub fn string(&mut self, text: &str) -> Option<u32> {
        if self.buffer.len() + text.len() >= ONE_BYTE_KEY as usize {
            return None;
        }
        let start = self.buffer.len() as u32;
        self.buffer.push_str(text);
        self.strings.push(StrRef {
            decoded: true,
            start,
            len: text.len() as u32,
        });
        Some((self.strings.len() - 1) as u32)
    }

    pub fn value(&mut self, value: Value) -> u32 {
        self.values.push(value);
        (self.values.len() - 1) as u32
    }

    /// A container of `children` (an object's are key, value, key, value...).
    pub fn container(&mut self, object: bool, children: &[u32]) -> u32 {
        let start = self.kids.len() as u32;
        self.kids.extend_from_slice(children);
        let len = children.len() as u32;
        self.value(if object {
            Value::Obj {
                start,
                len: len / 2,
            }
        } else {
            Value::Arr { start, len }
        })
    }

    pub fn finish(self, root: u32) -> Doc<'static> {
        Doc {
            src: "",
            buffer: self.buffer,
            strings: self.strings,
            values: self.values,
            kids: self.kids,
            root,
        }
    }
}

/// Parse `src`; `None` for anything the pure reader must handle (see the module doc).
pub fn parse(src: &str) -> Option<Doc<'_>> {
    if src.len() >= u32::MAX as usize / 2 {
        return None;
    }
    let spare = SPARE.with(|cell| {
        cell.try_borrow_mut()
            .map(|mut slot| std::mem::take(&mut *slot))
            .unwrap_or_default()
    });
    let mut parser = Parser {
        src,
        bytes: src.as_bytes(),
        pos: 0,
        buffer: spare.buffer,
        strings: spare.strings,
        values: spare.values,
        kids: spare.kids,
    };
    // About one value per 12 bytes of node JSON: reserve once rather than grow.
    let estimate = src.len() / 12;
    parser.values.reserve(estimate);
    parser.kids.reserve(estimate);
    parser.strings.reserve(estimate / 2);
    let root = parser.document();
    let doc = Doc {
        src,
        buffer: parser.buffer,
        strings: parser.strings,
        values: parser.values,
        kids: parser.kids,
        root: root.unwrap_or(0),
    };
    root.map(|_| doc)
}

impl Parser<'_> {
    fn skip(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn push(&mut self, value: Value) -> u32 {
        self.values.push(value);
        (self.values.len() - 1) as u32
    }

    fn document(&mut self) -> Option<u32> {
        let mut stack: Vec<Open> = Vec::new();
        // Children of the open containers, innermost last; an object's are key, value, ...
        let mut pending: Vec<u32> = Vec::new();
        self.skip();
        loop {
            let mut value = match *self.bytes.get(self.pos)? {
                open @ (b'{' | b'[') => {
                    self.pos += 1;
                    self.skip();
                    let object = open == b'{';
                    let close = if object { b'}' } else { b']' };
                    if self.bytes.get(self.pos) == Some(&close) {
                        self.pos += 1;
                        let start = self.kids.len() as u32;
                        self.push(if object {
                            Value::Obj { start, len: 0 }
                        } else {
                            Value::Arr { start, len: 0 }
                        })
                    } else {
                        stack.push(Open {
                            object,
                            start: pending.len(),
                        });
                        if object {
                            let key = self.key()?;
                            pending.push(key);
                        }
                        continue;
                    }
                }
                b'"' => {
                    let string = self.string()?;
                    self.push(Value::Str(string))
                }
                b't' => self.word(b"true", Value::Bool(true))?,
                b'f' => self.word(b"false", Value::Bool(false))?,
                b'n' => self.word(b"null", Value::Null)?,
                _ => self.number()?,
            };
            // Attach `value`, closing every container that ends after it.
            loop {
                let Some(open) = stack.last() else {
                    self.skip();
                    return (self.pos == self.bytes.len()).then_some(value);
                };
                pending.push(value);
                self.skip();
                match *self.bytes.get(self.pos)? {
                    b',' => {
                        self.pos += 1;
                        self.skip();
                        if open.object {
                            let key = self.key()?;
                            pending.push(key);
                        }
                        break;
                    }
                    close @ (b'}' | b']') if (close == b'}') == open.object => {
                        self.pos += 1;
                        let open = stack.pop()?;
                        let start = self.kids.len() as u32;
                        let count = pending.len() - open.start;
                        self.kids.extend(pending.drain(open.start..));
                        value = if open.object {
                            self.push(Value::Obj {
                                start,
                                len: (count / 2) as u32,
                            })
                        } else {
                            self.push(Value::Arr {
                                start,
                                len: count as u32,
                            })
                        };
                    }
                    _ => return None,
                }
            }
            self.skip();
        }
    }

    /// An object key and its colon; returns the key's string index.
    fn key(&mut self) -> Option<u32> {
        if self.bytes.get(self.pos) != Some(&b'"') {
            return None;
        }
        let key = match (self.bytes.get(self.pos + 1), self.bytes.get(self.pos + 2)) {
            (Some(&byte), Some(b'"'))
                if (0x20..0x80).contains(&byte) && byte != b'"' && byte != b'\\' =>
            {
                self.pos += 3;
                (self.pos - 2) as u32 | ONE_BYTE_KEY
            }
            _ => self.string()?,
        };
        self.skip();
        if self.bytes.get(self.pos) != Some(&b':') {
            return None;
        }
        self.pos += 1;
        self.skip();
        Some(key)
    }

    fn word(&mut self, word: &[u8], value: Value) -> Option<u32> {
        if self.bytes[self.pos..].starts_with(word) {
            self.pos += word.len();
            Some(self.push(value))
        } else {
            None
        }
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.pos;
        let bytes = self.bytes;
        if bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match bytes.get(self.pos)? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
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
        let value = if float {
            Value::Float(text.parse().ok()?)
        } else if text.len() <= 18 {
            // At most 18 digits (and a sign) cannot overflow an i64.
            let (negative, digits) = match text.strip_prefix('-') {
                Some(digits) => (true, digits),
                None => (false, text),
            };
            let magnitude = digits
                .bytes()
                .fold(0i64, |acc, digit| acc * 10 + i64::from(digit - b'0'));
            Value::Int(if negative { -magnitude } else { magnitude })
        } else {
            Value::Int(text.parse().ok()?)
        };
        Some(self.push(value))
    }

    fn digits(&mut self) {
        while self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
    }

    /// A string literal at `pos` (the opening quote); returns its string index.
    fn string(&mut self) -> Option<u32> {
        self.pos += 1;
        let start = self.pos;
        let bytes = self.bytes;
        // Skip plain bytes a table lookup at a time; stop at a quote, a backslash or a
        // control character.
        while let Some(&byte) = bytes.get(self.pos) {
            if STOP[usize::from(byte)] {
                break;
            }
            self.pos += 1;
        }
        loop {
            match *bytes.get(self.pos)? {
                b'"' => {
                    let found = StrRef {
                        decoded: false,
                        start: start as u32,
                        len: (self.pos - start) as u32,
                    };
                    self.pos += 1;
                    self.strings.push(found);
                    return Some((self.strings.len() - 1) as u32);
                }
                b'\\' => break,
                0x00..=0x1f => return None,
                _ => self.pos += 1,
            }
        }
        // Escapes: decode into the shared buffer.
        let begin = self.buffer.len();
        self.buffer.push_str(&self.src[start..self.pos]);
        loop {
            let run = self.pos;
            while let Some(&byte) = bytes.get(self.pos) {
                if byte == b'"' || byte == b'\\' || byte < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            self.buffer.push_str(&self.src[run..self.pos]);
            match *bytes.get(self.pos)? {
                b'"' => {
                    self.pos += 1;
                    let found = StrRef {
                        decoded: true,
                        start: begin as u32,
                        len: (self.buffer.len() - begin) as u32,
                    };
                    self.strings.push(found);
                    return Some((self.strings.len() - 1) as u32);
                }
                b'\\' => {
                    let escape = *bytes.get(self.pos + 1)?;
                    self.pos += 2;
                    let decoded = match escape {
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
                    };
                    self.buffer.push(decoded);
                }
                _ => return None, // a raw control character
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

    /// The character of a `\uXXXX` escape (after `\u`); a lone surrogate is `None`.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_values() {
        let doc = parse(r#" {"a": [1, -2.5e3, "x\ny", true, null], "b": {}, "a": 7} "#).unwrap();
        let Value::Obj { start, len } = doc.value(doc.root) else {
            panic!("an object")
        };
        assert_eq!(len, 3);
        assert!(matches!(doc.field(start, len, "a"), Some(Value::Int(7))));
        let first = doc.members(start, len).next().unwrap();
        let Value::Arr { start, len } = doc.value(first.1) else {
            panic!("an array")
        };
        let items = doc.items(start, len);
        assert!(matches!(doc.value(items[1]), Value::Float(value) if value == -2500.0));
        let Value::Str(text) = doc.value(items[2]) else {
            panic!("a string")
        };
        assert_eq!(doc.string(text), "x\ny");
    }

    #[test]
    fn refuses_what_json_refuses() {
        for text in [
            "",
            "[1,]",
            "{\"a\" 1}",
            "01",
            "1.",
            "NaN",
            "[1] x",
            "\"\\ud800\"",
            "\"\t\"",
            "99999999999999999999",
        ] {
            assert!(parse(text).is_none(), "{text}");
        }
        assert!(parse("\"\\ud83d\\ude00\"").is_some());
    }

    /// Mutations of a valid document (bytes flipped, cut, repeated) never panic, and
    /// whatever parses still parses to a document whose indices are all in range.
    #[test]
    fn mutated_texts_never_panic() {
        let base = br#"{"t":{"t":10,"i":0,"p":{"k":["a","b\n"],"v":[{"t":9,"i":1,"a":[0,{"t":0,"s":-1.5e3}],"o":0},{"t":1,"s":"\u00e9\ud83d\ude00"}]},"o":0},"f":127,"m":[1]}"#;
        let alphabet = b"{}[]\",:0123456789-+.eEtrufalsn \\u";
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let mut text = base.to_vec();
            for _ in 0..(next() % 4 + 1) {
                let at = (next() as usize) % text.len();
                match next() % 3 {
                    0 => text[at] = alphabet[(next() as usize) % alphabet.len()],
                    1 => text.truncate(at.max(1)),
                    _ => {
                        let piece = text[at..].iter().take(8).copied().collect::<Vec<u8>>();
                        text.splice(at..at, piece);
                    }
                }
            }
            let Ok(source) = std::str::from_utf8(&text) else {
                continue;
            };
            if let Some(doc) = parse(source) {
                for value in &doc.values {
                    match *value {
                        Value::Str(index) => std::hint::black_box(doc.string(index)).len(),
                        Value::Arr { start, len } => {
                            std::hint::black_box(doc.items(start, len)).len()
                        }
                        Value::Obj { start, len } => doc
                            .members(start, len)
                            .map(|(key, _)| doc.string(key).len())
                            .sum(),
                        _ => 0,
                    };
                }
            }
        }
    }

    #[test]
    fn deep_nesting_is_heap_only() {
        let text = "[".repeat(200_000) + &"]".repeat(200_000);
        let doc = parse(&text).unwrap();
        assert_eq!(doc.values.len(), 200_000);
    }
}

#[cfg(test)]
mod speed {
    #[test]
    #[ignore = "a timing probe: SEROVAL_PARSE_FILE=... cargo test --release -- --ignored"]
    fn parse_speed() {
        let path = std::env::var("SEROVAL_PARSE_FILE").expect("a file");
        let text = std::fs::read_to_string(path).expect("readable");
        let mut best = f64::MAX;
        for _ in 0..50 {
            let start = std::time::Instant::now();
            let doc = super::parse(&text).expect("valid");
            std::hint::black_box(&doc);
            drop(doc);
            best = best.min(start.elapsed().as_secs_f64());
        }
        println!("best {:.3} ms for {} bytes", best * 1000.0, text.len());
    }
}
