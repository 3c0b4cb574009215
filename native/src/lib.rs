//! seroval's native core: fused fast paths between Python values and seroval's
//! JSON node text, for the `seroval` package (`seroval._native`).
//!
//! The pure-Python walkers stay the reference; these functions give the same bytes
//! and the same errors, and hand anything outside their fast path back to them.
//! No `unsafe` here: everything goes through PyO3's safe API.  A panic is caught at
//! each entry point and raised as the step's `SerovalError` subclass.

use pyo3::prelude::*;

mod collections;
mod direct;
mod json;
mod jsread;
mod jswrite;
mod read;
mod text;
mod tree;
mod write;

/// A caught panic as an instance of `class` (a `SerovalError` subclass).
pub(crate) fn panic_error(
    class: &Bound<'_, PyAny>,
    panic: &Box<dyn std::any::Any + Send>,
) -> PyErr {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    match class.call1((format!("internal error in the native core: {detail}"),)) {
        Ok(error) => PyErr::from_value(error),
        Err(error) => error,
    }
}

/// Panic inside the same guard the entry points use: the tests' proof that a panic
/// comes out as `class(...)` (a `SerovalError`) rather than an abort.
#[pyfunction]
fn _panic_for_tests(class: &Bound<'_, PyAny>) -> PyErr {
    let caught = std::panic::catch_unwind(|| -> () { panic!("deliberate test panic") });
    match caught {
        Ok(()) => pyo3::exceptions::PyAssertionError::new_err("no panic"),
        Err(panic) => panic_error(class, &panic),
    }
}

/// Parse JSON text into the native document and drop it: the benchmarks' measure of
/// how much of `from_json_text` is parsing.  Returns the number of values, or -1.
#[pyfunction]
fn _parse_only(text: &str) -> i64 {
    json::parse(text).map_or(-1, |doc| doc.values.len() as i64)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("VERSION", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<write::Writer>()?;
    m.add_class::<read::Reader>()?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    m.add_function(wrap_pyfunction!(_parse_only, m)?)?;
    Ok(())
}
