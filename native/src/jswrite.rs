//! Python value -> seroval JS text (`serialize`, `cross_serialize`) in one walk.
//!
//! The pure path parses the value into nodes and then writes them
//! (`protocol/jstext/writer.py`); this walker does both at once for the fast-path
//! types of `write.rs` (`None`, `bool`, `int`, `float`, `str`, `undefined`, holes,
//! `list`/`tuple`, `dict` with `str` keys, sets, `JSSet`, `JSMap`, aware
//! `datetime`), ids taken exactly as the parser takes them.
//!
//! What the two-pass writer decides late is decided after the walk here: whether a
//! node is written `h=` (it is marked, which a later occurrence may cause) and the
//! order in which vanilla names are given out.  The text is kept with splice points
//! (`Splice`) and the naming events in walk order (`Event`), and both are resolved
//! once the parser's marks are complete.  A child pointing at an ancestor still
//! being written becomes a deferred assignment (`h.self=h`, `h[1]=h`, `h.add(h)`)
//! as the pure writer queues it.
//!
//! With plugins, the values a plugin could take (as in `write.rs`) are not taken.
//! Anything else (a type outside the fast path, an ancestor inside a Map,
//! any error, the depth limit) gives `None`: the caller rolls the refs back and
//! runs the pure path, which gives the same text or raises the precise error.
//! The walk keeps its own stack: nesting costs heap, never C stack.

use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyDateTime, PyDelta, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PySet, PyString,
    PyTuple,
};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::text;
use crate::write::{Writer, date_ms, order_properties};

const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// The walk gave up: the pure path writes this value.
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

enum Splice {
    /// `name=` when the node at this place ends up stored.
    Assign(i64),
    /// The node's name (a later occurrence).
    Name(i64),
}

enum Event {
    /// A name is needed now (a reference to an ancestor, or its container).
    Need(i64),
    /// A node is complete: named now if it ends up stored.
    Complete(i64),
}

const INDEX: u8 = 0;
const ADD: u8 = 1;
const PROTO: u8 = 4;

/// A deferred assignment: `kind`, the container, its accessor text, the value's id.
struct Deferred {
    kind: u8,
    target: i64,
    accessor: Vec<u8>,
    value: i64,
}

enum Frame<'py> {
    Seq {
        seq: Bound<'py, PyAny>,
        index: usize,
        depth: usize,
        holes: bool,
        id: i64,
        empty: bool,
    },
    Set {
        items: Vec<Bound<'py, PyAny>>,
        index: usize,
        depth: usize,
        id: i64,
        wrote: bool,
    },
    Props {
        keys: Vec<Bound<'py, PyString>>,
        items: Vec<Bound<'py, PyAny>>,
        index: usize,
        depth: usize,
        id: i64,
        wrote: bool,
    },
    Map {
        entries: Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>,
        index: usize,
        second: bool,
        depth: usize,
        id: i64,
        wrote: bool,
        wrapped: bool,
    },
}

impl Frame<'_> {
    fn id(&self) -> i64 {
        match self {
            Frame::Seq { id, .. }
            | Frame::Set { id, .. }
            | Frame::Props { id, .. }
            | Frame::Map { id, .. } => *id,
        }
    }
}

enum Step<'py> {
    Child(Bound<'py, PyAny>, usize),
    Done,
}

struct Walk<'a, 'py> {
    py: Python<'py>,
    writer: &'a Writer,
    cross: bool,
    out: Vec<u8>,
    splices: Vec<(usize, Splice)>,
    events: Vec<Event>,
    deferred: Vec<Deferred>,
    writer_marks: FxHashSet<i64>,
    open: FxHashSet<i64>,
    ids: &'a Bound<'py, PyDict>,
    /// The ids this walk gave, by address: `ids` in Rust, for the lookups.
    given: FxHashMap<usize, i64>,
    /// Whether `ids` held ids of earlier calls (then a miss in `given` asks it).
    earlier: bool,
    values: &'a Bound<'py, PyList>,
    marked: &'a Bound<'py, PyDict>,
    registry: &'a Bound<'py, PyDict>,
    limit: usize,
    /// As in `write.rs`: 0 no plugins, 1 plugins that skip plain objects, 2 others.
    plugins: u8,
    stack: Vec<Frame<'py>>,
}

/// `serialize` (`cross` false) or `cross_serialize` text of `value`, or `None`.
#[allow(clippy::too_many_arguments)]
pub fn write_js<'py>(
    writer: &Writer,
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    ids: &Bound<'py, PyDict>,
    values: &Bound<'py, PyList>,
    marked: &Bound<'py, PyDict>,
    depth_limit: usize,
    cross: bool,
    assign_all: bool,
    scope: Option<&str>,
    plugins: u8,
) -> Option<String> {
    let registry = writer.registry.bind(py);
    let mut walk = Walk {
        py,
        writer,
        cross,
        out: Vec::with_capacity(4096),
        splices: Vec::new(),
        events: Vec::new(),
        deferred: Vec::new(),
        writer_marks: FxHashSet::default(),
        open: FxHashSet::default(),
        ids,
        given: FxHashMap::default(),
        earlier: !ids.is_empty(),
        values,
        marked,
        registry,
        limit: depth_limit,
        plugins,
        stack: Vec::new(),
    };
    let root = walk.run(value).ok()?;
    walk.finish_top(root, assign_all, scope).ok()
}

/// What the finish needs to know about the root.
struct Root {
    id: Option<i64>,
    object: bool,
}

impl<'py> Walk<'_, 'py> {
    fn run(&mut self, root: &Bound<'py, PyAny>) -> Outcome<Root> {
        let before = self.values.len() as i64;
        let id = self.visit(root, 0)?;
        while !self.stack.is_empty() {
            match self.next_step()? {
                Step::Child(child, depth) => {
                    self.visit(&child, depth)?;
                }
                Step::Done => self.close(),
            }
        }
        // A root that is a reference to an earlier call's value is not an object node.
        let fresh = id.is_some_and(|id| id >= before);
        let object = fresh && root.is_exact_instance_of::<PyDict>();
        Ok(Root { id, object })
    }

    /// The id of `child` when it is an ancestor still being written.
    fn ancestor(&self, child: &Bound<'py, PyAny>) -> Outcome<Option<i64>> {
        // Only containers take ids: strings and numbers (most children) never do.
        if self.open.is_empty()
            || child.is_exact_instance_of::<PyString>()
            || child.is_exact_instance_of::<PyInt>()
            || child.is_exact_instance_of::<PyFloat>()
            || child.is_none()
        {
            return Ok(None);
        }
        let Some(node_id) = self.id_of(child)? else {
            return Ok(None);
        };
        if !self.open.contains(&node_id) {
            return Ok(None);
        }
        self.marked.set_item(node_id, self.py.None())?; // the parser's mark
        Ok(Some(node_id))
    }

    /// A child pointing at ancestor `target` in container `parent`, queued for later.
    fn defer(&mut self, kind: u8, parent: i64, accessor: Vec<u8>, target: i64) {
        self.events.push(Event::Need(target));
        self.writer_marks.insert(parent);
        self.events.push(Event::Need(parent));
        self.deferred.push(Deferred {
            kind,
            target: parent,
            accessor,
            value: target,
        });
    }

    fn next_step(&mut self) -> Outcome<Step<'py>> {
        let hole = self.writer.hole.bind(self.py).as_ptr();
        loop {
            let frame = self.stack.last_mut().expect("a frame");
            match frame {
                Frame::Seq {
                    seq,
                    index,
                    depth,
                    holes,
                    id,
                    empty,
                } => {
                    let length = seq.len()?;
                    if *index >= length {
                        return Ok(Step::Done);
                    }
                    let item = seq.get_item(*index)?;
                    let (position, parent, depth) = (*index, *id, *depth);
                    self.out.push(if position == 0 { b'[' } else { b',' });
                    *index += 1;
                    if *holes && item.as_ptr() == hole {
                        *empty = true;
                        continue;
                    }
                    if let Some(target) = self.ancestor(&item)? {
                        if let Some(Frame::Seq { empty, .. }) = self.stack.last_mut() {
                            *empty = true;
                        }
                        let mut accessor = vec![b'['];
                        text::int(&mut accessor, position as i64);
                        accessor.push(b']');
                        self.defer(INDEX, parent, accessor, target);
                        continue;
                    }
                    if let Some(Frame::Seq { empty, .. }) = self.stack.last_mut() {
                        *empty = false;
                    }
                    return Ok(Step::Child(item, depth));
                }
                Frame::Set {
                    items,
                    index,
                    depth,
                    id,
                    ..
                } => {
                    if *index >= items.len() {
                        return Ok(Step::Done);
                    }
                    *index += 1;
                    let item = items[*index - 1].clone();
                    let (parent, depth) = (*id, *depth);
                    if let Some(target) = self.ancestor(&item)? {
                        self.defer(ADD, parent, Vec::new(), target);
                        continue;
                    }
                    if let Some(Frame::Set { wrote, .. }) = self.stack.last_mut() {
                        self.out
                            .extend_from_slice(if *wrote { b"," } else { b"([" });
                        *wrote = true;
                    }
                    return Ok(Step::Child(item, depth));
                }
                Frame::Props {
                    keys,
                    items,
                    index,
                    depth,
                    id,
                    ..
                } => {
                    if *index >= items.len() {
                        return Ok(Step::Done);
                    }
                    *index += 1;
                    let item = items[*index - 1].clone();
                    let key = keys[*index - 1].clone();
                    let (parent, depth) = (*id, *depth);
                    let key = key.to_str()?;
                    if let Some(target) = self.ancestor(&item)? {
                        let (kind, accessor) = key_accessor(key);
                        self.defer(kind, parent, accessor, target);
                        continue;
                    }
                    if let Some(Frame::Props { wrote, .. }) = self.stack.last_mut() {
                        self.out.push(if *wrote { b',' } else { b'{' });
                        *wrote = true;
                    }
                    property_prefix(&mut self.out, key);
                    return Ok(Step::Child(item, depth));
                }
                Frame::Map {
                    entries,
                    index,
                    second,
                    depth,
                    wrote,
                    ..
                } => {
                    let depth = *depth;
                    if *second {
                        *second = false;
                        let item = entries[*index - 1].1.clone();
                        self.out.push(b',');
                        if self.ancestor(&item)?.is_some() {
                            return Err(Bail); // the Map sentinel trick: the pure writer's
                        }
                        return Ok(Step::Child(item, depth));
                    }
                    if *index > 0 {
                        self.out.push(b']');
                    }
                    if *index >= entries.len() {
                        return Ok(Step::Done);
                    }
                    *index += 1;
                    *second = true;
                    let item = entries[*index - 1].0.clone();
                    self.out
                        .extend_from_slice(if *wrote { b",[" } else { b"([[" });
                    *wrote = true;
                    if self.ancestor(&item)?.is_some() {
                        return Err(Bail);
                    }
                    return Ok(Step::Child(item, depth));
                }
            }
        }
    }

    fn close(&mut self) {
        let frame = self.stack.pop().expect("a frame");
        let id = frame.id();
        self.open.remove(&id);
        match frame {
            Frame::Seq { empty, .. } => {
                self.out
                    .extend_from_slice(if empty { b",]" as &[u8] } else { b"]" });
            }
            Frame::Set { wrote, .. } => {
                if wrote {
                    self.out.extend_from_slice(b"])");
                }
            }
            Frame::Props { wrote, .. } => {
                self.out
                    .extend_from_slice(if wrote { b"}" as &[u8] } else { b"{}" });
            }
            Frame::Map { wrote, wrapped, .. } => {
                if wrote {
                    self.out.extend_from_slice(b"])");
                }
                if wrapped {
                    self.out.push(b')');
                }
            }
        }
        self.events.push(Event::Complete(id));
    }

    /// The id already taken by `value` (marking it), or a fresh one.
    fn identify(&mut self, value: &Bound<'py, PyAny>) -> Outcome<Result<i64, i64>> {
        if let Some(found) = self.id_of(value)? {
            self.marked.set_item(found, self.py.None())?;
            return Ok(Err(found));
        }
        let node_id = self.values.len() as i64;
        let address = value.as_ptr() as usize;
        self.ids.set_item(address, node_id)?;
        self.given.insert(address, node_id);
        self.values.append(value)?;
        Ok(Ok(node_id))
    }

    /// The id `value` took, in this walk or (through `ids`) an earlier call.
    fn id_of(&self, value: &Bound<'py, PyAny>) -> Outcome<Option<i64>> {
        let address = value.as_ptr() as usize;
        if let Some(&node_id) = self.given.get(&address) {
            return Ok(Some(node_id));
        }
        if !self.earlier {
            return Ok(None);
        }
        match self.ids.get_item(address)? {
            Some(found) => Ok(Some(found.extract()?)),
            None => Ok(None),
        }
    }

    /// A later occurrence of node `node_id`: its name.
    fn reference(&mut self, node_id: i64) {
        self.splices.push((self.out.len(), Splice::Name(node_id)));
    }

    /// The start of node `node_id`: `name=` goes here if it is stored.
    fn start(&mut self, node_id: i64) {
        self.splices.push((self.out.len(), Splice::Assign(node_id)));
    }

    /// Write `value` (or open its frame); its id when it has one.
    fn visit(&mut self, value: &Bound<'py, PyAny>, depth: usize) -> Outcome<Option<i64>> {
        if depth >= self.limit {
            return Err(Bail);
        }
        let py = self.py;
        if let Ok(text) = value.cast_exact::<PyString>() {
            js_string(&mut self.out, text.to_str()?);
            return Ok(None);
        }
        if value.is_exact_instance_of::<PyBool>() {
            self.out
                .extend_from_slice(if value.is_truthy()? { b"!0" } else { b"!1" });
            return Ok(None);
        }
        if value.is_exact_instance_of::<PyInt>() {
            match value.extract::<i64>() {
                Ok(number) if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&number) => {
                    text::int(&mut self.out, number);
                }
                _ => {
                    let digits = value.str()?;
                    self.out.extend_from_slice(digits.to_str()?.as_bytes());
                    self.out.push(b'n');
                }
            }
            return Ok(None);
        }
        if let Ok(float) = value.cast_exact::<PyFloat>() {
            js_float(&mut self.out, float.value());
            return Ok(None);
        }
        if value.is_none() {
            self.out.extend_from_slice(b"null");
            return Ok(None);
        }
        if value.as_ptr() == self.writer.undefined.bind(py).as_ptr() {
            self.out.extend_from_slice(b"void 0");
            return Ok(None);
        }
        let kind = value.get_type();
        let is_list =
            value.is_exact_instance_of::<PyList>() || value.is_exact_instance_of::<PyTuple>();
        let is_dict = value.is_exact_instance_of::<PyDict>();
        let is_js_set = kind.is(self.writer.js_set.bind(py));
        let is_set = value.is_exact_instance_of::<PySet>()
            || value.is_exact_instance_of::<PyFrozenSet>()
            || is_js_set;
        let is_map = kind.is(self.writer.js_map.bind(py));
        let is_date = value.is_exact_instance_of::<PyDateTime>();
        // A value a plugin could take: the pure parser asks the plugins.
        let to_plugins = match self.plugins {
            0 => false,
            1 => !(is_list || is_dict),
            _ => !is_list,
        };
        if !(is_list || is_dict || is_set || is_map || is_date) || to_plugins {
            return Err(Bail);
        }
        if !self.registry.is_empty() {
            let key = PyInt::new(py, value.as_ptr() as usize);
            if self.registry.get_item(key)?.is_some() {
                return Err(Bail);
            }
        }
        if is_dict {
            return self.dict(value.cast::<PyDict>()?, depth);
        }
        if is_date {
            return self.date(value);
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
                return Err(Bail); // the parser's sparse-array limit
            }
        }
        let node_id = match self.identify(value)? {
            Ok(node_id) => node_id,
            Err(node_id) => {
                self.reference(node_id);
                return Ok(Some(node_id));
            }
        };
        let inner = depth + 1;
        self.start(node_id);
        if is_list {
            let length = value.len()?;
            if length == 0 {
                self.out.extend_from_slice(b"[]");
                self.events.push(Event::Complete(node_id));
                return Ok(Some(node_id));
            }
            if !holes && inner >= self.limit {
                return Err(Bail);
            }
            self.push(Frame::Seq {
                seq: value.clone(),
                index: 0,
                depth: inner,
                holes,
                id: node_id,
                empty: false,
            });
            return Ok(Some(node_id));
        }
        if is_set {
            let items: Vec<Bound<'py, PyAny>> = if is_js_set {
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
                return Err(Bail);
            }
            self.out.extend_from_slice(b"new Set");
            self.push(Frame::Set {
                items,
                index: 0,
                depth: inner,
                id: node_id,
                wrote: false,
            });
            return Ok(Some(node_id));
        }
        // A JSMap: the sentinel's id comes after the Map's, before the entries'.
        let table = value.getattr(pyo3::intern!(py, "_entries"))?;
        let mut entries = Vec::new();
        for entry in table.cast::<PyDict>()?.values().iter() {
            let pair = entry.cast::<PyTuple>()?;
            entries.push((pair.get_item(0)?, pair.get_item(1)?));
        }
        let marker = self.writer.map_marker.bind(py).clone();
        let sentinel = self.identify(&marker)?;
        if !entries.is_empty() && inner >= self.limit {
            return Err(Bail);
        }
        // The first Map of a cross id space defines the sentinel for all later ones.
        let wrapped = self.cross && sentinel.is_ok();
        if let Ok(sentinel_id) = sentinel
            && wrapped
        {
            self.out.extend_from_slice(b"($R[");
            text::int(&mut self.out, sentinel_id);
            self.out.extend_from_slice(b"]=[],");
        }
        self.out.extend_from_slice(b"new Map");
        self.push(Frame::Map {
            entries,
            index: 0,
            second: false,
            depth: inner,
            id: node_id,
            wrote: false,
            wrapped,
        });
        Ok(Some(node_id))
    }

    fn push(&mut self, frame: Frame<'py>) {
        self.open.insert(frame.id());
        self.stack.push(frame);
    }

    fn dict(&mut self, value: &Bound<'py, PyDict>, depth: usize) -> Outcome<Option<i64>> {
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
                _ => return Err(Bail),
            }
        }
        let node_id = match self.identify(value.as_any())? {
            Ok(node_id) => node_id,
            Err(node_id) => {
                self.reference(node_id);
                return Ok(Some(node_id));
            }
        };
        if needs_order {
            order_properties(&mut pairs)?;
        }
        let inner = depth + 1;
        if !pairs.is_empty() && inner >= self.limit {
            return Err(Bail);
        }
        self.start(node_id);
        if pairs.is_empty() {
            self.out.extend_from_slice(b"{}");
            self.events.push(Event::Complete(node_id));
            return Ok(Some(node_id));
        }
        let (keys, items) = pairs.into_iter().unzip();
        self.push(Frame::Props {
            keys,
            items,
            index: 0,
            depth: inner,
            id: node_id,
            wrote: false,
        });
        Ok(Some(node_id))
    }

    fn date(&mut self, value: &Bound<'py, PyAny>) -> Outcome<Option<i64>> {
        let offset = value.call_method0(pyo3::intern!(self.py, "utcoffset"))?;
        let Ok(offset) = offset.cast::<PyDelta>() else {
            return Err(Bail); // naive: the options decide
        };
        let node_id = match self.identify(value)? {
            Ok(node_id) => node_id,
            Err(node_id) => {
                self.reference(node_id);
                return Ok(Some(node_id));
            }
        };
        let ms = date_ms(value.cast::<PyDateTime>()?, offset);
        self.start(node_id);
        self.out.extend_from_slice(b"new Date(\"");
        self.out.extend_from_slice(text::iso_from_ms(ms).as_bytes());
        self.out.extend_from_slice(b"\")");
        self.events.push(Event::Complete(node_id));
        Ok(Some(node_id))
    }

    /// Resolve the splices, the names and the deferred assignments; wrap the root.
    fn finish_top(mut self, root: Root, assign_all: bool, scope: Option<&str>) -> Outcome<String> {
        // A name is followed by `=` when the text starts with its assignment.
        fn starts_assigned(body: &[u8], name: &[u8]) -> bool {
            body.starts_with(name) && body.get(name.len()) == Some(&b'=')
        }
        let mut marks: FxHashSet<i64> = std::mem::take(&mut self.writer_marks);
        for (key, _) in self.marked.iter() {
            marks.insert(key.extract::<i64>()?);
        }
        let stored = |id: &i64| assign_all || marks.contains(id);
        let mut names = Names {
            cross: self.cross,
            given: FxHashMap::default(),
            order: Vec::new(),
        };
        if !self.cross {
            for event in &self.events {
                match event {
                    Event::Need(id) => names.need(*id),
                    Event::Complete(id) => {
                        if stored(id) {
                            names.need(*id);
                        }
                    }
                }
            }
        }
        let mut body: Vec<u8> = Vec::with_capacity(self.out.len() + self.splices.len() * 4);
        let mut at = 0;
        for (position, splice) in &self.splices {
            body.extend_from_slice(&self.out[at..*position]);
            at = *position;
            match splice {
                Splice::Assign(id) => {
                    if stored(id) {
                        names.write(&mut body, *id)?;
                        body.push(b'=');
                    }
                }
                Splice::Name(id) => names.write(&mut body, *id)?,
            }
        }
        body.extend_from_slice(&self.out[at..]);
        let patches = self.patches(&mut names)?;
        if self.cross {
            return finish_cross(body, patches, &root, assign_all, scope, &mut names);
        }
        let Some(root_id) = root.id.filter(|_| !names.order.is_empty()) else {
            return Ok(if root.object {
                wrap(b"(", &body, b")")
            } else {
                into_string(body)
            });
        };
        if !patches.is_empty() {
            names.need(root_id);
            let mut name = Vec::new();
            names.write(&mut name, root_id)?;
            let mut whole = vec![b'('];
            if !starts_assigned(&body, &name) {
                whole.extend_from_slice(&name);
                whole.push(b'=');
            }
            whole.extend_from_slice(&body);
            whole.push(b',');
            whole.extend_from_slice(&patches);
            whole.extend_from_slice(&name);
            whole.push(b')');
            body = whole;
        }
        let mut text = b"(".to_vec();
        if names.order.len() == 1 {
            names.write(&mut text, names.order[0])?;
        } else {
            text.push(b'(');
            for index in 0..names.order.len() {
                if index > 0 {
                    text.push(b',');
                }
                identifier(&mut text, index);
            }
            text.push(b')');
        }
        text.extend_from_slice(b"=>");
        if body.first() == Some(&b'{') {
            text.push(b'(');
            text.extend_from_slice(&body);
            text.push(b')');
        } else {
            text.extend_from_slice(&body);
        }
        text.extend_from_slice(b")()");
        Ok(into_string(text))
    }

    /// The deferred assignments merged as `resolve_assignments` merges them.
    fn patches(&self, names: &mut Names) -> Outcome<Vec<u8>> {
        let mut rendered: Vec<(u8, Vec<u8>, Vec<u8>)> = Vec::with_capacity(self.deferred.len());
        for item in &self.deferred {
            let mut target = Vec::new();
            names.write(&mut target, item.target)?;
            target.extend_from_slice(&item.accessor);
            let mut value = Vec::new();
            names.write(&mut value, item.value)?;
            rendered.push((item.kind, target, value));
        }
        Ok(resolve(&rendered))
    }
}

fn finish_cross(
    body: Vec<u8>,
    patches: Vec<u8>,
    root: &Root,
    assign_all: bool,
    scope: Option<&str>,
    names: &mut Names,
) -> Outcome<String> {
    let Some(root_id) = root.id else {
        return Ok(into_string(body));
    };
    let mut name = Vec::new();
    names.write(&mut name, root_id)?;
    let mut body = body;
    if !patches.is_empty() {
        let mut whole = vec![b'('];
        let assigned = body.starts_with(&name) && body.get(name.len()) == Some(&b'=');
        if !(assign_all || assigned) {
            whole.extend_from_slice(&name);
            whole.push(b'=');
        }
        whole.extend_from_slice(&body);
        whole.push(b',');
        whole.extend_from_slice(&patches);
        whole.extend_from_slice(&name);
        whole.push(b')');
        body = whole;
    }
    match scope {
        None => {
            if root.object && patches.is_empty() {
                return Ok(wrap(b"(", &body, b")"));
            }
            Ok(into_string(body))
        }
        Some(scope) => {
            let mut text = b"($R=>".to_vec();
            if body.first() == Some(&b'{') {
                text.push(b'(');
                text.extend_from_slice(&body);
                text.push(b')');
            } else {
                text.extend_from_slice(&body);
            }
            text.extend_from_slice(b")($R[\"");
            text.extend_from_slice(scope.as_bytes());
            text.extend_from_slice(b"\"])");
            Ok(into_string(text))
        }
    }
}

/// Vanilla names (`h`, `j`, ...) in the order first needed, or cross `$R[id]`.
struct Names {
    cross: bool,
    given: FxHashMap<i64, usize>,
    order: Vec<i64>,
}

impl Names {
    fn need(&mut self, id: i64) {
        if !self.cross && !self.given.contains_key(&id) {
            self.given.insert(id, self.order.len());
            self.order.push(id);
        }
    }

    fn write(&self, out: &mut Vec<u8>, id: i64) -> Outcome<()> {
        if self.cross {
            out.extend_from_slice(b"$R[");
            text::int(out, id);
            out.push(b']');
            return Ok(());
        }
        let index = *self.given.get(&id).ok_or(Bail)?;
        identifier(out, index);
        Ok(())
    }
}

const REF_START: &[u8; 34] = b"hjkmoquxzABCDEFGHIJKLNPQRTUVWXYZ$_";
const REF_REST: &[u8; 64] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789$_";

/// Vanilla variable name number `index` (`identifier` in `jstext/spelling.py`).
pub(crate) fn identifier(out: &mut Vec<u8>, index: usize) {
    out.push(REF_START[index % 34]);
    let mut rest = index / 34;
    while rest > 0 {
        out.push(REF_REST[rest % 64]);
        rest /= 64;
    }
}

/// `resolve_assignments(assignments)` of `jstext/spelling.py` (values chained).
fn resolve(items: &[(u8, Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let Some(first) = items.first() else {
        return Vec::new();
    };
    let mut parts: Vec<Vec<u8>> = Vec::new();
    let mut expression = assignment_text(first);
    let mut chain = 1;
    for index in 1..items.len() {
        let current = &items[index];
        let previous = &items[index - 1];
        let (kind, target, value) = current;
        if chain == 100 {
            parts.push(std::mem::replace(&mut expression, assignment_text(current)));
            chain = 0;
        } else if *kind == INDEX && previous.0 == INDEX && *value == previous.2 {
            let mut merged = target.clone();
            merged.push(b'=');
            merged.extend_from_slice(&expression);
            expression = merged;
        } else if *kind == ADD && previous.0 == ADD && *target == previous.1 {
            expression.extend_from_slice(b".add(");
            expression.extend_from_slice(value);
            expression.push(b')');
        } else {
            parts.push(std::mem::replace(&mut expression, assignment_text(current)));
            chain = 0;
        }
        chain += 1;
    }
    parts.push(expression);
    let mut out = Vec::new();
    for part in parts {
        out.extend_from_slice(&part);
        out.push(b',');
    }
    out
}

fn assignment_text((kind, target, value): &(u8, Vec<u8>, Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::new();
    match *kind {
        INDEX => {
            out.extend_from_slice(target);
            out.push(b'=');
            out.extend_from_slice(value);
        }
        ADD => {
            out.extend_from_slice(target);
            out.extend_from_slice(b".add(");
            out.extend_from_slice(value);
            out.push(b')');
        }
        _ => {
            out.extend_from_slice(b"Object.defineProperty(");
            out.extend_from_slice(target);
            out.extend_from_slice(b",\"__proto__\",{value:");
            out.extend_from_slice(value);
            out.extend_from_slice(b",configurable:!0,enumerable:!0,writable:!0})");
        }
    }
    out
}

fn wrap(head: &[u8], body: &[u8], tail: &[u8]) -> String {
    let mut out = Vec::with_capacity(body.len() + head.len() + tail.len());
    out.extend_from_slice(head);
    out.extend_from_slice(body);
    out.extend_from_slice(tail);
    into_string(out)
}

fn into_string(bytes: Vec<u8>) -> String {
    // Only whole UTF-8 strings and ASCII are ever appended.
    String::from_utf8(bytes).unwrap_or_default()
}

#[derive(PartialEq)]
enum KeyKind {
    Other,
    Identifier,
    Numeric,
}

/// `key_kind` of `protocol/model/strings.py`.
fn key_kind(key: &str) -> KeyKind {
    let bytes = key.as_bytes();
    match bytes.first() {
        None => KeyKind::Other,
        Some(first) if first.is_ascii_digit() => {
            if !key.is_ascii() {
                return KeyKind::Other;
            }
            let Ok(number) = key.parse::<f64>() else {
                return KeyKind::Other;
            };
            if !number.is_finite() {
                return KeyKind::Other;
            }
            let mut spelled = Vec::new();
            if number == 0.0 {
                spelled.push(b'0');
            } else {
                text::js_number(&mut spelled, number);
            }
            if spelled == bytes {
                KeyKind::Numeric
            } else {
                KeyKind::Other
            }
        }
        Some(first) => {
            if key == "Infinity" {
                return KeyKind::Numeric;
            }
            let start = first.is_ascii_alphabetic() || *first == b'_' || *first == b'$';
            if start
                && bytes[1..]
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'$')
            {
                KeyKind::Identifier
            } else {
                KeyKind::Other
            }
        }
    }
}

/// `property_prefix`: `key:` as an object literal spells it.
fn property_prefix(out: &mut Vec<u8>, key: &str) {
    if key == "__proto__" {
        out.extend_from_slice(b"[\"__proto__\"]:");
    } else if key_kind(key) == KeyKind::Other {
        js_string(out, key);
        out.push(b':');
    } else {
        out.extend_from_slice(key.as_bytes());
        out.push(b':');
    }
}

/// `key_assign`'s kind and accessor: `.key`, `[1]`, `["a-b"]` (or `__proto__`'s call).
fn key_accessor(key: &str) -> (u8, Vec<u8>) {
    let mut accessor = Vec::new();
    match key_kind(key) {
        KeyKind::Identifier if key == "__proto__" => return (PROTO, accessor),
        KeyKind::Identifier => {
            accessor.push(b'.');
            accessor.extend_from_slice(key.as_bytes());
        }
        KeyKind::Numeric => {
            accessor.push(b'[');
            accessor.extend_from_slice(key.as_bytes());
            accessor.push(b']');
        }
        KeyKind::Other => {
            accessor.push(b'[');
            js_string(&mut accessor, key);
            accessor.push(b']');
        }
    }
    (INDEX, accessor)
}

/// A JS string literal of `text` with seroval's escapes (`escape_string`).
pub fn js_string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        let escape: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'<' => b"\\x3C",
            0xe2 if bytes.get(index + 1) == Some(&0x80)
                && matches!(bytes.get(index + 2), Some(0xa8) | Some(0xa9)) =>
            {
                if bytes[index + 2] == 0xa8 {
                    b"\\u2028"
                } else {
                    b"\\u2029"
                }
            }
            _ => {
                index += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[start..index]);
        out.extend_from_slice(escape);
        index += if byte == 0xe2 { 3 } else { 1 };
        start = index;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// A float as the JS writer spells a Number node or constant.
fn js_float(out: &mut Vec<u8>, value: f64) {
    if value.is_nan() {
        out.extend_from_slice(b"0/0");
    } else if value == f64::INFINITY {
        out.extend_from_slice(b"1/0");
    } else if value == f64::NEG_INFINITY {
        out.extend_from_slice(b"-1/0");
    } else if value == 0.0 {
        out.extend_from_slice(if value.is_sign_negative() {
            b"-0"
        } else {
            b"0"
        });
    } else if value.fract() == 0.0 && value.abs() <= MAX_SAFE_INTEGER as f64 {
        text::int(out, value as i64);
    } else {
        text::js_number(out, value);
    }
}
