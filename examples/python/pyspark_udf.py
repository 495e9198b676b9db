"""PySpark: redact a text column with a pandas UDF (Arrow-backed batches).

    python pyspark_udf.py INPUT.parquet OUTPUT_DIR [--column content]

Executors need pykeepmum installed in the Python they run (PYSPARK_PYTHON);
scrub.py is shipped with addPyFile.
"""

import argparse

import pandas as pd
from pyspark.sql.functions import col, pandas_udf
from pyspark.sql.types import StringType

from scrub import redact_column


@pandas_udf(StringType())  # a type object: no session needed at import
def redact_udf(values: pd.Series) -> pd.Series:
    return redact_column(values)


def scrub_dataframe(df, column="content"):
    return df.withColumn(column, redact_udf(col(column)))


if __name__ == "__main__":
    from pyspark.sql import SparkSession

    p = argparse.ArgumentParser()
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--column", default="content")
    a = p.parse_args()
    spark = SparkSession.builder.appName("keepmum-scrub").getOrCreate()
    spark.sparkContext.addPyFile(__file__.replace("pyspark_udf.py", "scrub.py"))
    scrub_dataframe(spark.read.parquet(a.input), a.column).write.parquet(a.output)
