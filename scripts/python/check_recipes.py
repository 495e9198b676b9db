"""Runs the examples/python recipes for real, in local mode, on real text
with planted fake secrets and PII, and checks the redacted output.

    python check_recipes.py --cache DIR --work DIR datasets ray [spark]

Data: every text file of a few pinned PyPI sdists (realdata.py), one row per
file; a third of the rows get 1-3 planted values (fakes.py, fixed seed).
Checks, per engine: no planted value survives; every output row equals
pykeepmum's own redact() of its input (order and wiring); rows with no
finding stay byte-identical. Exits non-zero on any failure.
"""

import argparse
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "examples", "python"))

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

import fakes  # noqa: E402
import pykeepmum  # noqa: E402
import realdata  # noqa: E402


def build_dataset(cache):
    rng = random.Random(18)
    docs = realdata.documents(cache)
    rows, labels = [], []
    for i, (path, text) in enumerate(docs):
        found = []
        if i % 3 == 0:
            # Keys and the PII kinds keepmum reports by default (not IPs, nor
            # emails in comments): this checks the engines' wiring; recall is
            # benches/python-batch.py's job.
            kinds = [k for k in fakes.KINDS if k not in ("ipv4", "email-in-comment")]
            text, found = fakes.plant(text, rng, count=rng.randint(1, 3), kinds=kinds)
        rows.append({"id": i, "path": path, "content": text})
        labels.append(found)
    return rows, labels


def run_datasets(inp, work):
    import datasets

    import hf_datasets

    ds = datasets.Dataset.from_parquet(inp)
    out = os.path.join(work, "datasets.parquet")
    hf_datasets.scrub_dataset(ds).to_parquet(out)
    return pq.read_table(out)


def run_ray(inp, work):
    import ray

    import ray_data

    # Workers import the recipe modules (ray_data, scrub) from the examples.
    examples = os.path.join(HERE, "..", "..", "examples", "python")
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={"env_vars": {"PYTHONPATH": os.path.abspath(examples)}},
    )
    out = os.path.join(work, "ray-out")
    ray_data.scrub_dataset(ray.data.read_parquet(inp)).write_parquet(out)
    ray.shutdown()
    return pq.read_table(out)


def run_spark(inp, work):
    from pyspark.sql import SparkSession

    import pyspark_udf

    # Python workers run this interpreter (the venv with pykeepmum).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # Uncompressed parquet: snappy-java's native library is not loadable
    # everywhere, and 2 MB need no compression.
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("keepmum-check")
        .config("spark.sql.parquet.compression.codec", "uncompressed")
        .getOrCreate()
    )
    spark.sparkContext.addPyFile(os.path.join(HERE, "..", "..", "examples", "python", "scrub.py"))
    out = os.path.join(work, "spark-out")
    pyspark_udf.scrub_dataframe(spark.read.parquet(inp)).write.parquet(out)
    spark.stop()
    return pq.read_table(out)


ENGINES = {"datasets": run_datasets, "ray": run_ray, "spark": run_spark}


def check(engine, table, rows, labels, scanner):
    fails = 0
    got = dict(zip(table.column("id").to_pylist(), table.column("content").to_pylist()))
    if sorted(got) != list(range(len(rows))):
        print(f"FAIL {engine}: {len(got)} rows out, {len(rows)} in")
        return 1
    planted = leaked = changed_clean = clean = 0
    for row, found in zip(rows, labels):
        out = got[row["id"]]
        for label in found:
            planted += 1
            if any(part in out for part in label.value.split("\n")):
                leaked += 1
                print(f"FAIL {engine}: planted {label.kind} survives in {row['path']}")
        if out != scanner.redact(row["content"]):
            fails += 1
            print(f"FAIL {engine}: {row['path']} differs from pykeepmum.redact()")
        if not found and not scanner.scan(row["content"]):
            clean += 1
            if out != row["content"]:
                changed_clean += 1
    fails += leaked + changed_clean
    print(
        f"{'PASS' if fails == 0 else 'FAIL'} {engine}: {len(rows)} rows, {planted} planted values, "
        f"{leaked} survived; {clean} rows without findings, {changed_clean} changed"
    )
    return fails


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cache", required=True, help="download cache (sdists)")
    p.add_argument("--work", required=True, help="scratch directory")
    p.add_argument("engines", nargs="+", choices=sorted(ENGINES))
    a = p.parse_args()
    os.makedirs(a.work, exist_ok=True)
    rows, labels = build_dataset(a.cache)
    size = sum(len(r["content"].encode()) for r in rows)
    print(f"dataset: {len(rows)} files of {len(realdata.SDISTS)} sdists, {size / 1e6:.1f} MB, "
          f"{sum(map(len, labels))} planted values")
    inp = os.path.join(a.work, "input.parquet")
    pq.write_table(pa.Table.from_pylist(rows), inp, compression="none")
    scanner = pykeepmum.Scanner()
    fails = 0
    for engine in a.engines:
        t0 = time.time()
        table = ENGINES[engine](inp, a.work)
        print(f"{engine}: ran in {time.time() - t0:.1f}s")
        fails += check(engine, table, rows, labels, scanner)
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
