"""Scrub secrets and PII from a text column: the code every recipe shares.

One function, `redact_column`, takes a column as the engines hand it over (a
list of str, a pyarrow array or a pandas Series) and returns the redacted
column in the same form. Each worker process builds its own Scanner once
(Scanner objects are not pickled; they are rebuilt where they run).

    from scrub import redact_column
    cleaned = redact_column(batch["content"])
"""

import pykeepmum

_SCANNER = None


def scanner() -> pykeepmum.Scanner:
    """This process's scanner (built on first use: about 5 ms)."""
    global _SCANNER
    if _SCANNER is None:
        # Engines run one task per core already: one thread per batch.
        _SCANNER = pykeepmum.Scanner(threads=1)
    return _SCANNER


def redact_column(column):
    """Redacts every value of `column`; same form in and out."""
    if type(column).__module__.startswith("pandas"):  # a pandas Series
        import pandas as pd
        import pyarrow as pa

        out = scanner().redact_batch(pa.array(column, from_pandas=True))
        return pd.Series(out.to_pandas(), index=column.index, name=column.name)
    return scanner().redact_batch(column)
