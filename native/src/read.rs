//! seroval node JSON text -> Python values, without building the node dicts.
//!
//! The walk is the pure reader's (`protocol/tree/deserialize.py`) for the common
//! node types: numbers, strings, constants, references, Dates, Sets, Maps, plain
//! arrays and plain objects.  A node is read here only when every field it
//! needs is exactly as expected (ids free, lists where lists belong, string keys);
//! any other node, whether another type or a malformed one, goes to the Python
//! reader as plain JSON data (`fallback(node, depth)`) with the same registered
//! values, so it is read, or refused, exactly as the pure path would.  Errors
//! from below get the same path steps (`at("a", 2)`) while the walk unwinds.
//! The walk keeps its own stack: nesting costs heap, never C stack.

use pyo3::prelude::*;
use pyo3::types::{
    PyDateTime, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PySet, PyString, PyTzInfo,
};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::collections::Collections;
use crate::direct;
use crate::json::{self, Doc, Value};
use crate::tree;

const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// Texts from this size on are parsed with the GIL released (smaller ones parse in
/// less time than a release and re-acquire take).
const RELEASE_GIL_FROM: usize = 1 << 16;

/// What the reader builds values with: set up once per process by the Python glue.
#[pyclass(frozen, module = "seroval._native")]
pub struct Reader {
    /// `(None, undefined, True, False, -0.0, inf, -inf, nan)`: the constant nodes' values.
    pub(crate) constants: Vec<Py<PyAny>>,
    pub(crate) hole: Py<PyAny>,
    utc: Py<PyTzInfo>,
    /// `date_from_iso(text)` for the dates the fast path does not parse itself.
    date_from_iso: Py<PyAny>,
    /// `depth_error(limit)` builds the reader's `SerovalDepthLimitError`.
    depth_error: Py<PyAny>,
    serovalerror: Py<PyAny>,
    /// Returned (this very object) when the pure path must read the whole text.
    not_handled: Py<PyAny>,
    /// The record a Map sentinel's id names (one shared, immutable instance).
    pub(crate) map_sentinel: Py<PyAny>,
    /// The types of reader-internal records: a shared id holding one is no value.
    pub(crate) internal_types: Vec<Py<PyAny>>,
    /// How `JSSet` and `JSMap` are built and filled.
    pub(crate) collections: Collections,
}

#[pymethods]
impl Reader {
    #[new]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        constants: Vec<Py<PyAny>>,
        hole: Py<PyAny>,
        js_set: Py<PyAny>,
        js_map: Py<PyAny>,
        utc: Py<PyTzInfo>,
        date_from_iso: Py<PyAny>,
        depth_error: Py<PyAny>,
        serovalerror: Py<PyAny>,
        not_handled: Py<PyAny>,
        map_sentinel: Py<PyAny>,
        internal_types: Vec<Py<PyAny>>,
        js_key: Py<PyAny>,
    ) -> PyResult<Self> {
        let collections = Collections::new(py, js_set.bind(py), js_map.bind(py), js_key)?;
        Ok(Reader {
            collections,
            not_handled,
            map_sentinel,
            internal_types,
            constants,
            hole,
            utc,
            date_from_iso,
            depth_error,
            serovalerror,
        })
    }

    /// Read a node tree given as Python dicts (what `from_json` gets): converted to a
    /// document when it is plain JSON data (else `not_handled`) and walked as text
    /// is, sharing the state of the caller's Deserializer (`state`) and calling
    /// `fallback(node, depth)` for the nodes it does not read itself.
    #[pyo3(signature = (node, depth_limit, state, fallback))]
    fn read_tree<'py>(
        &self,
        py: Python<'py>,
        node: &Bound<'py, PyAny>,
        depth_limit: usize,
        state: Bound<'py, PyAny>,
        fallback: Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let Some(converted) = tree::convert(node)? else {
                return Ok(self.not_handled.bind(py).clone());
            };
            let doc = &converted.doc;
            self.walk(
                py,
                doc,
                doc.root,
                &converted.originals,
                state,
                fallback,
                depth_limit,
            )
        }));
        match result {
            Ok(outcome) => outcome,
            Err(panic) => Err(crate::panic_error(self.serovalerror.bind(py), &panic)),
        }
    }

    /// `deserialize(text)` for the plain part of seroval's JS output (`jsread.rs`):
    /// the value, or `not_handled` where the pure reader must read the text.
    #[pyo3(signature = (text, depth_limit))]
    fn read_js<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyString>,
        depth_limit: usize,
    ) -> Bound<'py, PyAny> {
        // A lone surrogate is no UTF-8: the pure reader reads (or refuses) that text.
        let Ok(text) = text.to_str() else {
            return self.not_handled.bind(py).clone();
        };
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::jsread::read_js(self, py, text, depth_limit)
        }));
        // A panic is a bug in the fast path: the pure reader reads the text instead.
        match caught {
            Ok(Some(value)) => value,
            _ => self.not_handled.bind(py).clone(),
        }
    }

    /// The single-pass reader alone on `text` (a str): the value, or `not_handled`
    /// where it gives up.  For the tests, which check what it accepts and that it
    /// reads that as the pure reader does.
    #[pyo3(signature = (text, depth_limit, shared=None))]
    fn read_direct<'py>(
        &self,
        py: Python<'py>,
        text: &str,
        depth_limit: usize,
        shared: Option<Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let found = direct::read(py, self, text, depth_limit, shared)?;
        Ok(found.unwrap_or_else(|| self.not_handled.bind(py).clone()))
    }

    /// Read `text` (str or UTF-8 bytes).  With `envelope`, the text is a `to_json`
    /// envelope: `begin(features, marked)` is called with its `f` and `m` and returns
    /// `(deserializer, fallback)`; otherwise `begin(None, None)`, for a bare node.
    /// Returns the value, or the `not_handled` object when the pure path must read it all.
    /// Seroval's own layout is read in one pass first (`direct.rs`).
    #[pyo3(signature = (text, depth_limit, begin, envelope))]
    fn read<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
        depth_limit: usize,
        begin: &Bound<'py, PyAny>,
        envelope: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let not_handled = || Ok(self.not_handled.bind(py).clone());
        let owned;
        let source: &str = if let Ok(text) = text.cast::<PyString>() {
            match text.to_str() {
                Ok(source) => source,
                Err(_) => return not_handled(), // lone surrogates: the pure reader decides
            }
        } else if let Ok(bytes) = text.extract::<&[u8]>() {
            match std::str::from_utf8(bytes) {
                Ok(source) => source,
                Err(_) => return not_handled(),
            }
        } else if let Ok(bytes) = text.extract::<Vec<u8>>() {
            owned = bytes;
            match std::str::from_utf8(&owned) {
                Ok(source) => source,
                Err(_) => return not_handled(),
            }
        } else {
            return not_handled();
        };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let shared = if envelope {
                None
            } else {
                let state = begin.call1((None::<i64>, None::<Vec<i64>>))?;
                let values = state.get_item(0)?.getattr(pyo3::intern!(py, "values"))?;
                Some(values.cast_into::<PyDict>()?)
            };
            if let Some(value) = direct::read(py, self, source, depth_limit, shared)? {
                return Ok(value);
            }
            // Parsing touches no Python object: other threads may run meanwhile.
            let parsed = if source.len() >= RELEASE_GIL_FROM {
                py.detach(|| json::parse(source))
            } else {
                json::parse(source)
            };
            let Some(doc) = parsed else {
                return not_handled();
            };
            let (root, features, marked) = if envelope {
                match envelope_parts(&doc) {
                    Some(parts) => parts,
                    None => return not_handled(),
                }
            } else {
                (doc.root, None, None)
            };
            let state = begin.call1((features, marked))?;
            let fallback = state.get_item(1)?;
            let state = state.get_item(0)?;
            self.walk(py, &doc, root, &[], state, fallback, depth_limit)
        }));
        match result {
            Ok(outcome) => outcome,
            Err(panic) => Err(crate::panic_error(self.serovalerror.bind(py), &panic)),
        }
    }
}

impl Reader {
    /// The two-pass walk of `doc` from `root`, sharing the caller's Deserializer state.
    #[allow(clippy::too_many_arguments)]
    fn walk<'py>(
        &self,
        py: Python<'py>,
        doc: &Doc<'_>,
        root: u32,
        originals: &[Option<Bound<'py, PyAny>>],
        state: Bound<'py, PyAny>,
        fallback: Bound<'py, PyAny>,
        depth_limit: usize,
    ) -> PyResult<Bound<'py, PyAny>> {
        let values = state
            .getattr(pyo3::intern!(py, "values"))?
            .cast_into::<PyDict>()?;
        let marked = state.getattr(pyo3::intern!(py, "marked"))?;
        let python_seen = state
            .getattr(pyo3::intern!(py, "seen"))?
            .cast_into::<PySet>()?;
        let python_unresolved = state
            .getattr(pyo3::intern!(py, "unresolved"))?
            .cast_into::<PySet>()?;
        let highest = state
            .getattr(pyo3::intern!(py, "highest"))?
            .extract::<i64>()?;
        let trusted = values.is_empty() && python_seen.is_empty();
        let marked = if marked.is_none() {
            None
        } else {
            let mut ids = HashSet::default();
            for id in marked.cast_into::<PyFrozenSet>()?.iter() {
                // An id past i64 names no node read here (those go to Python, which
                // checks them against its own `marked`).
                if let Ok(id) = id.extract::<i64>() {
                    ids.insert(id);
                }
            }
            Some(ids)
        };
        let mut walk = Walk {
            py,
            reader: self,
            doc,
            originals,
            values,
            trusted,
            marked,
            registered: HashSet::default(),
            sentinels: HashSet::default(),
            seen: HashSet::default(),
            unflushed: Vec::new(),
            highest,
            state,
            python_seen,
            python_unresolved,
            fallback,
            limit: depth_limit,
            stack: Vec::new(),
            keys: HashMap::default(),
        };
        let value = walk.run(root)?;
        if !walk.trusted {
            walk.flush()?;
        }
        Ok(value)
    }
}

/// The envelope's root, `f` and `m`, when they are what the fast path takes
/// (an object with `t`, an integer `f` if any, a list of integers `m` if any).
fn envelope_parts(doc: &Doc<'_>) -> Option<(u32, Option<i64>, Option<Vec<i64>>)> {
    let Value::Obj { start, len } = doc.value(doc.root) else {
        return None;
    };
    let mut root = None;
    for (key, value) in doc.members(start, len) {
        if doc.string(key) == "t" {
            root = Some(value);
        }
    }
    let features = match doc.field(start, len, "f") {
        None => 127,
        Some(Value::Int(features)) => features,
        Some(_) => return None,
    };
    let marked = match doc.field(start, len, "m") {
        None => Vec::new(),
        Some(Value::Arr { start, len }) => {
            let mut ids = Vec::with_capacity(len as usize);
            for &item in doc.items(start, len) {
                match doc.value(item) {
                    Value::Int(id) => ids.push(id),
                    _ => return None,
                }
            }
            ids
        }
        Some(_) => return None,
    };
    Some((root?, Some(features), Some(marked)))
}

enum Frame<'py> {
    /// An array's or a Set's items (`a`).
    Items {
        result: Bound<'py, PyAny>,
        /// A Set's table (`_items`); `None` for an array.
        set: Option<Bound<'py, PyDict>>,
        start: u32,
        len: u32,
        index: u32,
        depth: usize,
    },
    /// A Map's entries (`e.k`, `e.v`): key then value, entry by entry.
    Map {
        result: Bound<'py, PyAny>,
        /// The Map's table (`_entries`).
        table: Bound<'py, PyDict>,
        keys: (u32, u32),
        values: (u32, u32),
        index: u32,
        key: Option<Bound<'py, PyAny>>,
        depth: usize,
    },
    /// A plain object's properties (`p.k` all strings, `p.v`).
    Object {
        result: Bound<'py, PyDict>,
        keys: Vec<Bound<'py, PyString>>,
        values: (u32, u32),
        index: u32,
        depth: usize,
    },
}

struct Walk<'a, 'py> {
    py: Python<'py>,
    reader: &'a Reader,
    doc: &'a Doc<'a>,
    /// With a converted tree: each container's original object, handed over as is.
    originals: &'a [Option<Bound<'py, PyAny>>],
    values: Bound<'py, PyDict>,
    /// The envelope's `m` (vanilla mode): only these ids are registered.
    marked: Option<HashSet<i64>>,
    /// Ids this walk registered; while `trusted`, they are all the `values` dict holds.
    registered: HashSet<i64>,
    /// The ids of the Map sentinels this walk defined.
    sentinels: HashSet<i64>,
    /// Every id this walk defined, registered or not (no id may be defined twice);
    /// `unflushed` are those the Deserializer's own `seen` does not hold yet, and
    /// `highest` the highest id defined, both handed to it before it reads a node.
    seen: HashSet<i64>,
    unflushed: Vec<i64>,
    highest: i64,
    /// The caller's Deserializer, and its `seen` and `unresolved` sets.
    state: Bound<'py, PyAny>,
    python_seen: Bound<'py, PySet>,
    python_unresolved: Bound<'py, PySet>,
    /// False once the Python reader has read a node (or the read began with state):
    /// from then on ids and references are checked against its state as well.
    trusted: bool,
    fallback: Bound<'py, PyAny>,
    limit: usize,
    stack: Vec<Frame<'py>>,
    /// Decoded property keys, shared between objects (as `json` shares them).
    keys: HashMap<&'a str, Bound<'py, PyString>>,
}

enum Read<'py> {
    Value(Bound<'py, PyAny>),
    Pushed,
}

impl<'py> Walk<'_, 'py> {
    fn run(&mut self, root: u32) -> PyResult<Bound<'py, PyAny>> {
        let mut delivered = match self.visit(root, 0) {
            Ok(Read::Value(value)) => return Ok(value),
            Ok(Read::Pushed) => None,
            Err(error) => return Err(error),
        };
        loop {
            if let Some(value) = delivered.take()
                && let Err(error) = self.attach(value)
            {
                return Err(self.annotate(error));
            }
            match self.next_child() {
                Ok(Some((node, depth))) => match self.visit(node, depth) {
                    Ok(Read::Value(value)) => delivered = Some(value),
                    Ok(Read::Pushed) => {}
                    Err(error) => return Err(self.annotate(error)),
                },
                Ok(None) => {
                    let value = match self.stack.pop().expect("a frame") {
                        Frame::Items { result, .. } | Frame::Map { result, .. } => result,
                        Frame::Object { result, .. } => result.into_any(),
                    };
                    if self.stack.is_empty() {
                        return Ok(value);
                    }
                    delivered = Some(value);
                }
                Err(error) => return Err(self.annotate(error)),
            }
        }
    }

    /// Prefix the error's path with each open node's current place (innermost first).
    fn annotate(&mut self, error: PyErr) -> PyErr {
        let py = self.py;
        let Ok(class) = self
            .reader
            .serovalerror
            .bind(py)
            .cast::<pyo3::types::PyType>()
        else {
            return error;
        };
        if !error.is_instance(py, class) {
            return error;
        }
        let value = error.value(py).clone();
        for frame in self.stack.iter().rev() {
            let outcome = match frame {
                Frame::Items { index, .. } => {
                    value.call_method1("at", ("a", index.saturating_sub(1)))
                }
                Frame::Map { index, .. } => {
                    value.call_method1("at", ("e", index.saturating_sub(1)))
                }
                Frame::Object { index, .. } => {
                    value.call_method1("at", ("p", "v", index.saturating_sub(1)))
                }
            };
            if let Err(other) = outcome {
                return other;
            }
        }
        self.stack.clear();
        error
    }

    /// The next child node of the innermost open node (`None` when it is complete).
    fn next_child(&mut self) -> PyResult<Option<(u32, usize)>> {
        let doc = self.doc;
        let hole = self.reader.hole.bind(self.py);
        match self.stack.last_mut().expect("a frame") {
            Frame::Items {
                result,
                set,
                start,
                len,
                index,
                depth,
            } => loop {
                if *index >= *len {
                    return Ok(None);
                }
                let node = doc.kids[(*start + *index) as usize];
                *index += 1;
                if set.is_none() && matches!(doc.value(node), Value::Int(0)) {
                    result.cast::<PyList>()?.append(hole)?;
                    continue;
                }
                return Ok(Some((node, *depth)));
            },
            Frame::Map {
                keys,
                values,
                index,
                key,
                depth,
                ..
            } => {
                if key.is_some() {
                    return Ok(Some((doc.kids[(values.0 + *index - 1) as usize], *depth)));
                }
                if *index >= keys.1 {
                    return Ok(None);
                }
                *index += 1;
                Ok(Some((doc.kids[(keys.0 + *index - 1) as usize], *depth)))
            }
            Frame::Object {
                keys,
                values,
                index,
                depth,
                ..
            } => {
                if *index as usize >= keys.len() {
                    return Ok(None);
                }
                *index += 1;
                Ok(Some((doc.kids[(values.0 + *index - 1) as usize], *depth)))
            }
        }
    }

    /// Hand a finished child value to the innermost open node.
    fn attach(&mut self, value: Bound<'py, PyAny>) -> PyResult<()> {
        match self.stack.last_mut().expect("a frame") {
            Frame::Items {
                result, set: None, ..
            } => result.cast::<PyList>()?.append(value),
            Frame::Items {
                set: Some(table), ..
            } => self.reader.collections.set_add(table, value),
            Frame::Map { table, key, .. } => match key.take() {
                None => {
                    *key = Some(value);
                    Ok(())
                }
                Some(key) => self.reader.collections.map_set(table, key, value),
            },
            Frame::Object {
                result,
                keys,
                index,
                ..
            } => result.set_item(&keys[*index as usize - 1], value),
        }
    }

    fn depth_error(&self) -> PyErr {
        match self.reader.depth_error.bind(self.py).call1((self.limit,)) {
            Ok(error) => PyErr::from_value(error),
            Err(error) => error,
        }
    }

    /// The node as plain JSON data, read by the Python reader.
    fn hand_over(&mut self, node: u32, depth: usize) -> PyResult<Read<'py>> {
        self.flush()?;
        self.trusted = false; // the Python reader may register ids of its own
        let data = match self.originals.get(node as usize) {
            Some(Some(original)) => original.clone(),
            _ => self.to_python(node)?,
        };
        Ok(Read::Value(self.fallback.call1((data, depth))?))
    }

    /// Tell the Deserializer the ids this walk defined since it last read a node.
    fn flush(&mut self) -> PyResult<()> {
        if self.unflushed.is_empty() {
            return Ok(());
        }
        for id in self.unflushed.drain(..) {
            self.python_seen.add(id)?;
        }
        let name = pyo3::intern!(self.py, "highest");
        let theirs = self.state.getattr(name)?.extract::<i64>()?;
        if self.highest > theirs {
            self.state.setattr(name, self.highest)?;
        }
        Ok(())
    }

    /// Whether `id` is a fresh id: not defined before, nor referred to before.
    fn is_free(&self, id: i64) -> PyResult<bool> {
        if id < 0 || self.seen.contains(&id) {
            return Ok(false);
        }
        Ok(self.trusted
            || !(self.values.contains(id)?
                || self.python_seen.contains(id)?
                || self.python_unresolved.contains(id)?))
    }

    fn claim(&mut self, id: i64) {
        self.seen.insert(id);
        self.unflushed.push(id);
        self.highest = self.highest.max(id);
    }

    /// Claim a fresh id for the node (`None`: missing, malformed, defined before or
    /// referred to before; the Python reader then says which and whether to refuse).
    fn free_id(&mut self, field: Option<Value>) -> PyResult<Option<i64>> {
        let Some(Value::Int(id)) = field else {
            return Ok(None);
        };
        if !self.is_free(id)? {
            return Ok(None);
        }
        self.claim(id);
        Ok(Some(id))
    }

    /// A Map's `f` slot: `Some(Some(id))` for a fresh sentinel node with a free id
    /// (other than `map_id`), `Some(None)` for a reference to a sentinel this walk
    /// defined (or the shared one of an earlier read); `None` for anything else,
    /// which the Python reader reads, or refuses.
    fn map_sentinel(
        &self,
        slot: Option<Value>,
        map_id: Option<Value>,
    ) -> PyResult<Option<Option<i64>>> {
        let Some(Value::Obj { start, len }) = slot else {
            return Ok(None);
        };
        let fields = self.doc.fields(start, len);
        match (fields.t, fields.i) {
            (Some(Value::Int(26)), Some(Value::Int(id))) => {
                let fresh = matches!(fields.s, Some(Value::Int(0)))
                    && !matches!(map_id, Some(Value::Int(map)) if map == id)
                    && self.is_free(id)?;
                Ok(fresh.then_some(Some(id)))
            }
            (Some(Value::Int(4)), Some(Value::Int(id))) if id >= 0 => {
                // As the Python reader: a sentinel is found by reference only where
                // its id was kept (marked, or every id kept).
                let kept = self
                    .marked
                    .as_ref()
                    .is_none_or(|marked| marked.contains(&id));
                let known = (self.sentinels.contains(&id) && kept)
                    || self
                        .values
                        .get_item(id)?
                        .is_some_and(|found| found.is(self.reader.map_sentinel.bind(self.py)));
                Ok(known.then_some(None))
            }
            _ => Ok(None),
        }
    }

    fn assign(&mut self, id: i64, value: &Bound<'py, PyAny>) -> PyResult<()> {
        let keep = match &self.marked {
            None => true,
            Some(marked) => marked.contains(&id),
        };
        if keep {
            self.values.set_item(id, value)?;
            self.registered.insert(id);
        }
        Ok(())
    }

    fn visit(&mut self, node: u32, depth: usize) -> PyResult<Read<'py>> {
        if depth > self.limit {
            return Err(self.depth_error());
        }
        let doc = self.doc;
        let py = self.py;
        let Value::Obj { start, len } = doc.value(node) else {
            return self.hand_over(node, depth);
        };
        let fields = doc.fields(start, len);
        let Some(Value::Int(kind)) = fields.t else {
            return self.hand_over(node, depth);
        };
        let inner = depth + 1;
        if matches!(kind, 0..=2) && fields.i.is_some() {
            return self.hand_over(node, depth); // a primitive with an id: refused there
        }
        match kind {
            0 => {
                let number = match fields.s {
                    Some(Value::Int(value))
                        if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&value) =>
                    {
                        PyInt::new(py, value).into_any()
                    }
                    Some(Value::Int(value)) => PyFloat::new(py, value as f64).into_any(),
                    Some(Value::Float(value))
                        if !value.is_finite() || (value == 0.0 && value.is_sign_negative()) =>
                    {
                        return self.hand_over(node, depth); // no number literal: refused there
                    }
                    Some(Value::Float(value)) => {
                        if value.fract() == 0.0
                            && value.abs() <= MAX_SAFE_INTEGER as f64
                            && !(value == 0.0 && value.is_sign_negative())
                        {
                            PyInt::new(py, value as i64).into_any()
                        } else {
                            PyFloat::new(py, value).into_any()
                        }
                    }
                    _ => return self.hand_over(node, depth),
                };
                Ok(Read::Value(number))
            }
            1 => match fields.s {
                Some(Value::Str(text)) => {
                    Ok(Read::Value(unescaped(py, doc.string(text)).into_any()))
                }
                _ => self.hand_over(node, depth),
            },
            2 => match fields.s {
                Some(Value::Int(index)) if (0..8).contains(&index) => Ok(Read::Value(
                    self.reader.constants[index as usize].bind(py).clone(),
                )),
                _ => self.hand_over(node, depth),
            },
            4 => match fields.i {
                // Only values this walk registered are taken here: the Python reader
                // may hold internal records under other ids, which it refuses.
                Some(Value::Int(id)) if id >= 0 && self.registered.contains(&id) => {
                    match self.values.get_item(id)? {
                        Some(found) => Ok(Read::Value(found)),
                        None => self.hand_over(node, depth), // undefined or refused: Python says
                    }
                }
                _ => self.hand_over(node, depth),
            },
            5 => {
                let (Some(Value::Str(text)), Some(id)) = (fields.s, self.free_id(fields.i)?) else {
                    return self.hand_over(node, depth);
                };
                let date = self.date(doc.string(text))?;
                self.assign(id, &date)?;
                Ok(Read::Value(date))
            }
            7 | 9 => {
                let Some(Value::Arr {
                    start: items,
                    len: count,
                }) = fields.a
                else {
                    return self.hand_over(node, depth);
                };
                let flag = if kind == 9 { fields.o } else { None };
                if !matches!(flag, None | Some(Value::Int(0))) {
                    return self.hand_over(node, depth); // a JSArray, or a bad flag
                }
                let Some(id) = self.free_id(fields.i)? else {
                    return self.hand_over(node, depth);
                };
                let (result, set) = if kind == 9 {
                    (PyList::empty(py).into_any(), None)
                } else {
                    let (set, table) = self.reader.collections.new_set(py)?;
                    (set, Some(table))
                };
                self.assign(id, &result)?;
                if count == 0 {
                    return Ok(Read::Value(result));
                }
                self.stack.push(Frame::Items {
                    result,
                    set,
                    start: items,
                    len: count,
                    index: 0,
                    depth: inner,
                });
                Ok(Read::Pushed)
            }
            8 => {
                let Some((keys, values)) = self.record(fields.e) else {
                    return self.hand_over(node, depth);
                };
                let Some(sentinel) = self.map_sentinel(fields.f, fields.i)? else {
                    return self.hand_over(node, depth);
                };
                let Some(id) = self.free_id(fields.i)? else {
                    return self.hand_over(node, depth);
                };
                let (result, table) = self.reader.collections.new_map(py)?;
                self.assign(id, &result)?;
                if let Some(sentinel) = sentinel {
                    self.claim(sentinel);
                    self.sentinels.insert(sentinel);
                    let record = self.reader.map_sentinel.bind(py).clone();
                    if self
                        .marked
                        .as_ref()
                        .is_none_or(|marked| marked.contains(&sentinel))
                    {
                        self.values.set_item(sentinel, record)?;
                    }
                }
                if keys.1 == 0 {
                    return Ok(Read::Value(result));
                }
                self.stack.push(Frame::Map {
                    result,
                    table,
                    keys,
                    values,
                    index: 0,
                    key: None,
                    depth: inner,
                });
                Ok(Read::Pushed)
            }
            10 => {
                if !matches!(fields.o, None | Some(Value::Int(0))) {
                    return self.hand_over(node, depth);
                }
                let Some((keys, values)) = self.record(fields.p) else {
                    return self.hand_over(node, depth);
                };
                let mut names = Vec::with_capacity(keys.1 as usize);
                for &key in doc.items(keys.0, keys.1) {
                    let Value::Str(text) = doc.value(key) else {
                        return self.hand_over(node, depth); // symbol keys: the Python reader
                    };
                    names.push(self.key(text));
                }
                let Some(id) = self.free_id(fields.i)? else {
                    return self.hand_over(node, depth);
                };
                let result = PyDict::new(py);
                self.assign(id, result.as_any())?;
                if names.is_empty() {
                    return Ok(Read::Value(result.into_any()));
                }
                self.stack.push(Frame::Object {
                    result,
                    keys: names,
                    values,
                    index: 0,
                    depth: inner,
                });
                Ok(Read::Pushed)
            }
            _ => self.hand_over(node, depth),
        }
    }

    /// A `{k, v}` record field: two lists of equal length, as (start, len) runs.
    fn record(&self, field: Option<Value>) -> Option<((u32, u32), (u32, u32))> {
        let Some(Value::Obj { start, len }) = field else {
            return None;
        };
        let fields = self.doc.fields(start, len);
        let (Some(Value::Arr { start: ks, len: kl }), Some(Value::Arr { start: vs, len: vl })) =
            (fields.k, fields.v)
        else {
            return None;
        };
        (kl == vl).then_some(((ks, kl), (vs, vl)))
    }

    fn key(&mut self, text: u32) -> Bound<'py, PyString> {
        let doc = self.doc;
        let py = self.py;
        let name = doc.string(text);
        self.keys
            .entry(name)
            .or_insert_with(|| unescaped(py, name))
            .clone()
    }

    fn date(&self, text: &str) -> PyResult<Bound<'py, PyAny>> {
        iso_date(self.reader, self.py, text)
    }

    /// The node's subtree as plain Python JSON data (dicts, lists, str, int, float, ...).
    fn to_python(&self, node: u32) -> PyResult<Bound<'py, PyAny>> {
        let doc = self.doc;
        let py = self.py;
        let scalar = |value: Value| -> Option<Bound<'py, PyAny>> {
            Some(match value {
                Value::Null => py.None().into_bound(py),
                Value::Bool(truth) => pyo3::types::PyBool::new(py, truth).to_owned().into_any(),
                Value::Int(number) => PyInt::new(py, number).into_any(),
                Value::Float(number) => PyFloat::new(py, number).into_any(),
                Value::Str(text) => PyString::new(py, doc.string(text)).into_any(),
                Value::Arr { .. } | Value::Obj { .. } => return None,
            })
        };
        if let Some(value) = scalar(doc.value(node)) {
            return Ok(value);
        }
        // (container, its children (key string or u32::MAX, value), next child)
        let mut stack: Vec<OpenContainer<'py>> = Vec::new();
        let open = |node: u32| -> OpenContainer<'py> {
            match doc.value(node) {
                Value::Arr { start, len } => {
                    let kids = doc
                        .items(start, len)
                        .iter()
                        .map(|&kid| (u32::MAX, kid))
                        .collect();
                    (PyList::empty(py).into_any(), kids, 0)
                }
                Value::Obj { start, len } => (
                    PyDict::new(py).into_any(),
                    doc.members(start, len).collect(),
                    0,
                ),
                _ => unreachable!("a container"),
            }
        };
        stack.push(open(node));
        loop {
            let (container, kids, next) = stack.last_mut().expect("an open container");
            if *next >= kids.len() {
                let (done, _, _) = stack.pop().expect("an open container");
                let Some((parent, kids, next)) = stack.last() else {
                    return Ok(done);
                };
                put(py, doc, parent, kids[*next - 1].0, done)?;
                continue;
            }
            let (key, kid) = kids[*next];
            *next += 1;
            match scalar(doc.value(kid)) {
                Some(value) => put(py, doc, container, key, value)?,
                None => stack.push(open(kid)),
            }
        }
    }
}

/// A container being converted: the Python object, its (key or `u32::MAX`, value)
/// children, and the next child.
type OpenContainer<'py> = (Bound<'py, PyAny>, Vec<(u32, u32)>, usize);

fn put<'py>(
    py: Python<'py>,
    doc: &Doc<'_>,
    container: &Bound<'py, PyAny>,
    key: u32,
    value: Bound<'py, PyAny>,
) -> PyResult<()> {
    if key == u32::MAX {
        container.cast::<PyList>()?.append(value)
    } else {
        container
            .cast::<PyDict>()?
            .set_item(PyString::new(py, doc.string(key)), value)
    }
}

/// `date_from_iso(text)`: seroval's own `toISOString` spelling directly, the rest in Python.
pub(crate) fn iso_date<'py>(
    reader: &Reader,
    py: Python<'py>,
    text: &str,
) -> PyResult<Bound<'py, PyAny>> {
    if let Some((year, month, day, hour, minute, second, millis)) = iso_fields(text) {
        let utc = reader.utc.bind(py);
        let date = PyDateTime::new(
            py,
            year,
            month,
            day,
            hour,
            minute,
            second,
            millis * 1000,
            Some(utc),
        )?;
        return Ok(date.into_any());
    }
    reader.date_from_iso.bind(py).call1((text,))
}

/// `YYYY-MM-DDTHH:mm:ss.sssZ` with a valid date and time within years 1-9999, as fields.
fn iso_fields(text: &str) -> Option<(i32, u8, u8, u8, u8, u8, u32)> {
    let bytes = text.as_bytes();
    if bytes.len() != 24 || bytes[23] != b'Z' {
        return None;
    }
    let number = |from: usize, to: usize| -> Option<u32> {
        let part = &bytes[from..to];
        part.iter().all(u8::is_ascii_digit).then(|| {
            part.iter()
                .fold(0, |acc, digit| acc * 10 + u32::from(digit - b'0'))
        })
    };
    for (index, separator) in [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'.'),
    ] {
        if bytes[index] != separator {
            return None;
        }
    }
    let year = number(0, 4)?;
    let month = number(5, 7)?;
    let day = number(8, 10)?;
    let (hour, minute, second, millis) = (
        number(11, 13)?,
        number(14, 16)?,
        number(17, 19)?,
        number(20, 23)?,
    );
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if year == 0 || !(1..=12).contains(&month) || day == 0 || day > days[month as usize - 1] {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some((
        year as i32,
        month as u8,
        day as u8,
        hour as u8,
        minute as u8,
        second as u8,
        millis,
    ))
}

/// seroval's `unescape_string`: its ten escapes undone, any other backslash kept.
pub(crate) fn unescaped<'py>(py: Python<'py>, text: &str) -> Bound<'py, PyString> {
    if !text.contains('\\') {
        return PyString::new(py, text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(found) = rest.find('\\') {
        out.push_str(&rest[..found]);
        let tail = &rest[found..];
        let (replacement, skip) = match tail.as_bytes().get(1) {
            Some(b'\\') => ("\\", 2),
            Some(b'"') => ("\"", 2),
            Some(b'n') => ("\n", 2),
            Some(b'r') => ("\r", 2),
            Some(b'b') => ("\u{8}", 2),
            Some(b't') => ("\t", 2),
            Some(b'f') => ("\u{c}", 2),
            _ if tail.starts_with("\\x3C") => ("<", 4),
            _ if tail.starts_with("\\u2028") => ("\u{2028}", 6),
            _ if tail.starts_with("\\u2029") => ("\u{2029}", 6),
            _ => ("\\", 1),
        };
        out.push_str(replacement);
        rest = &tail[skip..];
    }
    out.push_str(rest);
    PyString::new(py, &out)
}
