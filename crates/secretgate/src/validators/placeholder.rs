//! Recognises values that are obviously not real secrets: placeholders,
//! variable references and test values.

/// True when `value` is a placeholder such as `changeme`, `<your-key>`,
/// `${VAR}` or `xxxx`.
pub(crate) fn is_placeholder(value: &[u8]) -> bool {
    let lower = value.to_ascii_lowercase();
    lower.is_empty()
        || lower.starts_with(b"${")
        || lower.starts_with(b"<")
        || lower.iter().all(|&b| b == lower[0])
        || lower.windows(4).any(|w| w == b"xxxx")
}
