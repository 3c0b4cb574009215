//! Python value -> seroval node JSON text, without building the node dicts.
//!
//! The walk is the pure parser's (`protocol/tree/parse.py`), id for id: pre-order
//! ids for every container the first time it is met, a mark the second time, the
//! Map sentinel's hidden id after its Map's.  Ids and marks live in the caller's
//! `WriteRefs` tables (`_ids`, `_values`) and the parser's `marked` dict, so values
//! outside the fast path are handed to the Python parser (`fallback(value, depth)`)
//! with the same tables, and its node is written with `dumps(node)`.
//!
//! The fast path takes exact types only: `None`, `bool`, `int` within +-(2**53-1),
//! `float`, `str` (UTF-8 encodable), `undefined`, `hole` in lists, `list`, `tuple`,
//! `dict` with `str` keys, `set`, `frozenset`, `JSSet`, `JSMap` and aware
//! `datetime`.  The walk keeps its own stack (`Vec<Frame>`): nesting costs heap,
//! never C stack, and the depth limit is checked exactly where the parser checks it.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyDateAccess, PyDateTime, PyDelta, PyDeltaAccess, PyDict, PyFloat, PyFrozenSet, PyInt,
    PyList, PySet, PyString, PyTimeAccess, PyTuple,
};

use crate::text;

const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// What the walker compares against: set up once per process by the Python glue.
#[pyclass(frozen, module = "seroval._native")]
pub struct Writer {
    pub(crate) undefined: Py<PyAny>,
    pub(crate) hole: Py<PyAny>,
    pub(crate) js_set: Py<PyAny>,
    pub(crate) js_map: Py<PyAny>,
    pub(crate) map_marker: Py<PyAny>,
    /// `create_reference`'s identity table (`id(value) -> (name, value)`).
    pub(crate) registry: Py<PyDict>,
    /// `depth_error(limit)` builds the parser's `SerovalDepthLimitError`.
    depth_error: Py<PyAny>,
    serovalerror: Py<PyAny>,
}

#[pymethods]
impl Writer {
    #[new]
    #[allow(clippy::too_many_arguments)]
    fn new(
        undefined: Py<PyAny>,
        hole: Py<PyAny>,
        js_set: Py<PyAny>,
        js_map: Py<PyAny>,
        map_marker: Py<PyAny>,
        registry: Py<PyDict>,
        depth_error: Py<PyAny>,
        serovalerror: Py<PyAny>,
    ) -> Self {
        Writer {
            undefined,
            hole,
            js_set,
            js_map,
            map_marker,
            registry,
            depth_error,
            serovalerror,
        }
    }

    /// `serialize` (or, with `cross`, `cross_serialize`) text of `value` in one walk,
    /// or `None` where the pure path must write it (see `jswrite.rs`).
    #[pyo3(signature = (value, ids, values, marked, depth_limit, cross, assign_all, scope=None, plugins=0))]
    #[allow(clippy::too_many_arguments)]
    fn write_js(
        &self,
        py: Python<'_>,
        value: &Bound<'_, PyAny>,
        ids: &Bound<'_, PyDict>,
        values: &Bound<'_, PyList>,
        marked: &Bound<'_, PyDict>,
        depth_limit: usize,
        cross: bool,
        assign_all: bool,
        scope: Option<&str>,
        plugins: u8,
    ) -> Option<String> {
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::jswrite::write_js(
                self,
                py,
                value,
                ids,
                values,
                marked,
                depth_limit,
                cross,
                assign_all,
                scope,
                plugins,
            )
        }));
        // A panic is a bug in the fast path: the pure path writes the value instead.
        caught.unwrap_or(None)
    }

    /// The node JSON text of `value`; with `features`, the whole `{"t","f","m"}` envelope.
    #[allow(clippy::too_many_arguments)]
    ///
    /// `plugins` is 0 without plugins, 1 with plugins that skip plain objects, 2 with
    /// plugins that may take a plain dict: every value a plugin could take (anything
    /// but primitives and lists) then goes to the Python parser, which asks them.
    #[pyo3(signature = (value, ids, values, marked, depth_limit, fallback, dumps, features=None, plugins=0))]
    fn write(
        &self,
        py: Python<'_>,
        value: &Bound<'_, PyAny>,
        ids: &Bound<'_, PyDict>,
        values: &Bound<'_, PyList>,
        marked: &Bound<'_, PyDict>,
        depth_limit: usize,
        fallback: &Bound<'_, PyAny>,
        dumps: &Bound<'_, PyAny>,
        features: Option<i64>,
        plugins: u8,
    ) -> PyResult<String> {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut walk = Walk {
                py,
                writer: self,
                out: Vec::with_capacity(4096),
                ids,
                values,
                marked,
                limit: depth_limit,
                fallback,
                dumps,
                registry: self.registry.bind(py),
                plugins,
                stack: Vec::new(),
            };
            if features.is_some() {
                walk.out.extend_from_slice(b"{\"t\":");
            }
            walk.run(value)?;
            if let Some(features) = features {
                walk.out.extend_from_slice(b",\"f\":");
                text::int(&mut walk.out, features);
                walk.out.extend_from_slice(b",\"m\":[");
                for (index, (key, _)) in marked.iter().enumerate() {
                    if index > 0 {
                        walk.out.push(b',');
                    }
                    text::int(&mut walk.out, key.extract::<i64>()?);
                }
                walk.out.extend_from_slice(b"]}");
            }
            String::from_utf8(walk.out).map_err(|_| PyRuntimeError::new_err("invalid UTF-8"))
        }));
        match result {
            Ok(outcome) => outcome,
            Err(panic) => Err(crate::panic_error(self.serovalerror.bind(py), &panic)),
        }
    }
}

enum Frame<'py> {
    /// A list or tuple, read live by index as Python's iterator reads it.
    Seq {
        seq: Bound<'py, PyAny>,
        index: usize,
        depth: usize,
        holes: bool,
    },
    /// A set's items (taken at once, as `list(value)` does).
    Items {
        items: Vec<Bound<'py, PyAny>>,
        index: usize,
        depth: usize,
    },
    /// A dict's values, keys already written.
    Props {
        keys: Vec<Bound<'py, PyString>>,
        items: Vec<Bound<'py, PyAny>>,
        index: usize,
        depth: usize,
    },
    /// A Map's entries: key and value texts are gathered apart (`e.k`, `e.v`).
    Map {
        entries: Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>,
        index: usize,
        second: bool,
        depth: usize,
        mark: usize,
        keys: Vec<u8>,
        vals: Vec<u8>,
        sentinel: Vec<u8>,
    },
}

struct Walk<'a, 'py> {
    py: Python<'py>,
    writer: &'a Writer,
    out: Vec<u8>,
    ids: &'a Bound<'py, PyDict>,
    values: &'a Bound<'py, PyList>,
    marked: &'a Bound<'py, PyDict>,
    limit: usize,
    fallback: &'a Bound<'py, PyAny>,
    dumps: &'a Bound<'py, PyAny>,
    registry: &'a Bound<'py, PyDict>,
    plugins: u8,
    stack: Vec<Frame<'py>>,
}

enum Step<'py> {
    Child(Bound<'py, PyAny>, usize),
    Done,
}

impl<'py> Walk<'_, 'py> {
    fn run(&mut self, root: &Bound<'py, PyAny>) -> PyResult<()> {
        if let Err(error) = self.visit(root, 0) {
            return Err(self.annotate(error));
        }
        while !self.stack.is_empty() {
            let outcome = match self.next_step() {
                Ok(Step::Child(child, depth)) => self.visit(&child, depth),
                Ok(Step::Done) => self.finish(),
                Err(error) => Err(error),
            };
            if let Err(error) = outcome {
                return Err(self.annotate(error));
            }
        }
        Ok(())
    }

    /// Prefix the error's path with each open container's current place (innermost first).
    fn annotate(&mut self, error: PyErr) -> PyErr {
        let py = self.py;
        if !error.is_instance(
            py,
            self.writer
                .serovalerror
                .bind(py)
                .cast::<pyo3::types::PyType>()
                .expect("a class"),
        ) {
            return error;
        }
        let value = error.value(py).clone();
        for frame in self.stack.iter().rev() {
            let step: PyResult<Bound<'py, PyAny>> = match frame {
                Frame::Seq { index, .. } | Frame::Items { index, .. } => {
                    Ok(PyInt::new(py, index.saturating_sub(1)).into_any())
                }
                Frame::Map { index, .. } => Ok(PyInt::new(py, index.saturating_sub(1)).into_any()),
                Frame::Props { keys, index, .. } => {
                    Ok(keys[index.saturating_sub(1)].clone().into_any())
                }
            };
            match step.and_then(|step| value.call_method1("at", (step,))) {
                Ok(_) => {}
                Err(other) => return other,
            }
        }
        self.stack.clear();
        error
    }

    fn next_step(&mut self) -> PyResult<Step<'py>> {
        let hole = self.writer.hole.bind(self.py).as_ptr();
        let frame = self.stack.last_mut().expect("a frame");
        match frame {
            Frame::Seq {
                seq,
                index,
                depth,
                holes,
            } => loop {
                let length = seq.len()?;
                if *index >= length {
                    return Ok(Step::Done);
                }
                let item = seq.get_item(*index)?;
                if *index > 0 {
                    self.out.push(b',');
                }
                *index += 1;
                if *holes && item.as_ptr() == hole {
                    self.out.push(b'0');
                    continue;
                }
                return Ok(Step::Child(item, *depth));
            },
            Frame::Items {
                items,
                index,
                depth,
            }
            | Frame::Props {
                items,
                index,
                depth,
                ..
            } => {
                if *index >= items.len() {
                    return Ok(Step::Done);
                }
                if *index > 0 {
                    self.out.push(b',');
                }
                *index += 1;
                Ok(Step::Child(items[*index - 1].clone(), *depth))
            }
            Frame::Map {
                entries,
                index,
                second,
                depth,
                mark,
                keys,
                vals,
                ..
            } => {
                if *index > 0 || *second {
                    // The previous key or value is complete: move its text aside.
                    let target = if *second { &mut *keys } else { &mut *vals };
                    if !target.is_empty() {
                        target.push(b',');
                    }
                    target.extend_from_slice(&self.out[*mark..]);
                    self.out.truncate(*mark);
                }
                *mark = self.out.len();
                if *second {
                    *second = false;
                    return Ok(Step::Child(entries[*index - 1].1.clone(), *depth));
                }
                if *index >= entries.len() {
                    return Ok(Step::Done);
                }
                *index += 1;
                *second = true;
                Ok(Step::Child(entries[*index - 1].0.clone(), *depth))
            }
        }
    }

    fn finish(&mut self) -> PyResult<()> {
        match self.stack.pop().expect("a frame") {
            Frame::Seq { .. } => self.out.extend_from_slice(b"],\"o\":0}"),
            Frame::Items { .. } => self.out.extend_from_slice(b"]}"),
            Frame::Props { .. } => self.out.extend_from_slice(b"]},\"o\":0}"),
            Frame::Map {
                keys,
                vals,
                sentinel,
                ..
            } => {
                self.out.extend_from_slice(b"\"e\":{\"k\":[");
                self.out.extend_from_slice(&keys);
                self.out.extend_from_slice(b"],\"v\":[");
                self.out.extend_from_slice(&vals);
                self.out.extend_from_slice(b"]},\"f\":");
                self.out.extend_from_slice(&sentinel);
                self.out.push(b'}');
            }
        }
        Ok(())
    }

    fn depth_error(&self) -> PyErr {
        match self.writer.depth_error.bind(self.py).call1((self.limit,)) {
            Ok(error) => PyErr::from_value(error),
            Err(error) => error,
        }
    }

    fn hand_over(&mut self, value: &Bound<'py, PyAny>, depth: usize) -> PyResult<()> {
        let node = self.fallback.call1((value, depth))?;
        let text = self.dumps.call1((node,))?;
        self.out
            .extend_from_slice(text.cast::<PyString>()?.to_str()?.as_bytes());
        Ok(())
    }

    /// The id already taken by `value` (marking it), or a fresh one.
    fn identify(&mut self, value: &Bound<'py, PyAny>) -> PyResult<Result<i64, i64>> {
        let key = PyInt::new(self.py, value.as_ptr() as usize);
        if let Some(found) = self.ids.get_item(&key)? {
            self.marked.set_item(&found, self.py.None())?;
            return Ok(Err(found.extract()?));
        }
        let node_id = self.values.len() as i64;
        self.ids.set_item(key, node_id)?;
        self.values.append(value)?;
        Ok(Ok(node_id))
    }

    fn registered(&self, value: &Bound<'py, PyAny>) -> PyResult<bool> {
        if self.registry.is_empty() {
            return Ok(false);
        }
        let key = PyInt::new(self.py, value.as_ptr() as usize);
        Ok(self.registry.get_item(key)?.is_some())
    }

    fn reference(&mut self, node_id: i64) {
        self.out.extend_from_slice(b"{\"t\":4,\"i\":");
        text::int(&mut self.out, node_id);
        self.out.push(b'}');
    }

    fn open(&mut self, tag: &[u8], node_id: i64, field: &[u8]) {
        self.out.extend_from_slice(b"{\"t\":");
        self.out.extend_from_slice(tag);
        self.out.extend_from_slice(b",\"i\":");
        text::int(&mut self.out, node_id);
        self.out.extend_from_slice(field);
    }

    fn visit(&mut self, value: &Bound<'py, PyAny>, depth: usize) -> PyResult<()> {
        if depth >= self.limit {
            return Err(self.depth_error());
        }
        let py = self.py;
        if let Ok(text) = value.cast_exact::<PyString>() {
            match text.to_str() {
                Ok(text) => {
                    self.out.extend_from_slice(b"{\"t\":1,\"s\":");
                    text::node_string(&mut self.out, text);
                    self.out.push(b'}');
                    return Ok(());
                }
                Err(_) => return self.hand_over(value, depth), // a lone surrogate
            }
        }
        if value.is_exact_instance_of::<PyBool>() {
            let truth = value.is_truthy()?;
            self.out.extend_from_slice(if truth {
                b"{\"t\":2,\"s\":2}"
            } else {
                b"{\"t\":2,\"s\":3}"
            });
            return Ok(());
        }
        if value.is_exact_instance_of::<PyInt>() {
            if let Ok(number) = value.extract::<i64>()
                && (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&number)
            {
                self.out.extend_from_slice(b"{\"t\":0,\"s\":");
                text::int(&mut self.out, number);
                self.out.push(b'}');
                return Ok(());
            }
            return self.hand_over(value, depth); // a BigInt
        }
        if let Ok(float) = value.cast_exact::<PyFloat>() {
            self.float(float.value());
            return Ok(());
        }
        if value.is_none() {
            self.out.extend_from_slice(b"{\"t\":2,\"s\":0}");
            return Ok(());
        }
        if value.as_ptr() == self.writer.undefined.bind(py).as_ptr() {
            self.out.extend_from_slice(b"{\"t\":2,\"s\":1}");
            return Ok(());
        }
        let kind = value.get_type();
        let is_list =
            value.is_exact_instance_of::<PyList>() || value.is_exact_instance_of::<PyTuple>();
        let is_dict = value.is_exact_instance_of::<PyDict>();
        let is_set = value.is_exact_instance_of::<PySet>()
            || value.is_exact_instance_of::<PyFrozenSet>()
            || kind.is(self.writer.js_set.bind(py));
        let is_map = kind.is(self.writer.js_map.bind(py));
        let is_date = value.is_exact_instance_of::<PyDateTime>();
        let to_plugins = match self.plugins {
            0 => false,
            1 => !(is_list || is_dict),
            _ => !is_list,
        };
        if !(is_list || is_dict || is_set || is_map || is_date)
            || to_plugins
            || self.registered(value)?
        {
            return self.hand_over(value, depth);
        }
        if is_dict {
            return self.dict(value.cast::<PyDict>()?, depth);
        }
        let mut holes = false;
        if is_list {
            let hole = self.writer.hole.bind(py);
            for item in value.try_iter()? {
                if item?.is(hole) {
                    holes = true;
                    break;
                }
            }
            if holes && value.len()? > 1_000_000 {
                return self.hand_over(value, depth); // the parser's sparse-array limit
            }
        }
        if is_date {
            return self.date(value, depth);
        }
        let node_id = match self.identify(value)? {
            Ok(node_id) => node_id,
            Err(node_id) => {
                self.reference(node_id);
                return Ok(());
            }
        };
        let inner = depth + 1;
        if is_list {
            let length = value.len()?;
            if length > 0 && !holes && inner >= self.limit {
                return Err(self.depth_error());
            }
            self.open(b"9", node_id, b",\"a\":[");
            self.stack.push(Frame::Seq {
                seq: value.clone(),
                index: 0,
                depth: inner,
                holes,
            });
            return Ok(());
        }
        if is_set {
            let items: Vec<Bound<'py, PyAny>> = if kind.is(self.writer.js_set.bind(py)) {
                let table = value.getattr(pyo3::intern!(py, "_items"))?;
                table.cast::<PyDict>()?.values().iter().collect()
            } else {
                let mut items = Vec::with_capacity(value.len()?);
                for item in value.try_iter()? {
                    items.push(item?);
                }
                items
            };
            if !items.is_empty() && inner >= self.limit {
                return Err(self.depth_error());
            }
            self.open(b"7", node_id, b",\"a\":[");
            self.stack.push(Frame::Items {
                items,
                index: 0,
                depth: inner,
            });
            return Ok(());
        }
        // A JSMap: the sentinel's id comes before the entries'.
        let table = value.getattr(pyo3::intern!(py, "_entries"))?;
        let mut entries = Vec::new();
        for entry in table.cast::<PyDict>()?.values().iter() {
            let pair = entry.cast::<PyTuple>()?;
            entries.push((pair.get_item(0)?, pair.get_item(1)?));
        }
        let mut sentinel = Vec::new();
        let marker = self.writer.map_marker.bind(py).clone();
        match self.identify(&marker)? {
            Ok(sentinel_id) => {
                sentinel.extend_from_slice(b"{\"t\":26,\"i\":");
                text::int(&mut sentinel, sentinel_id);
                sentinel.extend_from_slice(b",\"s\":0}");
            }
            Err(sentinel_id) => {
                sentinel.extend_from_slice(b"{\"t\":4,\"i\":");
                text::int(&mut sentinel, sentinel_id);
                sentinel.push(b'}');
            }
        }
        if !entries.is_empty() && inner >= self.limit {
            return Err(self.depth_error());
        }
        self.open(b"8", node_id, b",");
        let mark = self.out.len();
        self.stack.push(Frame::Map {
            entries,
            index: 0,
            second: false,
            depth: inner,
            mark,
            keys: Vec::new(),
            vals: Vec::new(),
            sentinel,
        });
        Ok(())
    }

    fn float(&mut self, value: f64) {
        let out = &mut self.out;
        if value.is_nan() {
            out.extend_from_slice(b"{\"t\":2,\"s\":7}");
        } else if value == f64::INFINITY {
            out.extend_from_slice(b"{\"t\":2,\"s\":5}");
        } else if value == f64::NEG_INFINITY {
            out.extend_from_slice(b"{\"t\":2,\"s\":6}");
        } else if value == 0.0 {
            out.extend_from_slice(if value.is_sign_negative() {
                b"{\"t\":2,\"s\":4}"
            } else {
                b"{\"t\":0,\"s\":0}"
            });
        } else if value.fract() == 0.0 && value.abs() <= MAX_SAFE_INTEGER as f64 {
            out.extend_from_slice(b"{\"t\":0,\"s\":");
            text::int(out, value as i64);
            out.push(b'}');
        } else {
            out.extend_from_slice(b"{\"t\":0,\"s\":");
            text::js_number(out, value);
            out.push(b'}');
        }
    }

    fn dict(&mut self, value: &Bound<'py, PyDict>, depth: usize) -> PyResult<()> {
        let mut pairs: Vec<(Bound<'py, PyString>, Bound<'py, PyAny>)> =
            Vec::with_capacity(value.len());
        let mut needs_order = false;
        for (key, item) in value.iter() {
            match key.cast_exact::<PyString>() {
                Ok(key) if key.to_str().is_ok() => {
                    let text = key.to_str()?;
                    if text.as_bytes().first().is_some_and(u8::is_ascii_digit) {
                        needs_order = true;
                    }
                    pairs.push((key.clone(), item));
                }
                // Symbol keys, str subclasses, other keys (a Map), lone surrogates.
                _ => return self.hand_over(value.as_any(), depth),
            }
        }
        let node_id = match self.identify(value.as_any())? {
            Ok(node_id) => node_id,
            Err(node_id) => {
                self.reference(node_id);
                return Ok(());
            }
        };
        if needs_order {
            order_properties(&mut pairs)?;
        }
        let inner = depth + 1;
        if !pairs.is_empty() && inner >= self.limit {
            return Err(self.depth_error());
        }
        self.open(b"10", node_id, b",\"p\":{\"k\":[");
        let mut keys = Vec::with_capacity(pairs.len());
        let mut items = Vec::with_capacity(pairs.len());
        for (index, (key, item)) in pairs.into_iter().enumerate() {
            if index > 0 {
                self.out.push(b',');
            }
            text::node_string(&mut self.out, key.to_str()?);
            keys.push(key);
            items.push(item);
        }
        self.out.extend_from_slice(b"],\"v\":[");
        self.stack.push(Frame::Props {
            keys,
            items,
            index: 0,
            depth: inner,
        });
        Ok(())
    }

    fn date(&mut self, value: &Bound<'py, PyAny>, depth: usize) -> PyResult<()> {
        let offset = value.call_method0(pyo3::intern!(self.py, "utcoffset"))?;
        if offset.is_none() {
            return self.hand_over(value, depth); // naive: the options decide
        }
        let Ok(offset) = offset.cast::<PyDelta>() else {
            return self.hand_over(value, depth);
        };
        let node_id = match self.identify(value)? {
            Ok(node_id) => node_id,
            Err(node_id) => {
                self.reference(node_id);
                return Ok(());
            }
        };
        let ms = date_ms(value.cast::<PyDateTime>()?, offset);
        self.open(b"5", node_id, b",\"s\":\"");
        self.out.extend_from_slice(text::iso_from_ms(ms).as_bytes());
        self.out.extend_from_slice(b"\"}");
        Ok(())
    }
}

/// The time value (ms since the epoch, floored) of an aware datetime with UTC offset `offset`.
pub(crate) fn date_ms(date: &Bound<'_, PyDateTime>, offset: &Bound<'_, PyDelta>) -> i64 {
    let days = text::days_from_civil(
        i64::from(date.get_year()),
        i64::from(date.get_month()),
        i64::from(date.get_day()),
    );
    let local_us = ((days * 24 + i64::from(date.get_hour())) * 60 + i64::from(date.get_minute()))
        * 60_000_000
        + i64::from(date.get_second()) * 1_000_000
        + i64::from(date.get_microsecond());
    let offset_us = (i64::from(offset.get_days()) * 86_400 + i64::from(offset.get_seconds()))
        * 1_000_000
        + i64::from(offset.get_microseconds());
    (local_us - offset_us).div_euclid(1000)
}

/// JS own-property order: array-index keys ascending, then the rest in insertion order.
pub(crate) fn order_properties<'py>(
    pairs: &mut Vec<(Bound<'py, PyString>, Bound<'py, PyAny>)>,
) -> PyResult<()> {
    let mut indices = Vec::new();
    let mut rest = Vec::new();
    for (key, item) in pairs.drain(..) {
        match array_index(key.to_str()?) {
            Some(index) => indices.push((index, key, item)),
            None => rest.push((key, item)),
        }
    }
    indices.sort_by_key(|entry| entry.0);
    pairs.extend(indices.into_iter().map(|(_, key, item)| (key, item)));
    pairs.extend(rest);
    Ok(())
}

/// The array index `key` names (canonical decimal up to 2**32 - 2), if any.
pub fn array_index(key: &str) -> Option<u64> {
    let bytes = key.as_bytes();
    if bytes.is_empty() || bytes.len() > 10 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if bytes[0] == b'0' && bytes.len() > 1 {
        return None;
    }
    let value: u64 = key.parse().ok()?;
    (value <= 4_294_967_294).then_some(value)
}
