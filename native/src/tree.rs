//! Node dicts in memory (what `from_json` is given) -> the document the two-pass
//! reader walks, so `from_json` takes the same native path as `from_json_text`.
//!
//! Only plain JSON data of the exact built-in types converts: `dict` with `str`
//! keys, `list`, `str`, `int` within 64 bits, `float`, `bool`, `None`.  The pure
//! reader treats anything else by its exact type (a tuple is not a list, an
//! `IntEnum` is not an int), so for any other object, or a cycle, the conversion
//! gives `None` and the pure reader reads the original.  Each container's original
//! object is kept, so a node handed to the Python reader is the caller's own dict.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::json::{Builder, Doc, Value};

/// The document, and the original object of each container value (by value index).
pub struct Converted<'py> {
    pub doc: Doc<'static>,
    pub originals: Vec<Option<Bound<'py, PyAny>>>,
}

/// At most this many objects are converted (a shared-subtree DAG can name far more
/// paths than it has objects); past it the pure reader takes the original.
const MAX_OBJECTS: usize = 50_000_000;

struct Open<'py> {
    object: Bound<'py, PyAny>,
    /// The children still to convert: (key string index or `u32::MAX`, child).
    pending: std::vec::IntoIter<(u32, Bound<'py, PyAny>)>,
    children: Vec<u32>,
    is_dict: bool,
}

pub fn convert<'py>(root: &Bound<'py, PyAny>) -> PyResult<Option<Converted<'py>>> {
    let mut builder = Builder::new();
    let mut originals: Vec<Option<Bound<'py, PyAny>>> = Vec::new();
    let mut ancestors: FxHashSet<usize> = FxHashSet::default();
    let mut stack: Vec<Open<'py>> = Vec::new();
    let mut count = 0usize;
    // Key objects already copied (by address; `held` keeps each alive meanwhile).
    let mut key_strings: FxHashMap<usize, u32> = FxHashMap::default();
    let mut held: Vec<Bound<'py, PyAny>> = Vec::new();
    let mut current = root.clone();
    loop {
        count += 1;
        if count > MAX_OBJECTS {
            return Ok(None);
        }
        // Convert `current`: a scalar at once, a container by opening it.
        let scalar = if current.is_none() {
            Some(Value::Null)
        } else if let Ok(truth) = current.cast_exact::<PyBool>() {
            Some(Value::Bool(truth.is_true()))
        } else if current.is_exact_instance_of::<PyInt>() {
            match current.extract::<i64>() {
                Ok(number) => Some(Value::Int(number)),
                Err(_) => return Ok(None),
            }
        } else if let Ok(number) = current.cast_exact::<PyFloat>() {
            Some(Value::Float(number.value()))
        } else if let Ok(text) = current.cast_exact::<PyString>() {
            let Ok(text) = text.to_str() else {
                return Ok(None);
            };
            let Some(index) = builder.string(text) else {
                return Ok(None);
            };
            Some(Value::Str(index))
        } else {
            None
        };
        let mut done = match scalar {
            Some(value) => Some(builder.value(value)),
            None => {
                let address = current.as_ptr() as usize;
                if !ancestors.insert(address) {
                    return Ok(None); // a cycle
                }
                let mut pending = Vec::new();
                let is_dict = if let Ok(dict) = current.cast_exact::<PyDict>() {
                    pending.reserve(dict.len());
                    for (key, item) in dict.iter() {
                        // Node field names are a few shared str objects: one copy each.
                        let address = key.as_ptr() as usize;
                        let index = match key_strings.get(&address) {
                            Some(&index) => index,
                            None => {
                                let Ok(text) = key.cast_exact::<PyString>() else {
                                    return Ok(None);
                                };
                                let Ok(text) = text.to_str() else {
                                    return Ok(None);
                                };
                                let Some(index) = builder.string(text) else {
                                    return Ok(None);
                                };
                                key_strings.insert(address, index);
                                held.push(key.clone());
                                index
                            }
                        };
                        pending.push((index, item));
                    }
                    true
                } else if let Ok(list) = current.cast_exact::<PyList>() {
                    pending.extend(list.iter().map(|item| (u32::MAX, item)));
                    false
                } else {
                    return Ok(None); // not plain JSON data
                };
                stack.push(Open {
                    object: current.clone(),
                    pending: pending.into_iter(),
                    children: Vec::new(),
                    is_dict,
                });
                None
            }
        };
        // Attach finished values and close finished containers; find the next child.
        loop {
            let Some(top) = stack.last_mut() else {
                let root = done.expect("the root is converted");
                originals.resize(builder_len(&originals, root), None);
                return Ok(Some(Converted {
                    doc: builder.finish(root),
                    originals,
                }));
            };
            if let Some(index) = done.take() {
                top.children.push(index);
            }
            if let Some((key, child)) = top.pending.next() {
                if top.is_dict {
                    top.children.push(key);
                }
                current = child;
                break;
            }
            let open = stack.pop().expect("an open container");
            ancestors.remove(&(open.object.as_ptr() as usize));
            let index = builder.container(open.is_dict, &open.children);
            if originals.len() <= index as usize {
                originals.resize(index as usize + 1, None);
            }
            originals[index as usize] = Some(open.object);
            done = Some(index);
        }
    }
}

fn builder_len(originals: &[Option<Bound<'_, PyAny>>], root: u32) -> usize {
    originals.len().max(root as usize + 1)
}
