"""Hugging Face `datasets`: redact a text column with `map(batched=True)`.

    python hf_datasets.py INPUT.parquet OUTPUT.parquet [--column content]
"""

import argparse

from scrub import redact_column


def scrub_dataset(ds, column="content", num_proc=None):
    return ds.map(
        lambda batch: {column: redact_column(batch[column])},
        batched=True,
        batch_size=256,
        num_proc=num_proc,
    )


if __name__ == "__main__":
    import datasets

    p = argparse.ArgumentParser()
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--column", default="content")
    a = p.parse_args()
    ds = datasets.Dataset.from_parquet(a.input)
    scrub_dataset(ds, a.column).to_parquet(a.output)
