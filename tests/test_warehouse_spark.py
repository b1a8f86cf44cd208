"""crmlab.warehouse on Spark SQL: the same SQL text as DuckDB, the same frames as pandas.

One local[2] session for the module (shuffle partitions 2, no UI). Skipped only where Java
or pyspark is missing; ``.ci/run`` installs Java and the test extra installs pyspark, so
CI runs it.
"""

from __future__ import annotations

import shutil
import warnings

import pandas as pd
import pytest

import crmlab
from crmlab import InputError, btyd, rfm, warehouse, warehouse_engines

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")
pytestmark = [
    pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java"),
    # pyspark's notice that it was not built against pandas 3 (it works here)
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]
pyspark = pytest.importorskip("pyspark")

CAL, HOLD = "1997-09-30", "1998-06-30"


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
        session = (SparkSession.builder.master("local[2]").appName("crmlab-tests")
                   .config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.shuffle.partitions", "2").getOrCreate())
    session.sparkContext.setLogLevel("OFF")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def master():
    return crmlab.load_dataset("cdnow_master")


def same(sql, pandas):
    pd.testing.assert_frame_equal(sql, pandas, check_exact=False, rtol=1e-12, atol=0)
    assert sql.attrs == pandas.attrs


def statements_run(monkeypatch, engine_class):
    """Record every SQL text an engine runs."""
    seen = []
    for method in ("run", "execute"):
        original = getattr(engine_class, method)

        def record(self, sql, _original=original):
            seen.append(sql)
            return _original(self, sql)
        monkeypatch.setattr(engine_class, method, record)
    return seen


def test_spark_runs_the_same_sql_as_duckdb_and_equals_pandas(spark, master, tmp_path, monkeypatch):
    path = tmp_path / "cdnow.parquet"
    master.to_parquet(path)
    spark_sql = statements_run(monkeypatch, warehouse_engines.SparkEngine)
    duck_sql = statements_run(monkeypatch, warehouse_engines.DuckDBEngine)
    options = dict(amount="dollars", calibration_end=CAL, holdout_end=HOLD)
    on_spark = warehouse.btyd_summary(path, engine=spark, **options)
    on_duckdb = warehouse.btyd_summary(path, **options)
    assert spark_sql == duck_sql and len(spark_sql) == 3     # checks, log view, summary
    same(on_spark, btyd.repeat_purchase_table(master, **options))
    same(on_spark, on_duckdb)


def test_spark_rfm_on_cdnow_and_a_started_session(spark, master):
    # engine="spark" starts local[2], or reuses the running session as here
    table = warehouse.rfm_summary(master, amount="dollars", engine="spark")
    same(table, rfm.customer_table(master, amount="dollars"))
    assert round(table["monetary_total"].sum(), 2) == 2_500_315.63


def test_spark_reports_bad_rows_without_a_traceback(spark, master, tmp_path):
    log = master.head(50).copy()
    log.loc[[3, 9], "dollars"] = -1.0
    log.to_csv(tmp_path / "returns.csv", index=False)
    with pytest.raises(InputError) as err:
        warehouse.rfm_summary(tmp_path / "returns.csv", amount="dollars", engine=spark)
    assert str(err.value) == (
        "warehouse.rfm_summary: column 'dollars' has negative amounts (returns?), e.g. -1.0 in "
        "2 rows. Pass returns='drop' to ignore them or returns='net' to subtract them from the "
        "monetary total.")
    with pytest.raises(InputError, match="memory_limit applies to DuckDB"):
        warehouse.rfm_summary(log, amount="dollars", engine=spark, memory_limit="1GB")


def test_spark_reads_text_dates_as_duckdb_does(spark, tmp_path):
    log = pd.DataFrame({"customer_id": [1, 2, 3], "amount": [5.0, 6.0, 7.0],
                        "date": ["2024-1-5", "20240104", "2024-01-03 10:15:00"]})
    log.to_parquet(tmp_path / "text.parquet")
    same(warehouse.rfm_summary(tmp_path / "text.parquet", engine=spark),
         warehouse.rfm_summary(tmp_path / "text.parquet"))
    log.assign(date=["2024-01-01", "24-01-31", "2024-01-03"]).to_parquet(tmp_path / "odd.parquet")
    with pytest.raises(InputError, match="values that are not dates, e.g. '24-01-31' in 1 row"):
        warehouse.rfm_summary(tmp_path / "odd.parquet", engine=spark)
    # the other forms pandas reads, in the same portable SQL (regexp_extract, LPAD)
    forms = pd.DataFrame({"customer_id": [1, 1, 2, 2, 3, 3, 4],
                          "amount": [5.0, 6.0, 7.0, 8.0, 9.0, 1.0, 2.0],
                          "date": ["2024/1/5", "2024.01.06 10:15:30", "31/01/2024", "01/02/2024",
                                   "2024-01-31T10:00:00+08:00", "2024-02-01 23:30:00.250Z",
                                   "5.2.2024 10:15 UTC"]})
    forms.to_csv(tmp_path / "forms.csv", index=False)
    for order in (None, "dayfirst"):
        on_spark = warehouse.rfm_summary(tmp_path / "forms.csv", engine=spark, date_order=order)
        same(on_spark, warehouse.rfm_summary(tmp_path / "forms.csv", date_order=order))
    same(on_spark, rfm.customer_table(forms.assign(date=pd.to_datetime(
        ["2024-01-05", "2024-01-06 10:15:30", "2024-01-31", "2024-02-01", "2024-01-31 10:00",
         "2024-02-01 23:30:00.250", "2024-02-05 10:15"], format="ISO8601"))))
