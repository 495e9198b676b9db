"""Type stubs of the native module (pykeepmum._keepmum)."""

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal, final, overload

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

__version__: Final[str]
DEFAULT_MASK: Final[str]
"""The default redaction mask, ``"[REDACTED:{rule_id}]"``."""

class KeepmumError(Exception):
    """Base class of every error pykeepmum raises."""

class ConfigError(KeepmumError):
    """A configuration is invalid: config file, rule ids, allowlist regexes."""

class RuleError(KeepmumError):
    """A custom rule is invalid (bad regex, missing field, duplicate id)."""

class ReadError(KeepmumError):
    """A file (the config file) could not be read."""

class InternalError(KeepmumError):
    """A bug in keepmum (a caught panic); please report it."""

@final
class Finding:
    """One secret or PII value found in the input.

    ``start``/``end`` are byte offsets (into the UTF-8 of a ``str``);
    ``char_start``/``char_end`` are code-point offsets (``None`` for bytes
    input). ``line`` and ``column`` are 1-based; the column counts bytes.
    """

    @property
    def rule_id(self) -> str: ...
    @property
    def category(self) -> Literal["secret", "pii"]: ...
    @property
    def description(self) -> str: ...
    @property
    def confidence(self) -> Literal["low", "medium", "high"]: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def char_start(self) -> int | None: ...
    @property
    def char_end(self) -> int | None: ...
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def redacted(self) -> str:
        """A redacted form: a short prefix and ``*****``."""
    @property
    def hash(self) -> str:
        """Hex SHA-1 of the raw value (detect-secrets' ``hashed_secret``)."""
    @property
    def decoders(self) -> list[str]: ...
    @property
    def secret(self) -> str | bytes | None:
        """The raw value; ``None`` unless scanned with ``reveal=True``."""
    def to_dict(self) -> dict[str, Any]: ...

_Text = str | bytes | bytearray | memoryview
"""One input: ``str`` or a bytes-like object."""

@final
class Scanner:
    """A configured scanner; build once, reuse (it is thread-safe)."""

    def __new__(
        cls,
        *,
        rules: Sequence[str] | None = None,
        disabled_rules: Sequence[str] | None = None,
        builtin_rules: bool = True,
        custom_rules: str | Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
        pii: bool | None = None,
        secrets: bool | None = None,
        allow_regexes: Sequence[str] | None = None,
        allow_words: Sequence[str] | None = None,
        config: str | os.PathLike[str] | None = None,
        inline_allow: bool | None = None,
        decode_depth: int | None = None,
        high_entropy_anywhere: bool | None = None,
        threads: int | None = None,
    ) -> Scanner: ...
    @property
    def rule_ids(self) -> list[str]:
        """The ids of the rules this scanner runs."""
    def scan(self, data: _Text, *, reveal: bool = False) -> list[Finding]:
        """Findings in one input, in input order (GIL released)."""
    @overload
    def redact(self, data: str, *, mask: str | None = None) -> str: ...
    @overload
    def redact(self, data: bytes | bytearray | memoryview, *, mask: str | None = None) -> bytes: ...
    def scan_batch(
        self,
        items: Iterable[str | bytes | bytearray | memoryview | None] | Any,
        *,
        reveal: bool = False,
        threads: int | None = None,
    ) -> list[list[Finding]]:
        """One list of findings per input; ``items`` may be a pyarrow array."""
    @overload
    def redact_batch(
        self,
        items: Iterable[str | bytes | bytearray | memoryview | None],
        *,
        mask: str | None = None,
        threads: int | None = None,
    ) -> list[str | bytes | None]: ...
    @overload
    def redact_batch(self, items: Any, *, mask: str | None = None, threads: int | None = None) -> Any:
        """A pyarrow array in gives a pyarrow array of the same type out."""
