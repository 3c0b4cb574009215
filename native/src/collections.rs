//! `JSSet` and `JSMap` built from Rust: their tables filled directly.
//!
//! Both Python classes keep their items in one dict keyed by `js_key(value)`
//! (SameValueZero: strings and numbers by value, everything else by identity).
//! Calling their `add` / `__setitem__` from Rust runs those Python methods once per
//! item, which costs more than the rest of reading a Set or Map together.  Here the
//! keys are made in Rust for the types the readers build (the same keys `js_key`
//! gives, its sentinels taken from `js_key` itself), and `js_key` is called for any
//! other type, so the two stay one definition.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};

const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// What building a `JSSet` or `JSMap` needs, set up once with the Reader.
pub struct Collections {
    set_type: Py<PyType>,
    map_type: Py<PyType>,
    object_new: Py<PyAny>,
    js_key: Py<PyAny>,
    nan_key: Py<PyAny>,
    true_key: Py<PyAny>,
    false_key: Py<PyAny>,
    by_identity: Py<PyString>,
}

impl Collections {
    pub fn new(
        py: Python<'_>,
        set_type: &Bound<'_, PyAny>,
        map_type: &Bound<'_, PyAny>,
        js_key: Py<PyAny>,
    ) -> PyResult<Self> {
        let key = js_key.bind(py);
        Ok(Collections {
            set_type: set_type.cast::<PyType>()?.clone().unbind(),
            map_type: map_type.cast::<PyType>()?.clone().unbind(),
            object_new: py
                .import("builtins")?
                .getattr("object")?
                .getattr("__new__")?
                .unbind(),
            nan_key: key.call1((f64::NAN,))?.unbind(),
            true_key: key.call1((true,))?.unbind(),
            false_key: key.call1((false,))?.unbind(),
            by_identity: PyString::new(py, "id").unbind(),
            js_key,
        })
    }

    /// A new, empty `JSSet` and its table (`_items`).
    pub fn new_set<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyDict>)> {
        self.empty(py, &self.set_type, pyo3::intern!(py, "_items"))
    }

    /// A new, empty `JSMap` and its table (`_entries`).
    pub fn new_map<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyDict>)> {
        self.empty(py, &self.map_type, pyo3::intern!(py, "_entries"))
    }

    fn empty<'py>(
        &self,
        py: Python<'py>,
        class: &Py<PyType>,
        slot: &Bound<'py, PyString>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyDict>)> {
        let object = self.object_new.bind(py).call1((class.bind(py),))?;
        let table = PyDict::new(py);
        object.setattr(slot, &table)?;
        Ok((object, table))
    }

    /// The table of `value` when it is exactly a `JSSet`.
    pub fn set_table<'py>(&self, value: &Bound<'py, PyAny>) -> Option<Bound<'py, PyDict>> {
        if !value.get_type().is(self.set_type.bind(value.py())) {
            return None;
        }
        let table = value.getattr(pyo3::intern!(value.py(), "_items")).ok()?;
        table.cast_exact::<PyDict>().ok().cloned()
    }

    /// `JSSet.add(value)` on the set whose table is `items`.
    pub fn set_add<'py>(
        &self,
        items: &Bound<'py, PyDict>,
        value: Bound<'py, PyAny>,
    ) -> PyResult<()> {
        let value = zero_as_int(value);
        let key = self.key(&value)?;
        if !items.contains(&key)? {
            items.set_item(key, value)?;
        }
        Ok(())
    }

    /// `JSMap[key] = value` on the map whose table is `entries`.
    pub fn map_set<'py>(
        &self,
        entries: &Bound<'py, PyDict>,
        key: Bound<'py, PyAny>,
        value: Bound<'py, PyAny>,
    ) -> PyResult<()> {
        let key = zero_as_int(key);
        let marker = self.key(&key)?;
        // JS keeps the first key object (and its place) when a key is set again.
        let kept = match entries.get_item(&marker)? {
            Some(current) => current.cast::<PyTuple>()?.get_item(0)?,
            None => key,
        };
        entries.set_item(marker, PyTuple::new(entries.py(), [kept, value])?)
    }

    /// `js_key(value)`, in Rust for the types the readers build.
    fn key<'py>(&self, value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = value.py();
        if value.is_exact_instance_of::<PyString>() || value.is_none() {
            return Ok(value.clone());
        }
        if value.is_exact_instance_of::<PyInt>() {
            if let Ok(number) = value.extract::<i64>()
                && (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&number)
            {
                return Ok(value.clone());
            }
        } else if let Ok(number) = value.cast_exact::<PyFloat>() {
            let number = number.value();
            return Ok(if number.is_nan() {
                self.nan_key.bind(py).clone()
            } else {
                value.clone()
            });
        } else if let Ok(flag) = value.cast_exact::<PyBool>() {
            let key = if flag.is_true() {
                &self.true_key
            } else {
                &self.false_key
            };
            return Ok(key.bind(py).clone());
        } else if value.is_exact_instance_of::<PyDict>()
            || value.is_exact_instance_of::<PyList>()
            || value.get_type().is(self.set_type.bind(py))
            || value.get_type().is(self.map_type.bind(py))
        {
            let address = value.as_ptr() as usize;
            return Ok(PyTuple::new(
                py,
                [
                    self.by_identity.bind(py).clone().into_any(),
                    address.into_pyobject(py)?.into_any(),
                ],
            )?
            .into_any());
        }
        self.js_key.bind(py).call1((value,))
    }
}

/// A JS Set or Map stores the number `-0` (and `0`) as `+0`: Python's `0`.
fn zero_as_int(value: Bound<'_, PyAny>) -> Bound<'_, PyAny> {
    match value.cast_exact::<PyFloat>() {
        Ok(number) if number.value() == 0.0 => 0i64
            .into_pyobject(value.py())
            .map_or(value.clone(), |zero| zero.into_any()),
        _ => value,
    }
}
