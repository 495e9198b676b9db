"""Find and redact secrets and PII in text, fast and offline.

pykeepmum is the Python interface of keepmum, a Rust secret and PII scanner::

    import pykeepmum

    scanner = pykeepmum.Scanner()           # built-in rules, PII on
    for f in scanner.scan(text):
        print(f.rule_id, f.line, f.redacted)
    clean = scanner.redact(text)            # "[REDACTED:<rule-id>]" masks
    cleaned = scanner.redact_batch(texts)   # parallel, GIL released

``scan_batch`` and ``redact_batch`` take a list of ``str``/``bytes`` or a
pyarrow string/binary array and run on all cores (``threads=`` to limit).
Findings never show the raw value unless asked (``reveal=True``).
"""

from ._keepmum import (
    DEFAULT_MASK,
    ConfigError,
    Finding,
    InternalError,
    KeepmumError,
    ReadError,
    RuleError,
    Scanner,
    __version__,
)

__all__ = [
    "DEFAULT_MASK",
    "ConfigError",
    "Finding",
    "InternalError",
    "KeepmumError",
    "ReadError",
    "RuleError",
    "Scanner",
    "__version__",
]
