//! The `pykeepmum` Python extension (`pykeepmum._keepmum`): `Scanner`,
//! `Finding` and the `KeepmumError` exceptions over the keepmum library.
//!
//! Every finding comes from [`keepmum::Scanner`]; this crate only converts
//! Python inputs to byte slices (without copying `str`, `bytes` and Arrow
//! buffers), releases the GIL, fans batches out over rayon and converts the
//! results back. Library errors become `KeepmumError` subclasses carrying the
//! library's one-line message; a panic inside the library is caught and
//! raised as `InternalError`, never as pyo3's `PanicException`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use keepmum::config::Config;
use keepmum::{Allowlist, ErrorKind, RuleSet};
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMemoryView, PyString, PyTuple,
};
use rayon::prelude::*;

pyo3::create_exception!(
    pykeepmum,
    KeepmumError,
    PyException,
    "Base class of every error pykeepmum raises."
);
pyo3::create_exception!(
    pykeepmum,
    ConfigError,
    KeepmumError,
    "A configuration is invalid: config file, rule ids, allowlist regexes."
);
pyo3::create_exception!(
    pykeepmum,
    RuleError,
    KeepmumError,
    "A custom rule is invalid (bad regex, missing field, duplicate id)."
);
pyo3::create_exception!(
    pykeepmum,
    ReadError,
    KeepmumError,
    "A file (the config file) could not be read."
);
pyo3::create_exception!(
    pykeepmum,
    InternalError,
    KeepmumError,
    "A bug in keepmum (a caught panic); please report it."
);

/// The Python exception for a library error, with its one-line message.
fn py_error(e: keepmum::Error) -> PyErr {
    let message = e.to_string();
    match e.kind() {
        ErrorKind::Rule { .. } => RuleError::new_err(message),
        ErrorKind::Config { .. } => ConfigError::new_err(message),
        ErrorKind::Io { .. } => ReadError::new_err(message),
        _ => KeepmumError::new_err(message),
    }
}

/// Runs `f`, turning a panic into a message.
fn no_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|p| {
        let what = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        format!("internal error: {what}")
    })
}

/// One input of a scan: borrowed from a Python object when possible.
#[derive(Debug)]
enum Text<'a> {
    /// A `str` (or Arrow string): UTF-8, so character offsets are known.
    Str(&'a str),
    /// `bytes` (or Arrow binary), borrowed.
    Bytes(&'a [u8]),
    /// A copy (`bytearray`, `memoryview`: their contents may change).
    Owned(Vec<u8>),
    /// `None` or an Arrow null.
    Null,
}

impl Text<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            Text::Str(s) => s.as_bytes(),
            Text::Bytes(b) => b,
            Text::Owned(v) => v,
            Text::Null => &[],
        }
    }
}

/// The accepted single inputs, for error messages.
const INPUT_TYPES: &str = "str, bytes, bytearray or memoryview";

/// Borrows (or, for mutable buffers, copies) one input.
fn text_of<'a>(obj: &'a Bound<'_, PyAny>, allow_none: bool) -> PyResult<Text<'a>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Text::Str(s.to_str()?));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Text::Bytes(b.as_bytes()));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(Text::Owned(b.to_vec()));
    }
    if obj.cast::<PyMemoryView>().is_ok() {
        let copy = obj.call_method0("tobytes")?;
        let copy = copy.cast::<PyBytes>()?;
        return Ok(Text::Owned(copy.as_bytes().to_vec()));
    }
    if allow_none && obj.is_none() {
        return Ok(Text::Null);
    }
    Err(PyTypeError::new_err(format!(
        "expected {INPUT_TYPES}{}, got {}",
        if allow_none { " or None" } else { "" },
        obj.get_type().name()?
    )))
}

/// An Arrow array's kind, from its type's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ArrowKind {
    /// 64-bit offsets (`large_string`, `large_binary`).
    large: bool,
    /// UTF-8 (`string`, `large_string`) rather than `binary`.
    utf8: bool,
}

fn arrow_kind(type_name: &str) -> Option<ArrowKind> {
    match type_name {
        "string" | "utf8" => Some(ArrowKind {
            large: false,
            utf8: true,
        }),
        "large_string" | "large_utf8" => Some(ArrowKind {
            large: true,
            utf8: true,
        }),
        "binary" => Some(ArrowKind {
            large: false,
            utf8: false,
        }),
        "large_binary" => Some(ArrowKind {
            large: true,
            utf8: false,
        }),
        _ => None,
    }
}

/// Whether `obj` is a pyarrow object (an `Array` or a `ChunkedArray`).
fn is_arrow(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    let module = obj.get_type().getattr("__module__")?;
    Ok(module.extract::<String>()?.starts_with("pyarrow"))
}

/// The bytes of a `pyarrow.Buffer`, without a copy.
///
/// The slice lives as long as the borrow of `buf`: a `pyarrow.Buffer` owns
/// (a shared reference to) its memory, and Arrow buffers are immutable once
/// built, so the memory neither moves nor changes while we hold the object.
#[allow(unsafe_code)]
fn arrow_buffer<'a>(buf: &'a Bound<'_, PyAny>) -> PyResult<&'a [u8]> {
    if !buf.getattr("is_cpu")?.extract::<bool>()? {
        return Err(PyValueError::new_err(
            "Arrow buffers must be in CPU memory (copy device arrays to the host first)",
        ));
    }
    let address: usize = buf.getattr("address")?.extract()?;
    let size: usize = buf.getattr("size")?.extract()?;
    if size == 0 || address == 0 {
        return Ok(&[]);
    }
    // SAFETY: `address` and `size` describe one live, immutable, CPU
    // allocation owned by `buf` (see above), which outlives `'a`.
    Ok(unsafe { std::slice::from_raw_parts(address as *const u8, size) })
}

/// The pieces of one Arrow array chunk, as byte slices.
#[derive(Debug)]
struct ArrowChunk<'a> {
    validity: Option<&'a [u8]>,
    offsets: &'a [u8],
    data: &'a [u8],
    offset: usize,
    len: usize,
}

/// Reads the chunk's items into `out`.
fn arrow_items<'a>(
    chunk: &ArrowChunk<'a>,
    kind: ArrowKind,
    out: &mut Vec<Text<'a>>,
) -> PyResult<()> {
    let width = if kind.large { 8 } else { 4 };
    let offset_at = |i: usize| -> PyResult<usize> {
        let raw = chunk
            .offsets
            .get(i * width..(i + 1) * width)
            .ok_or_else(|| PyValueError::new_err("Arrow offsets buffer is too short"))?;
        let value = if kind.large {
            i64::from_ne_bytes(raw.try_into().unwrap_or([0; 8]))
        } else {
            i64::from(i32::from_ne_bytes(raw.try_into().unwrap_or([0; 4])))
        };
        usize::try_from(value).map_err(|_| PyValueError::new_err("negative Arrow offset"))
    };
    for i in chunk.offset..chunk.offset + chunk.len {
        if let Some(bits) = chunk.validity {
            let valid = bits.get(i / 8).is_some_and(|b| b & (1 << (i % 8)) != 0);
            if !valid {
                out.push(Text::Null);
                continue;
            }
        }
        let (start, end) = (offset_at(i)?, offset_at(i + 1)?);
        let bytes = chunk
            .data
            .get(start..end)
            .ok_or_else(|| PyValueError::new_err("Arrow offsets point outside the data buffer"))?;
        if kind.utf8 {
            let s = std::str::from_utf8(bytes)
                .map_err(|e| PyValueError::new_err(format!("Arrow string is not UTF-8: {e}")))?;
            out.push(Text::Str(s));
        } else {
            out.push(Text::Bytes(bytes));
        }
    }
    Ok(())
}

/// The Python objects a batch borrows from; kept alive while its [`Text`]s
/// are in use.
#[derive(Debug)]
struct BatchSource<'py> {
    /// List items, or Arrow buffers (three per chunk: validity, offsets, data).
    objects: Vec<Option<Bound<'py, PyAny>>>,
    /// Per Arrow chunk: offset and length.
    chunks: Vec<(usize, usize)>,
    /// Set for Arrow input.
    arrow: Option<(ArrowKind, Bound<'py, PyAny>)>,
}

impl<'py> BatchSource<'py> {
    fn new(items: &Bound<'py, PyAny>) -> PyResult<BatchSource<'py>> {
        if items.cast::<PyString>().is_ok() || items.cast::<PyBytes>().is_ok() {
            return Err(PyTypeError::new_err(
                "a batch is a list of str/bytes or an Arrow array, not one str or bytes (use scan/redact)",
            ));
        }
        if !is_arrow(items)? {
            let objects = items
                .try_iter()
                .map_err(|_| {
                    PyTypeError::new_err(
                        "expected a list of str/bytes or a pyarrow string/binary array",
                    )
                })?
                .map(|o| o.map(Some))
                .collect::<PyResult<Vec<_>>>()?;
            return Ok(BatchSource {
                objects,
                chunks: Vec::new(),
                arrow: None,
            });
        }
        let data_type = items.getattr("type")?;
        let type_name = data_type.str()?.to_string();
        let kind = arrow_kind(&type_name).ok_or_else(|| {
            PyTypeError::new_err(format!(
                "Arrow type {type_name} is not supported: use string, large_string, binary or large_binary (array.cast(...))"
            ))
        })?;
        let chunk_list: Vec<Bound<'py, PyAny>> = if items.hasattr("chunks")? {
            items
                .getattr("chunks")?
                .try_iter()?
                .collect::<PyResult<_>>()?
        } else {
            vec![items.clone()]
        };
        let mut objects = Vec::with_capacity(chunk_list.len() * 3);
        let mut chunks = Vec::with_capacity(chunk_list.len());
        for chunk in &chunk_list {
            let buffers: Vec<Bound<'py, PyAny>> = chunk
                .call_method0("buffers")?
                .try_iter()?
                .collect::<PyResult<_>>()?;
            if buffers.len() != 3 {
                return Err(PyValueError::new_err(format!(
                    "expected 3 Arrow buffers for {type_name}, got {}",
                    buffers.len()
                )));
            }
            objects.extend(buffers.into_iter().map(|b| (!b.is_none()).then_some(b)));
            chunks.push((chunk.getattr("offset")?.extract()?, chunk.len()?));
        }
        Ok(BatchSource {
            objects,
            chunks,
            arrow: Some((kind, data_type)),
        })
    }

    /// The inputs, borrowed from the source objects.
    fn texts(&self) -> PyResult<Vec<Text<'_>>> {
        let Some((kind, _)) = self.arrow else {
            return self
                .objects
                .iter()
                .map(|o| match o {
                    Some(o) => text_of(o, true),
                    None => Ok(Text::Null),
                })
                .collect();
        };
        let mut out = Vec::new();
        for (k, &(offset, len)) in self.chunks.iter().enumerate() {
            let buffer = |i: usize| -> PyResult<Option<&[u8]>> {
                self.objects[3 * k + i]
                    .as_ref()
                    .map(arrow_buffer)
                    .transpose()
            };
            let chunk = ArrowChunk {
                validity: buffer(0)?,
                offsets: buffer(1)?.unwrap_or(&[]),
                data: buffer(2)?.unwrap_or(&[]),
                offset,
                len,
            };
            if len > 0 && chunk.offsets.is_empty() {
                return Err(PyValueError::new_err(
                    "Arrow array without an offsets buffer",
                ));
            }
            arrow_items(&chunk, kind, &mut out)?;
        }
        Ok(out)
    }
}

/// Rayon pools by thread count, built once each.
fn pool(threads: usize) -> PyResult<Arc<rayon::ThreadPool>> {
    static POOLS: OnceLock<Mutex<HashMap<usize, Arc<rayon::ThreadPool>>>> = OnceLock::new();
    let mut pools = POOLS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(p) = pools.get(&threads) {
        return Ok(p.clone());
    }
    let p = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("keepmum-{i}"))
        .build()
        .map_err(|e| KeepmumError::new_err(format!("cannot start {threads} threads: {e}")))?;
    let p = Arc::new(p);
    pools.insert(threads, p.clone());
    Ok(p)
}

/// Applies `f` to every input on `threads` threads (`None`: rayon's global
/// pool, one thread per core; 1: the calling thread), with the GIL released.
fn run_batch<'t, 'a, T, F>(
    py: Python<'_>,
    threads: Option<usize>,
    texts: &'t [Text<'a>],
    f: F,
) -> PyResult<Vec<T>>
where
    T: Send,
    F: Fn(&'t Text<'a>) -> T + Sync + Send,
{
    let pool = match threads {
        Some(0) => {
            return Err(PyValueError::new_err(
                "threads must be at least 1 (or None)",
            ))
        }
        Some(n) if n > 1 => Some(pool(n)?),
        _ => None,
    };
    let one = |t: &'t Text<'a>| no_panic(|| f(t));
    let result: Result<Vec<T>, String> = py.detach(|| match (threads, pool) {
        (Some(1), _) => texts.iter().map(one).collect(),
        (_, Some(pool)) => pool.install(|| texts.par_iter().map(one).collect()),
        _ => texts.par_iter().map(one).collect(),
    });
    result.map_err(InternalError::new_err)
}

/// A finding as the scan produced it, before conversion to Python.
type Scanned = (keepmum::Finding, Option<(usize, usize)>);

/// Scans one input; for text, adds each finding's character offsets.
fn scan_text(scanner: &keepmum::Scanner, text: &Text<'_>) -> Vec<Scanned> {
    let findings = scanner.scan_bytes(text.bytes());
    let Text::Str(s) = text else {
        return findings.into_iter().map(|f| (f, None)).collect();
    };
    // Characters before a byte offset = bytes that do not continue a UTF-8
    // sequence. Findings come in input order, so count incrementally.
    let bytes = s.as_bytes();
    let (mut at, mut chars) = (0usize, 0usize);
    let mut char_offset = |to: usize| {
        let to = to.min(bytes.len());
        if to < at {
            (at, chars) = (0, 0);
        }
        chars += bytes[at..to].iter().filter(|&&b| b & 0xC0 != 0x80).count();
        at = to;
        chars
    };
    findings
        .into_iter()
        .map(|f| {
            let span = f.span();
            let start = char_offset(span.start);
            let end = char_offset(span.end);
            (f, Some((start, end)))
        })
        .collect()
}

/// Redacts one input; unchanged inputs are borrowed, not copied.
fn redact_text<'a>(scanner: &keepmum::Scanner, text: &'a Text<'_>, mask: &str) -> Cow<'a, [u8]> {
    let input = text.bytes();
    if !scanner.has_findings(input) {
        return Cow::Borrowed(input);
    }
    Cow::Owned(keepmum::redact::redact_bytes_with(scanner, input, mask))
}

/// One secret or PII value found in the input.
///
/// Offsets: ``start``/``end`` are byte offsets into the input's UTF-8 (for
/// ``str``) or into the bytes; ``char_start``/``char_end`` are offsets in
/// code points, usable as ``text[f.char_start:f.char_end]``, and are
/// ``None`` for ``bytes`` input. ``line`` and ``column`` are 1-based and the
/// column counts bytes. ``secret`` (the raw value) is ``None`` unless the
/// scan was asked with ``reveal=True``; ``repr()`` never shows it.
#[pyclass(frozen, module = "pykeepmum", name = "Finding")]
#[derive(Debug)]
struct PyFinding {
    /// The rule that matched, e.g. ``"github-pat"`` or ``"email"``.
    #[pyo3(get)]
    rule_id: String,
    /// ``"secret"`` or ``"pii"``.
    #[pyo3(get)]
    category: &'static str,
    /// The rule's one-line description.
    #[pyo3(get)]
    description: String,
    /// ``"low"``, ``"medium"`` or ``"high"``.
    #[pyo3(get)]
    confidence: &'static str,
    /// Byte offset where the secret starts.
    #[pyo3(get)]
    start: usize,
    /// Byte offset just past the secret.
    #[pyo3(get)]
    end: usize,
    /// Code-point offset where the secret starts (``str`` input only).
    #[pyo3(get)]
    char_start: Option<usize>,
    /// Code-point offset just past the secret (``str`` input only).
    #[pyo3(get)]
    char_end: Option<usize>,
    /// 1-based line of the secret's start.
    #[pyo3(get)]
    line: usize,
    /// 1-based byte column of the secret's start.
    #[pyo3(get)]
    column: usize,
    /// A redacted form: a short prefix and ``*****``.
    #[pyo3(get)]
    redacted: String,
    /// Hex SHA-1 of the raw value (detect-secrets' ``hashed_secret``).
    #[pyo3(get)]
    hash: String,
    /// Decoders the value was found through (``["base64"]``), outermost first.
    #[pyo3(get)]
    decoders: Vec<&'static str>,
    raw: Option<Vec<u8>>,
    raw_is_text: bool,
}

impl PyFinding {
    fn new(scanned: Scanned, reveal: bool, text: bool) -> PyFinding {
        let (f, chars) = scanned;
        let span = f.span();
        PyFinding {
            rule_id: f.rule_id().to_string(),
            category: f.category().as_str(),
            description: f.description().to_string(),
            confidence: f.confidence().as_str(),
            start: span.start,
            end: span.end,
            char_start: chars.map(|c| c.0),
            char_end: chars.map(|c| c.1),
            line: f.line(),
            column: f.column(),
            redacted: f.redacted(),
            hash: f.secret_sha1(),
            decoders: f.decoders().to_vec(),
            raw: reveal.then(|| f.secret().expose().to_vec()),
            raw_is_text: text,
        }
    }
}

#[pymethods]
impl PyFinding {
    /// The raw value: ``str`` for text input, ``bytes`` for bytes input;
    /// ``None`` unless the scan had ``reveal=True``.
    #[getter]
    fn secret<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyAny>> {
        let raw = self.raw.as_deref()?;
        Some(if self.raw_is_text {
            PyString::new(py, &String::from_utf8_lossy(raw)).into_any()
        } else {
            PyBytes::new(py, raw).into_any()
        })
    }

    /// The finding as a plain ``dict`` (``secret`` only when revealed).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("rule_id", &self.rule_id)?;
        d.set_item("category", self.category)?;
        d.set_item("description", &self.description)?;
        d.set_item("confidence", self.confidence)?;
        d.set_item("start", self.start)?;
        d.set_item("end", self.end)?;
        d.set_item("char_start", self.char_start)?;
        d.set_item("char_end", self.char_end)?;
        d.set_item("line", self.line)?;
        d.set_item("column", self.column)?;
        d.set_item("redacted", &self.redacted)?;
        d.set_item("hash", &self.hash)?;
        d.set_item("decoders", self.decoders.clone())?;
        if let Some(secret) = self.secret(py) {
            d.set_item("secret", secret)?;
        }
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "Finding(rule_id={:?}, category={:?}, line={}, start={}, end={}, redacted={:?})",
            self.rule_id, self.category, self.line, self.start, self.end, self.redacted
        )
    }
}

/// Converts a Python value to TOML (for custom rules given as dicts).
fn toml_value(obj: &Bound<'_, PyAny>) -> PyResult<toml::Value> {
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(toml::Value::Boolean(b.is_true()));
    }
    if obj.cast::<PyInt>().is_ok() {
        return Ok(toml::Value::Integer(obj.extract()?));
    }
    if obj.cast::<PyFloat>().is_ok() {
        return Ok(toml::Value::Float(obj.extract()?));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(toml::Value::String(s.to_str()?.to_string()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        return Ok(toml::Value::Table(toml_table(d)?));
    }
    if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() {
        let items = obj
            .try_iter()?
            .map(|o| toml_value(&o?))
            .collect::<PyResult<Vec<_>>>()?;
        return Ok(toml::Value::Array(items));
    }
    Err(PyTypeError::new_err(format!(
        "custom rule values must be str, int, float, bool, list or dict, got {}",
        obj.get_type().name()?
    )))
}

fn toml_table(d: &Bound<'_, PyDict>) -> PyResult<toml::Table> {
    let mut table = toml::Table::new();
    for (k, v) in d.iter() {
        let key = k
            .cast::<PyString>()
            .map_err(|_| PyTypeError::new_err("custom rule keys must be str"))?
            .to_str()?
            .to_string();
        table.insert(key, toml_value(&v)?);
    }
    Ok(table)
}

/// Custom rules: TOML text with ``[[rule]]`` tables, one dict, or a list of
/// dicts in the same schema.
fn custom_rule_set(obj: &Bound<'_, PyAny>) -> PyResult<RuleSet> {
    let text = if let Ok(s) = obj.cast::<PyString>() {
        s.to_str()?.to_string()
    } else {
        let tables: Vec<toml::Value> = if let Ok(d) = obj.cast::<PyDict>() {
            vec![toml::Value::Table(toml_table(d)?)]
        } else {
            obj.try_iter()
                .map_err(|_| {
                    PyTypeError::new_err(
                        "custom_rules must be TOML text, a dict or a list of dicts",
                    )
                })?
                .map(|o| {
                    let o = o?;
                    let d = o
                        .cast::<PyDict>()
                        .map_err(|_| PyTypeError::new_err("each custom rule must be a dict"))?;
                    Ok(toml::Value::Table(toml_table(d)?))
                })
                .collect::<PyResult<_>>()?
        };
        let mut doc = toml::Table::new();
        doc.insert("rule".to_string(), toml::Value::Array(tables));
        toml::to_string(&doc).map_err(|e| RuleError::new_err(format!("custom rules: {e}")))?
    };
    RuleSet::from_toml(&text).map_err(py_error)
}

/// The ids of `rules` that `set` lacks.
fn unknown_ids<'a>(set: &RuleSet, rules: &'a [String]) -> Vec<&'a str> {
    rules
        .iter()
        .filter(|id| set.get(id).is_none())
        .map(String::as_str)
        .collect()
}

/// A configured scanner. Build one and reuse it: construction compiles the
/// configuration; scans share it across threads.
///
/// Every argument is keyword-only and optional:
///
/// - ``rules``: run only these built-in rule ids (default: all of them).
/// - ``disabled_rules``: rule ids to turn off.
/// - ``builtin_rules``: ``False`` runs only custom rules.
/// - ``custom_rules``: rules in keepmum's rule schema, as TOML text with
///   ``[[rule]]`` tables, one dict, or a list of dicts (``id``,
///   ``description``, ``regex``, ``keywords``, ...).
/// - ``pii`` / ``secrets``: run the PII / credential rules (default on).
/// - ``allow_regexes``: findings whose value matches one are dropped.
/// - ``allow_words``: findings whose value contains one (case-insensitive)
///   are dropped.
/// - ``config``: a ``.keepmum.toml`` (or gitleaks config) path, applied
///   first; the arguments above override or extend it.
/// - ``inline_allow``: honour ``keepmum:allow`` / ``pragma: allowlist
///   secret`` comments (default on).
/// - ``decode_depth``: layers of base64/hex/percent encoding looked
///   through (default 2, 0 = off).
/// - ``high_entropy_anywhere``: report random-looking strings without a
///   credential word nearby (default off).
/// - ``threads``: default thread count of ``scan_batch``/``redact_batch``
///   (``None``: one per core).
///
/// Raises ``ConfigError``, ``RuleError`` or ``ReadError`` (all
/// ``KeepmumError``) with keepmum's one-line message.
#[pyclass(frozen, module = "pykeepmum", name = "Scanner")]
#[derive(Debug)]
struct PyScanner {
    inner: keepmum::Scanner,
    threads: Option<usize>,
}

#[pymethods]
impl PyScanner {
    #[new]
    #[pyo3(signature = (
        *,
        rules = None,
        disabled_rules = None,
        builtin_rules = true,
        custom_rules = None,
        pii = None,
        secrets = None,
        allow_regexes = None,
        allow_words = None,
        config = None,
        inline_allow = None,
        decode_depth = None,
        high_entropy_anywhere = None,
        threads = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        rules: Option<Vec<String>>,
        disabled_rules: Option<Vec<String>>,
        builtin_rules: bool,
        custom_rules: Option<&Bound<'_, PyAny>>,
        pii: Option<bool>,
        secrets: Option<bool>,
        allow_regexes: Option<Vec<String>>,
        allow_words: Option<Vec<String>>,
        config: Option<PathBuf>,
        inline_allow: Option<bool>,
        decode_depth: Option<usize>,
        high_entropy_anywhere: Option<bool>,
        threads: Option<usize>,
    ) -> PyResult<PyScanner> {
        if threads == Some(0) {
            return Err(PyValueError::new_err(
                "threads must be at least 1 (or None)",
            ));
        }
        let custom = custom_rules.map(custom_rule_set).transpose()?;
        let mut builder = keepmum::Scanner::builder();
        let mut allowlist = Allowlist::new();
        let mut set = match &config {
            Some(path) => {
                let cfg = no_panic(|| Config::load(path))
                    .map_err(InternalError::new_err)?
                    .map_err(py_error)?;
                cfg.apply(&mut builder).map_err(py_error)?;
                allowlist.extend(cfg.allowlist());
                cfg.rules()
            }
            None => RuleSet::builtin(),
        };
        if !builtin_rules {
            let builtin: Vec<String> = set
                .iter()
                .filter(|r| r.family().is_some())
                .map(|r| r.id().to_string())
                .collect();
            set.disable(&builtin);
        }
        if let Some(keep) = &rules {
            let unknown = unknown_ids(&set, keep);
            if !unknown.is_empty() {
                return Err(ConfigError::new_err(format!(
                    "rules: unknown rule id(s): {}",
                    unknown.join(", ")
                )));
            }
            let drop: Vec<String> = set
                .iter()
                .filter(|r| !keep.iter().any(|k| k == r.id()))
                .map(|r| r.id().to_string())
                .collect();
            set.disable(&drop);
        }
        if let Some(custom) = custom {
            set.extend(custom);
        }
        if let Some(off) = &disabled_rules {
            let unknown = unknown_ids(&set, off);
            if !unknown.is_empty() {
                return Err(ConfigError::new_err(format!(
                    "disabled_rules: unknown rule id(s): {}",
                    unknown.join(", ")
                )));
            }
            set.disable(off);
        }
        if set.is_empty() {
            return Err(ConfigError::new_err(
                "no rules to run (builtin_rules=False needs custom_rules)",
            ));
        }
        builder.rules(set);
        for r in allow_regexes.unwrap_or_default() {
            allowlist.add_secret_regex(r);
        }
        for w in allow_words.unwrap_or_default() {
            allowlist.add_stopword(w);
        }
        if !allowlist.is_empty() {
            builder.allowlist(allowlist);
        }
        if let Some(v) = pii {
            builder.pii(v);
        }
        if let Some(v) = secrets {
            builder.secrets(v);
        }
        if let Some(v) = inline_allow {
            builder.inline_allow(v);
        }
        if let Some(v) = decode_depth {
            builder.decode_depth(v);
        }
        if let Some(v) = high_entropy_anywhere {
            builder.high_entropy_anywhere(v);
        }
        let inner = no_panic(|| builder.build())
            .map_err(InternalError::new_err)?
            .map_err(py_error)?;
        Ok(PyScanner { inner, threads })
    }

    /// The ids of the rules this scanner runs, in order.
    #[getter]
    fn rule_ids(&self) -> Vec<String> {
        self.inner
            .rules()
            .iter()
            .map(|r| r.id().to_string())
            .collect()
    }

    /// Scans one input (``str``, ``bytes``, ``bytearray`` or
    /// ``memoryview``) and returns its findings in input order. The GIL is
    /// released while scanning. ``reveal=True`` fills ``Finding.secret``
    /// with the raw value; leave it off unless you must see it.
    #[pyo3(signature = (data, *, reveal = false))]
    fn scan(
        &self,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        reveal: bool,
    ) -> PyResult<Vec<PyFinding>> {
        let text = text_of(data, false)?;
        let is_text = matches!(text, Text::Str(_));
        let scanner = &self.inner;
        let found = py
            .detach(|| no_panic(|| scan_text(scanner, &text)))
            .map_err(InternalError::new_err)?;
        Ok(found
            .into_iter()
            .map(|s| PyFinding::new(s, reveal, is_text))
            .collect())
    }

    /// Returns ``data`` with every finding replaced by ``mask``, in which
    /// ``{rule_id}`` stands for the rule's id (default
    /// ``"[REDACTED:{rule_id}]"``). Overlapping findings become one mask.
    /// ``str`` in, ``str`` out; bytes-like in, ``bytes`` out.
    #[pyo3(signature = (data, *, mask = None))]
    fn redact<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        mask: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let text = text_of(data, false)?;
        let mask = mask.unwrap_or(keepmum::redact::DEFAULT_MASK);
        let scanner = &self.inner;
        let out = py
            .detach(|| no_panic(|| redact_text(scanner, &text, mask).into_owned()))
            .map_err(InternalError::new_err)?;
        Ok(match text {
            Text::Str(_) => PyString::new(py, &String::from_utf8_lossy(&out)).into_any(),
            _ => PyBytes::new(py, &out).into_any(),
        })
    }

    /// Scans many inputs in parallel with the GIL released and returns one
    /// list of findings per input, in input order (``None`` items and Arrow
    /// nulls give ``[]``). ``items`` is a list (or any iterable) of
    /// ``str``/``bytes``/``None``, or a pyarrow ``Array``/``ChunkedArray``
    /// of ``string``, ``large_string``, ``binary`` or ``large_binary``,
    /// read without copying. ``threads`` overrides the scanner's default.
    #[pyo3(signature = (items, *, reveal = false, threads = None))]
    fn scan_batch(
        &self,
        py: Python<'_>,
        items: &Bound<'_, PyAny>,
        reveal: bool,
        threads: Option<usize>,
    ) -> PyResult<Vec<Vec<PyFinding>>> {
        let source = BatchSource::new(items)?;
        let texts = source.texts()?;
        let scanner = &self.inner;
        let found = run_batch(py, threads.or(self.threads), &texts, |t| {
            scan_text(scanner, t)
        })?;
        Ok(found
            .into_iter()
            .zip(&texts)
            .map(|(fs, t)| {
                let is_text = matches!(t, Text::Str(_));
                fs.into_iter()
                    .map(|s| PyFinding::new(s, reveal, is_text))
                    .collect()
            })
            .collect())
    }

    /// Redacts many inputs in parallel with the GIL released (see
    /// ``redact`` and ``scan_batch``). A list gives a list (``str`` items
    /// stay ``str``, bytes-like become ``bytes``, ``None`` stays ``None``);
    /// a pyarrow array gives a pyarrow ``Array`` of the same type, nulls
    /// kept.
    #[pyo3(signature = (items, *, mask = None, threads = None))]
    fn redact_batch<'py>(
        &self,
        py: Python<'py>,
        items: &Bound<'py, PyAny>,
        mask: Option<&str>,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let source = BatchSource::new(items)?;
        let texts = source.texts()?;
        let mask = mask.unwrap_or(keepmum::redact::DEFAULT_MASK);
        let scanner = &self.inner;
        let out = run_batch(py, threads.or(self.threads), &texts, |t| {
            redact_text(scanner, t, mask)
        })?;
        if let Some((kind, data_type)) = &source.arrow {
            return arrow_array(py, *kind, data_type, &texts, &out);
        }
        let values = out.iter().zip(&texts).map(|(o, t)| match t {
            Text::Null => py.None().into_bound(py),
            Text::Str(_) => PyString::new(py, &String::from_utf8_lossy(o)).into_any(),
            _ => PyBytes::new(py, o).into_any(),
        });
        Ok(PyList::new(py, values)?.into_any())
    }

    fn __repr__(&self) -> String {
        format!("Scanner(rules={})", self.inner.rules().len())
    }
}

/// Builds a pyarrow array of `data_type` from redacted values (one copy
/// into a new data buffer; nulls where the input had them).
fn arrow_array<'py>(
    py: Python<'py>,
    kind: ArrowKind,
    data_type: &Bound<'py, PyAny>,
    texts: &[Text<'_>],
    values: &[Cow<'_, [u8]>],
) -> PyResult<Bound<'py, PyAny>> {
    let total: usize = values.iter().map(|v| v.len()).sum();
    if !kind.large && total > i32::MAX as usize {
        return Err(KeepmumError::new_err(format!(
            "redacted output ({total} bytes) exceeds a {} array: use large_{}",
            if kind.utf8 { "string" } else { "binary" },
            if kind.utf8 { "string" } else { "binary" },
        )));
    }
    let width = if kind.large { 8 } else { 4 };
    let mut offsets = Vec::with_capacity((values.len() + 1) * width);
    let mut data = Vec::with_capacity(total);
    let mut validity = vec![0u8; values.len().div_ceil(8)];
    let mut nulls = 0usize;
    let push_offset = |offsets: &mut Vec<u8>, at: usize| {
        if kind.large {
            offsets.extend_from_slice(&(at as i64).to_ne_bytes());
        } else {
            offsets.extend_from_slice(&(at as i32).to_ne_bytes());
        }
    };
    push_offset(&mut offsets, 0);
    for (i, (v, t)) in values.iter().zip(texts).enumerate() {
        if matches!(t, Text::Null) {
            nulls += 1;
        } else {
            validity[i / 8] |= 1 << (i % 8);
            data.extend_from_slice(v);
        }
        push_offset(&mut offsets, data.len());
    }
    let pa = py.import("pyarrow")?;
    let buffer = |bytes: &[u8]| pa.call_method1("py_buffer", (PyBytes::new(py, bytes),));
    let validity = if nulls == 0 {
        py.None().into_bound(py)
    } else {
        buffer(&validity)?
    };
    let buffers = PyList::new(py, [validity, buffer(&offsets)?, buffer(&data)?])?;
    pa.getattr("Array")?
        .call_method1("from_buffers", (data_type, values.len(), buffers, nulls))
}

/// The native module; `pykeepmum/__init__.py` re-exports it.
#[pymodule]
fn _keepmum(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<PyScanner>()?;
    m.add_class::<PyFinding>()?;
    m.add("KeepmumError", py.get_type::<KeepmumError>())?;
    m.add("ConfigError", py.get_type::<ConfigError>())?;
    m.add("RuleError", py.get_type::<RuleError>())?;
    m.add("ReadError", py.get_type::<ReadError>())?;
    m.add("InternalError", py.get_type::<InternalError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("DEFAULT_MASK", keepmum::redact::DEFAULT_MASK)?;
    Ok(())
}
