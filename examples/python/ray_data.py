"""Ray Data: redact a text column with `map_batches` (pyarrow batches: the
column is read without a copy).

    python ray_data.py INPUT.parquet OUTPUT_DIR [--column content]
"""

import argparse
import os

from scrub import redact_column


def redact_batch(table, column="content"):
    i = table.schema.get_field_index(column)
    return table.set_column(i, column, redact_column(table.column(column)))


def scrub_dataset(ds, column="content"):
    return ds.map_batches(redact_batch, batch_format="pyarrow", fn_kwargs={"column": column})


if __name__ == "__main__":
    import ray

    p = argparse.ArgumentParser()
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--column", default="content")
    a = p.parse_args()
    # Local mode (a cluster in RAY_ADDRESS is used if set). Workers import
    # this file and scrub.py: ship them with the job.
    here = os.path.dirname(os.path.abspath(__file__))
    ray.init(runtime_env={"env_vars": {"PYTHONPATH": here}})
    scrub_dataset(ray.data.read_parquet(a.input), a.column).write_parquet(a.output)
