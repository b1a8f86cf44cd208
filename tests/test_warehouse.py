"""crmlab.warehouse on DuckDB: the same frames as the pandas path, from files and DataFrames.

Equality is checked against ``rfm.customer_table`` and ``btyd.repeat_purchase_table`` on
the CDNOW data (Fader, Hardie & Lee 2005), on seeded generated logs written as CSV and
Parquet, and on hypothesis-generated small logs (same-day duplicates, one-purchase
customers, first purchases after the end of calibration). Money may differ from the pandas
path by the last rounding of a float sum (the SQL sums are exact DECIMALs), so money is
compared to 1e-12 relative; everything else (index, dtypes, dates, counts, recency, T) is
exact.
"""

from __future__ import annotations

import os
import tempfile

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crmlab
from crmlab import InputError, btyd, gamma_gamma, rfm, warehouse

pytest.importorskip("duckdb")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

CAL, HOLD = "1997-09-30", "1998-06-30"


def same(sql: pd.DataFrame, pandas: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(sql, pandas, check_exact=False, rtol=1e-12, atol=0)
    assert sql.attrs == pandas.attrs
    for column in sql.columns.difference(["monetary_total", "monetary_mean", "monetary"]):
        pd.testing.assert_series_equal(sql[column], pandas[column], check_exact=True)


@pytest.fixture(scope="module")
def master():
    """The full CDNOW log: 69,659 purchases of 23,570 customers."""
    return crmlab.load_dataset("cdnow_master")


@pytest.fixture(scope="module")
def master_files(master, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cdnow")
    master.to_csv(folder / "cdnow.csv", index=False)
    master.to_parquet(folder / "cdnow.parquet")
    return folder


# ---------------------------------------------------------------------- CDNOW
def test_rfm_summary_equals_customer_table_on_cdnow(master):
    table = warehouse.rfm_summary(master, amount="dollars")
    same(table, rfm.customer_table(master, amount="dollars"))
    assert len(table) == 23_570 and table["frequency"].sum() == 69_659
    assert round(table["monetary_total"].sum(), 2) == 2_500_315.63


@pytest.mark.parametrize("options", [dict(same_day="merge"), dict(unit="weeks"),
                                     dict(returns="net", same_day="merge"),
                                     dict(returns="drop", unit="months")])
def test_rfm_summary_options_on_cdnow(master, master_files, options):
    log = master.copy()
    if "returns" in options:                     # every 7th purchase a return
        log.loc[::7, "dollars"] *= -1
    expected = rfm.customer_table(log, amount="dollars", as_of="1998-07-31", **options)
    same(warehouse.rfm_summary(log, amount="dollars", as_of="1998-07-31", **options), expected)
    path = master_files / f"returns_{len(options)}.parquet"
    log.to_parquet(path)
    same(warehouse.rfm_summary(path, amount="dollars", as_of="1998-07-31", **options), expected)


def test_btyd_summary_equals_repeat_purchase_table_on_cdnow(master):
    table = warehouse.btyd_summary(master, amount="dollars", calibration_end=CAL, holdout_end=HOLD)
    expected = btyd.repeat_purchase_table(master, amount="dollars", calibration_end=CAL,
                                          holdout_end=HOLD)
    same(table, expected)
    assert len(table) == 23_570 and table.attrs[btyd.UNIT_ATTR] == "weeks"


def test_btyd_summary_on_the_cdnow_sample_gives_the_papers_fit(cdnow_sample_log, cbs):
    # Fader, Hardie & Lee (2005): r 0.243, alpha 4.414, a 0.793, b 2.426, LL -9582.4
    table = warehouse.btyd_summary(cdnow_sample_log, customer="sample_id", amount="dollars",
                                   calibration_end=CAL, holdout_end=HOLD)
    same(table, cbs)
    fit = btyd.fit_bgnbd(table)
    assert fit.params.round(3).tolist() == [0.243, 4.414, 0.793, 2.426]
    assert round(fit.log_likelihood, 1) == -9582.4


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_files_equal_the_pandas_path_on_cdnow(master, master_files, suffix):
    path = master_files / f"cdnow.{suffix}"
    read = pd.read_csv(path) if suffix == "csv" else pd.read_parquet(path)
    same(warehouse.rfm_summary(path, amount="dollars"), rfm.customer_table(read, amount="dollars"))
    for unit in ("weeks", "days"):
        same(warehouse.btyd_summary(str(path), amount="dollars", calibration_end=CAL,
                                    holdout_end=HOLD, unit=unit),
             btyd.repeat_purchase_table(read, amount="dollars", calibration_end=CAL,
                                        holdout_end=HOLD, unit=unit))


def test_btyd_summary_without_amount(master):
    same(warehouse.btyd_summary(master, amount=None, calibration_end=CAL),
         btyd.repeat_purchase_table(master, amount=None, calibration_end=CAL))


# ------------------------------------------------------------ generated files
def generated_log(seed: int, rows: int = 20_000, customers: int = 2_000) -> pd.DataFrame:
    """SYNTHETIC: zipf-like customers, times of day over three years, some same-day repeats."""
    rng = np.random.default_rng(seed)
    ids = rng.zipf(1.3, rows) % customers
    start = np.datetime64("2021-01-01T00:00:00", "s")
    seconds = rng.integers(0, 3 * 365 * 86_400, rows)
    stamps = start + seconds.astype("timedelta64[s]")
    repeat = rng.random(rows) < 0.1                          # 10% same day as the row before
    stamps[1:][repeat[1:]] = stamps[:-1][repeat[1:]] + np.timedelta64(3600, "s")
    ids[1:][repeat[1:]] = ids[:-1][repeat[1:]]
    return pd.DataFrame({"cust": [f"C{i:05d}" for i in ids] if seed % 2 else ids,
                         "when": stamps.astype("datetime64[us]"),
                         "spend": np.round(rng.lognormal(3, 1, rows), 2)})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_csv_and_parquet_files(seed, tmp_path):
    log = generated_log(seed)
    log.to_csv(tmp_path / "log.csv", index=False)
    half = len(log) // 2       # a glob over two Parquet files
    log.iloc[:half].to_parquet(tmp_path / "part-0.parquet")
    log.iloc[half:].to_parquet(tmp_path / "part-1.parquet")
    names = dict(customer="cust", date="when", amount="spend")
    for source, read in ((tmp_path / "log.csv", pd.read_csv(tmp_path / "log.csv")),
                         (str(tmp_path / "part-*.parquet"), log)):
        same(warehouse.rfm_summary(source, **names, as_of="2024-01-31"),
             rfm.customer_table(read, **names, as_of="2024-01-31"))
        same(warehouse.rfm_summary(source, **names, same_day="merge"),
             rfm.customer_table(read, **names, same_day="merge"))
        same(warehouse.btyd_summary(source, **names, calibration_end="2022-12-31",
                                    holdout_end="2023-12-31", unit="days"),
             btyd.repeat_purchase_table(read, **names, calibration_end="2022-12-31",
                                        holdout_end="2023-12-31", unit="days"))


def test_yyyymmdd_numbers_and_iso_text(tmp_path):
    log = pd.DataFrame({"customer_id": [1, 1, 2, 2, 3], "date": [19970101, 19970101, 19970203,
                                                                 19971231, 19980115],
                        "amount": [1.5, 2.5, 3.0, 4.0, 5.0]})
    log.to_csv(tmp_path / "ints.csv", index=False)
    log.to_parquet(tmp_path / "ints.parquet")
    text = log.assign(date=log["date"].astype(str))
    text.to_parquet(tmp_path / "text.parquet")
    iso = log.assign(date=pd.to_datetime(log["date"].astype(str)).dt.strftime("%Y-%m-%d 10:30:00"))
    iso.to_parquet(tmp_path / "iso.parquet")
    for path, frame in (("ints.csv", log), ("ints.parquet", log), ("text.parquet", text),
                        ("iso.parquet", iso)):
        same(warehouse.rfm_summary(tmp_path / path), rfm.customer_table(frame))
        same(warehouse.btyd_summary(tmp_path / path, calibration_end="1997-12-31"),
             btyd.repeat_purchase_table(frame, calibration_end="1997-12-31"))


# ------------------------------------------------------------ small logs, many
@st.composite
def small_logs(draw):
    """Logs of a few customers over two months: same-day repeats, one-purchase customers,
    customers who first buy after the end of calibration, times of day, zero amounts."""
    n = draw(st.integers(1, 25))
    text_ids = draw(st.booleans())
    ids = draw(st.lists(st.integers(0, 6), min_size=n, max_size=n))
    days = draw(st.lists(st.integers(0, 60), min_size=n, max_size=n))
    hours = draw(st.lists(st.sampled_from([0, 0, 9, 23]), min_size=n, max_size=n))
    cents = draw(st.lists(st.integers(0, 100_000), min_size=n, max_size=n))
    stamps = (np.datetime64("2024-01-01T00:00", "us") + np.array(days) * np.timedelta64(1, "D")
              + np.array(hours) * np.timedelta64(1, "h"))
    return pd.DataFrame({"customer_id": [f"c{i}" for i in ids] if text_ids else ids,
                         "date": stamps, "amount": np.array(cents) / 100})


def outcome(func, *args, **kwargs):
    """The result, or the message of the InputError/ValueError, with the function named
    generically so the pandas and the SQL path can be compared."""
    try:
        return func(*args, **kwargs)
    except ValueError as err:
        text = str(err)
        for name in ("warehouse.rfm_summary", "rfm.customer_table", "warehouse.btyd_summary",
                     "btyd.repeat_purchase_table"):
            text = text.replace(name, "FUNC")
        return text.replace("`transactions`", "`source`")


def agree(sql, pandas):
    assert type(sql) is type(pandas), (sql, pandas)
    if isinstance(sql, str):
        assert sql == pandas
    else:
        same(sql, pandas)


@settings(max_examples=40)
@given(log=small_logs(), same_day=st.sampled_from(["keep", "merge"]),
       as_of_days=st.sampled_from([None, 61, 30]))
def test_small_logs_rfm(log, same_day, as_of_days):
    as_of = None if as_of_days is None else pd.Timestamp("2024-01-01") + pd.Timedelta(days=as_of_days)
    agree(outcome(warehouse.rfm_summary, log, as_of=as_of, same_day=same_day),
          outcome(rfm.customer_table, log, as_of=as_of, same_day=same_day))


@settings(max_examples=40)
@given(log=small_logs(), cal_day=st.integers(0, 60), unit=st.sampled_from(["weeks", "days"]))
def test_small_logs_btyd(log, cal_day, unit):
    cal = pd.Timestamp("2024-01-01") + pd.Timedelta(days=cal_day)
    hold = cal + pd.Timedelta(days=20)
    agree(outcome(warehouse.btyd_summary, log, calibration_end=cal, holdout_end=hold, unit=unit),
          outcome(btyd.repeat_purchase_table, log, calibration_end=cal, holdout_end=hold,
                  unit=unit))


@settings(max_examples=15)
@given(log=small_logs(), cal_day=st.integers(0, 60))
def test_small_logs_from_parquet_files(log, cal_day):
    cal = pd.Timestamp("2024-01-01") + pd.Timedelta(days=cal_day)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "log.parquet")
        log.to_parquet(path)
        agree(outcome(warehouse.btyd_summary, path, calibration_end=cal),
              outcome(btyd.repeat_purchase_table, log, calibration_end=cal))
        agree(outcome(warehouse.rfm_summary, path), outcome(rfm.customer_table, log))


# ------------------------------------------------------------ bad input
def test_missing_columns_are_listed_with_the_columns_found(master_files):
    with pytest.raises(InputError) as err:
        warehouse.rfm_summary(master_files / "cdnow.parquet")
    assert str(err.value) == (
        "warehouse.rfm_summary: column 'amount' is missing from `source`; found ['customer_id', "
        "'date', 'cds', 'dollars']. Pass the name of your column with rfm_summary(..., "
        "amount=...), or rename your column to 'amount'.")


@pytest.fixture
def bad_log():
    log = pd.DataFrame({"customer_id": [1, 2, 3, 4, 5, 6], "amount": [5.0, 6.0, 7.0, 8.0, 9.0, 1.0],
                        "date": ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04",
                                 "2024-01-05", "2024-01-06"]})
    return log


@pytest.mark.parametrize("change, message", [
    (lambda d: d.assign(amount=[5.0, -6.0, 7.0, -8.0, 9.0, 1.0]),
     "column 'amount' has negative amounts (returns?), e.g. -6.0 at rows [1, 3]{of}. Pass "
     "returns='drop' to ignore them or returns='net' to subtract them from the monetary total."),
    (lambda d: d.assign(date=["2024-01-01", "soon", "2024-01-03", "2024-01-04", "2024-01-05",
                              "2024-01-06"]),
     "column 'date' has values that are not dates, e.g. 'soon' at rows [1]{of}. Use ISO dates "
     "like '2024-01-31'{sql}."),
    (lambda d: d.assign(amount=["5", "6", "7 yuan", "8", "9", "1"]),
     "column 'amount' must be numeric; got '7 yuan' at rows [2]{of}. Remove units or text from "
     "these cells (e.g. '30亿' -> 30)."),
    (lambda d: d.assign(customer_id=[1, 2, None, 4, None, 6]),
     "column 'customer_id' has missing customer ids at rows [2, 4]{of}. Drop or fill these rows "
     "first."),
])
@pytest.mark.parametrize("kind", ["frame", "csv", "parquet"])
def test_bad_rows_are_reported_as_the_pandas_path_does(bad_log, tmp_path, change, message, kind):
    log = change(bad_log)
    if kind == "frame":
        source = log
    else:
        source = tmp_path / f"bad.{kind}"
        log.to_csv(source, index=False) if kind == "csv" else log.to_parquet(source)
    with pytest.raises(InputError) as sql:
        warehouse.rfm_summary(source)
    with pytest.raises(InputError) as pandas:
        rfm.customer_table(log)
    of = "" if kind == "frame" else f" of bad.{kind}"
    note = " (the SQL path reads 2024-01-31, 2024/1/31, 31/01/2024 and 20240131, with a time " \
           "and a zone; read other forms, such as 31 Jan 2024, with pandas and pass the DataFrame)"
    assert str(pandas.value) == "rfm.customer_table: " + message.format(of="", sql="")
    expected = "warehouse.rfm_summary: " + message.format(of=of, sql="" if kind == "frame" else note)
    assert str(sql.value) == expected


DATE_FORMS = {   # the text forms both paths read, as a log of six purchases would write them
    "slashes": ["2024/01/01", "2024/1/2", "2024/01/03 10:15", "2024/1/4", "2024/01/05", "2024/1/6"],
    "dots": ["2024.01.01", "2024.1.2", "2024.01.03 10:15:30", "2024.1.4", "2024.1.5", "2024.1.6"],
    "day first": ["13/01/2024", "02/01/2024", "31/01/2024 10:15", "04/02/2024", "5/2/2024",
                  "28.02.2024"],
    "zoned": ["2024-01-01T10:00:00+08:00", "2024-01-02T23:30:00Z", "2024-01-03 10:15 UTC",
              "2024-01-04T10:00:00-0500", "2024-01-05T10:00:00+08", "2024-01-06T10:00:00+08:00"],
}


@pytest.mark.parametrize("form", list(DATE_FORMS))
@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_date_forms_are_read_as_the_pandas_path_reads_them(bad_log, tmp_path, form, kind):
    log = bad_log.assign(date=DATE_FORMS[form])
    path = tmp_path / f"log.{kind}"
    log.to_csv(path, index=False) if kind == "csv" else log.to_parquet(path)
    expected = rfm.customer_table(log)
    same(warehouse.rfm_summary(path), expected)
    cal = expected["first_purchase"].max()
    same(warehouse.btyd_summary(path, calibration_end=cal),
         btyd.repeat_purchase_table(log, calibration_end=cal))
    if kind == "csv" and form != "zoned":    # several zones: the command converts them to UTC
        table = warehouse.rfm_summary(path, rejected=tmp_path / "bad.csv")
        assert table.attrs.pop(warehouse.REJECTED_ATTR)["rejected"] == 0
        same(table, expected)


def test_day_and_month_order(bad_log, tmp_path):
    log = bad_log.assign(date=["01/02/2024", "03/04/2024", "13/01/2024", "05/06/2024",
                               "07/08/2024", "09/10/2024"])
    log.to_csv(tmp_path / "log.csv", index=False)
    parsed = {order: rfm.customer_table(log.assign(date=pd.to_datetime(
        log["date"], dayfirst=order == "dayfirst", format="%d/%m/%Y" if order == "dayfirst"
        else "mixed"))) for order in ("dayfirst", "monthfirst")}
    assert parsed["dayfirst"]["last_purchase"].max() == pd.Timestamp("2024-10-09")
    same(warehouse.rfm_summary(tmp_path / "log.csv", date_order="dayfirst"), parsed["dayfirst"])
    # monthfirst: 13/01/2024 is no date, as for the pandas engine of the crmlab command
    with pytest.raises(InputError, match=r"not dates, e.g. '13/01/2024' at rows \[2\]"):
        warehouse.rfm_summary(tmp_path / "log.csv", date_order="monthfirst")
    # without an order, as pandas: month first unless the first number is over 12
    same(warehouse.rfm_summary(tmp_path / "log.csv"), rfm.customer_table(log))
    table = warehouse.rfm_summary(tmp_path / "log.csv", date_order="clear",
                                  rejected=tmp_path / "bad.csv")
    side = read_side(tmp_path / "bad.csv")
    assert side["reason"].tolist()[0] == ("'01/02/2024' could be day/month or month/day (pass "
                                          "--dayfirst or --monthfirst)")
    assert len(side) == 5 and table["frequency"].sum() == 1


def test_text_that_the_casts_would_misread_is_not_a_date(bad_log, tmp_path):
    # DuckDB's cast alone reads '24-01-31' as the year 24 and 'infinity' as a date
    for cell in ("24-01-31", "1-1-1", "infinity", "12024-01-01", "-2024-01-01"):
        bad_log.assign(date=["2024-01-01", cell] + bad_log["date"].tolist()[2:]).to_parquet(
            tmp_path / "odd.parquet")
        with pytest.raises(InputError, match=rf"values that are not dates, e.g. '{cell}' at rows "
                                             rf"\[1\] of odd.parquet"):
            warehouse.rfm_summary(tmp_path / "odd.parquet")
    iso = bad_log.assign(date=["2024-1-5", "2024-01-02T10:15", " 2024-01-03 ", "20240104",
                               "2024-01-05 10:15:00.250", "2024-01-06"])
    iso.to_parquet(tmp_path / "iso.parquet")
    same(warehouse.rfm_summary(tmp_path / "iso.parquet"),
         rfm.customer_table(iso.assign(date=pd.to_datetime(
             ["2024-01-05", "2024-01-02 10:15", "2024-01-03", "2024-01-04",
              "2024-01-05 10:15:00.250", "2024-01-06"], format="ISO8601"))))


def test_btyd_messages_follow_repeat_purchase_table(bad_log, tmp_path):
    log = bad_log.assign(amount=[5.0, -6.0, 7.0, 8.0, 9.0, 1.0])
    log.to_parquet(tmp_path / "neg.parquet")
    with pytest.raises(InputError, match=r"^warehouse.btyd_summary: column 'amount' must be >= 0; "
                                         r"got -6.0 at rows \[1\] of neg.parquet. Drop returns"):
        warehouse.btyd_summary(tmp_path / "neg.parquet", calibration_end="2024-01-03")
    with pytest.raises(InputError, match="no customer made a first purchase on or before "
                                         "calibration_end 2023-12-01"):
        warehouse.btyd_summary(bad_log, calibration_end="2023-12-01")
    with pytest.raises(InputError, match="holdout_end 2024-01-02 must be after calibration_end"):
        warehouse.btyd_summary(bad_log, calibration_end="2024-01-03", holdout_end="2024-01-02")


def test_as_of_before_the_last_purchase(bad_log, tmp_path):
    bad_log.to_csv(tmp_path / "log.csv", index=False)
    expected = ("warehouse.rfm_summary: as_of 2024-01-04 is earlier than transactions at rows "
                "[4, 5]{of} (last 2024-01-06). Choose a later as_of or drop the later rows.")
    for source, of in ((bad_log, ""), (tmp_path / "log.csv", " of log.csv")):
        with pytest.raises(InputError) as err:
            warehouse.rfm_summary(source, as_of="2024-01-04")
        assert str(err.value) == expected.format(of=of)


def test_more_bad_files(bad_log, tmp_path):
    (tmp_path / "empty.csv").write_text("customer_id,date,amount\n")
    with pytest.raises(InputError, match="`source` is empty; there is nothing to summarise"):
        warehouse.rfm_summary(tmp_path / "empty.csv")
    (tmp_path / "notes.parquet").write_text("customer_id,date,amount\n1,2024-01-01,5\n")
    with pytest.raises(InputError, match="is not a Parquet file .* is it a CSV file"):
        warehouse.rfm_summary(tmp_path / "notes.parquet")
    (tmp_path / "table.xlsx").write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError, match="is not a CSV or Parquet file by its name"):
        warehouse.rfm_summary(tmp_path / "table.xlsx")
    (tmp_path / "binary.csv").write_bytes(b"\x00\x01\x02PK")
    with pytest.raises(InputError, match="is not a CSV file .*binary"):
        warehouse.rfm_summary(tmp_path / "binary.csv")
    with pytest.raises(InputError, match="no file matches"):
        warehouse.rfm_summary(tmp_path / "nothing-*.parquet")
    aware = bad_log.assign(date=pd.to_datetime(bad_log["date"]).dt.tz_localize("Asia/Shanghai"))
    aware.to_parquet(tmp_path / "aware.parquet")
    with pytest.raises(InputError, match="time-zone-aware timestamps; the SQL engines read them "
                                         "in UTC"):
        warehouse.rfm_summary(tmp_path / "aware.parquet")
    same(warehouse.rfm_summary(aware), rfm.customer_table(aware))    # a DataFrame: local time
    bad_log.assign(amount=[1.0, np.nan, 2.0, 3.0, 4.0, 5.0]).to_parquet(tmp_path / "nan.parquet")
    with pytest.raises(InputError, match=r"has missing values \(NaN\) at rows \[1\] of nan.parquet"):
        warehouse.rfm_summary(tmp_path / "nan.parquet")
    bad_log.assign(amount=[1.0, 2e20, 2.0, 3.0, 4.0, 5.0]).to_parquet(tmp_path / "huge.parquet")
    with pytest.raises(InputError, match=r"amounts of 1e20 or more, e.g. 2e\+20 at rows \[1\]"):
        warehouse.rfm_summary(tmp_path / "huge.parquet")


def test_arguments_are_checked(bad_log):
    with pytest.raises(InputError, match="engine must be one of"):
        warehouse.rfm_summary(bad_log, engine="postgres")
    with pytest.raises(InputError, match="memory_limit must be text like '2GB'"):
        warehouse.rfm_summary(bad_log, memory_limit=2**30)
    with pytest.raises(InputError, match="window is not supported by the SQL path"):
        warehouse.rfm_summary(bad_log, window=30)
    with pytest.raises(InputError, match="unknown option 'bins'"):
        warehouse.rfm_summary(bad_log, bins=5)
    with pytest.raises(InputError, match="source` must be a path to a CSV or Parquet file"):
        warehouse.rfm_summary([1, 2, 3])
    with pytest.raises(InputError, match="returns must be one of"):
        warehouse.rfm_summary(bad_log, returns="ignore")


# ------------------------------------------------------------ rejected rows
def read_side(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_the_cells_that_say_nothing_are_the_commands():
    from crmlab.cli.dates import NULLS
    from crmlab.warehouse_engines import statement
    text = statement("missing_text", column="x")
    start = text.index("IN (") + 4
    listed = text[start:text.index(")", start)]
    assert {item.strip().strip("'") for item in listed.split(",")} == set(NULLS)


def test_rejected_rows_are_written_with_reasons_and_left_out(tmp_path):
    rows = [("a", "2024-01-01", "10"), ("a", "2024-02-30", "5"), ("NA", "2024-01-03", "1"),
            ("b", "soon", "abc"), ("b", "2024-01-05", "-2.5"), ("", "", "inf"),
            (" c ", "20240107", " 7 "), ("c", "31 Jan 2024", "nan"), ("d", "2024-01-09", "3")]
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "amount"]).assign(note="x")
    frame.to_csv(tmp_path / "log.csv", index=False)
    table = warehouse.rfm_summary(tmp_path / "log.csv", rejected=tmp_path / "bad.csv")
    kept = pd.DataFrame({"customer_id": ["a", "c", "d"], "amount": [10.0, 7.0, 3.0],
                         "date": pd.to_datetime(["2024-01-01", "2024-01-07", "2024-01-09"])})
    report = table.attrs.pop(warehouse.REJECTED_ATTR)
    same(table, rfm.customer_table(kept))
    assert report == {
        "path": str(tmp_path / "bad.csv"), "rows": 9, "rejected": 6,
        "reasons": {"empty customer id": {"rows": 2, "first": [3, 6]},
                    "missing date": {"rows": 1, "first": [6]},
                    "unreadable date": {"rows": 3, "first": [2, 4, 8]},
                    "missing amount": {"rows": 1, "first": [8]},
                    "non-numeric amount": {"rows": 1, "first": [4]},
                    "infinite amount": {"rows": 1, "first": [6]},
                    "negative amount": {"rows": 1, "first": [5]}},
        "first": "row 2: '2024-02-30' is not a valid calendar date"}
    side = read_side(tmp_path / "bad.csv")
    assert side.columns.tolist() == ["row", "reason", "customer_id", "date", "amount", "note"]
    assert side[["row", "reason"]].values.tolist() == [
        ["2", "'2024-02-30' is not a valid calendar date"],
        ["3", "empty customer id ('NA')"],
        ["4", "'soon' is not a date in a known form (e.g. 2024-01-31); amount 'abc' is not a "
              "number"],
        ["5", "negative amount -2.5 (a return?)"],
        ["6", "empty customer id; missing date; amount 'inf' is not finite"],
        ["8", "'31 Jan 2024' is not a date form the SQL path reads (2024-01-31, 2024/1/31, "
              "31/01/2024, 20240131); missing amount"]]
    assert side.iloc[2, 2:].tolist() == ["b", "soon", "abc", "x"]          # as the file has it
    # returns="net" keeps the return, as customer_table(returns="net") does
    net = warehouse.rfm_summary(tmp_path / "log.csv", rejected=tmp_path / "bad.csv",
                                returns="net")
    assert net.attrs[warehouse.REJECTED_ATTR]["rejected"] == 5
    assert net.loc["b", "monetary_total"] == -2.5 and net.loc["b", "frequency"] == 0


def test_rejected_with_nothing_bad_changes_nothing(master, master_files):
    path = master_files / "cdnow.csv"
    table = warehouse.rfm_summary(path, amount="dollars", rejected=master_files / "none.csv")
    assert table.attrs.pop(warehouse.REJECTED_ATTR) == {
        "path": str(master_files / "none.csv"), "rows": 69_659, "rejected": 0, "reasons": {},
        "first": None}
    same(table, rfm.customer_table(master, amount="dollars"))
    assert (master_files / "none.csv").read_text() == \
        "row,reason,customer_id,date,cds,dollars\n"


def test_rejected_rows_of_parquet_files_and_btyd(bad_log, tmp_path):
    log = bad_log.assign(customer_id=[1.0, 2.0, np.nan, 4.0, 5.0, 6.0],
                         amount=[5.0, -6.0, 7.0, np.nan, 9.0, 1.0],
                         date=pd.to_datetime(bad_log["date"]))
    log.iloc[:3].to_parquet(tmp_path / "part-0.parquet")
    log.iloc[3:].to_parquet(tmp_path / "part-1.parquet")
    table = warehouse.btyd_summary(tmp_path / "part-*.parquet", calibration_end="2024-01-04",
                                   rejected=tmp_path / "bad.csv")
    report = table.attrs.pop(warehouse.REJECTED_ATTR)
    good = log.iloc[[0, 4, 5]].assign(customer_id=[1, 5, 6])         # whole ids: integers
    same(table, btyd.repeat_purchase_table(good, calibration_end="2024-01-04"))
    assert report["rows"] == 6 and report["rejected"] == 3
    side = read_side(tmp_path / "bad.csv")
    assert side.columns.tolist() == ["row", "file", "reason", "customer_id", "amount", "date"]
    assert side[["row", "reason"]].values.tolist() == [
        ["2", "negative amount -6 (a return?)"], ["3", "empty customer id"],
        ["1", "missing amount"]]                          # row 1 of the second file
    assert [os.path.basename(f) for f in side["file"]] == ["part-0.parquet"] * 2 + \
        ["part-1.parquet"]


def test_rejected_needs_duckdb_a_file_and_another_path(bad_log, tmp_path):
    bad_log.to_csv(tmp_path / "log.csv", index=False)
    with pytest.raises(InputError, match="rejected= needs a file; a DataFrame is checked"):
        warehouse.rfm_summary(bad_log, rejected=tmp_path / "bad.csv")
    with pytest.raises(InputError, match="rejected= needs engine='duckdb'"):
        warehouse.rfm_summary(tmp_path / "log.csv", engine="spark", rejected=tmp_path / "b.csv")
    with pytest.raises(InputError, match="is the input file"):
        warehouse.rfm_summary(tmp_path / "log.csv", rejected=tmp_path / "log.csv")
    with pytest.raises(InputError, match="rejected must be the path of a CSV file"):
        warehouse.rfm_summary(tmp_path / "log.csv", rejected=True)
    assert pd.read_csv(tmp_path / "log.csv").equals(bad_log)


def test_every_row_rejected_and_what_still_stops(bad_log, tmp_path):
    bad_log.assign(amount=-1.0).to_csv(tmp_path / "neg.csv", index=False)
    with pytest.raises(InputError) as err:
        warehouse.rfm_summary(tmp_path / "neg.csv", rejected=tmp_path / "bad.csv")
    assert str(err.value) == (
        f"warehouse.rfm_summary: every row of neg.csv was rejected (row 1: negative amount -1 "
        f"(a return?)); the 6 rows and their reasons are in {tmp_path / 'bad.csv'}. Check the "
        f"column names (customer=, date=, amount=).")
    assert len(read_side(tmp_path / "bad.csv")) == 6
    zones = bad_log.assign(date=[f"2024-01-0{d}T10:00:00+0{d % 2 * 8}:00" for d in range(1, 7)])
    zones.to_csv(tmp_path / "zones.csv", index=False)
    with pytest.raises(InputError, match=r"dates in 2 time zones \(\+00:00, \+08:00\); the crmlab "
                                         r"command's pandas engine converts them to UTC"):
        warehouse.rfm_summary(tmp_path / "zones.csv", rejected=tmp_path / "bad.csv")
    same(warehouse.rfm_summary(tmp_path / "zones.csv"), rfm.customer_table(zones))
    one = zones.assign(date=zones["date"].str.replace("+00:00", "+08:00"))
    one.to_csv(tmp_path / "one.csv", index=False)
    table = warehouse.rfm_summary(tmp_path / "one.csv", rejected=tmp_path / "bad.csv")
    assert table.attrs.pop(warehouse.REJECTED_ATTR)["rejected"] == 0
    same(table, rfm.customer_table(one))


ODD_CELLS = st.one_of(
    st.sampled_from(["", " ", "NULL", "NA", "-", "-1", "1e309", "2024-02-30", "20240101",
                     "20241345", "01/02/2024", "2024-01-01T00:00:00+08:00", "nan", "inf", "¥5",
                     "1,5", "0", "7", " 7 ", "x", "2024-01-03", "2024-01-03 10:15", "24-01-31",
                     "2024年2月3日", "007", "9" * 25]),
    st.text(alphabet="0123456789-:/. TZaxNn", max_size=12))
IDS = st.one_of(st.sampled_from(["a", "b", "7", "8", " 7 ", "007"]), ODD_CELLS)
DATES = st.one_of(st.sampled_from(["2024-01-03", "2024-01-05 10:15", "20240107", "2024-1-9"]),
                  ODD_CELLS)
AMOUNTS = st.one_of(st.sampled_from(["5", "0", "12.5", " 7 ", "1e3"]), ODD_CELLS)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(IDS, DATES, AMOUNTS), min_size=1, max_size=8))
def test_fuzz_every_row_is_used_or_rejected(rows):
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "log.csv")
        frame.to_csv(path, index=False)
        try:
            table = warehouse.rfm_summary(path, rejected=os.path.join(folder, "bad.csv"))
        except InputError as err:
            assert "internal check" not in str(err) and "\n" not in str(err)
            side = None
        else:
            report = table.attrs[warehouse.REJECTED_ATTR]
            assert report["rows"] == len(frame) and 0 <= report["rejected"] < len(frame)
            assert table["frequency"].sum() == len(frame) - report["rejected"]
            side = read_side(os.path.join(folder, "bad.csv"))
            assert len(side) == report["rejected"] and (side["reason"] != "").all()
            assert side["row"].astype(int).is_monotonic_increasing


# ------------------------------------------------------------ larger than memory
def test_a_file_larger_than_the_memory_limit(tmp_path):
    """A ~300 MB Parquet log (15 million rows) summarised by DuckDB held to 100 MB."""
    path = tmp_path / "big.parquet"
    rows, chunk, customers = 15_000_000, 1_500_000, 300_000
    frequency = np.zeros(customers, dtype=np.int64)
    money = np.zeros(customers)
    schema = pa.schema([("customer_id", pa.int64()), ("date", pa.date32()),
                        ("amount", pa.float64())])
    rng = np.random.default_rng(11)
    with pq.ParquetWriter(path, schema, compression="none", use_dictionary=False) as writer:
        for _ in range(rows // chunk):        # written in chunks: never the whole log in memory
            ids = rng.integers(0, customers, chunk)
            days = rng.integers(0, 3 * 365, chunk).astype(np.int32)
            cents = rng.integers(1, 100_000, chunk)
            writer.write_table(pa.table({"customer_id": ids,
                                         "date": pa.array(days, pa.int32()).cast(pa.date32()),
                                         "amount": cents / 100}, schema=schema))
            frequency += np.bincount(ids, minlength=customers)
            money += np.bincount(ids, weights=cents, minlength=customers)
    assert path.stat().st_size > 280e6
    table = warehouse.rfm_summary(path, memory_limit="100MB")
    seen = table.index.to_numpy()
    assert table["frequency"].sum() == rows
    np.testing.assert_array_equal(table["frequency"].to_numpy(), frequency[seen])
    np.testing.assert_allclose(table["monetary_total"].to_numpy(), money[seen] / 100, rtol=1e-12)
    summary = warehouse.btyd_summary(path, calibration_end="1975-12-31", memory_limit="100MB")
    assert len(summary) == len(table) and (summary["T"] > 0).all()


def test_a_csv_file_larger_than_the_memory_limit(tmp_path):
    """A ~75 MB CSV log (3 million rows, 300,000 customers) summarised by DuckDB held to
    100 MB, equal to the pandas path. The CSV reader's own buffers (32 MiB each, a few per
    thread, by default) used to fill the limit before the aggregation ran: "Out of Memory"."""
    import pyarrow.csv as pacsv
    path = tmp_path / "big.csv"
    rows, chunk, customers = 3_000_000, 1_000_000, 300_000
    rng = np.random.default_rng(12)
    schema = pa.schema([("customer_id", pa.int64()), ("date", pa.date32()),
                        ("amount", pa.float64())])
    with pacsv.CSVWriter(path, schema) as writer:
        for _ in range(rows // chunk):
            days = rng.integers(0, 3 * 365, chunk).astype(np.int32)
            writer.write_table(pa.table({
                "customer_id": rng.integers(0, customers, chunk),
                "date": pa.array(days, pa.int32()).cast(pa.date32()),
                "amount": rng.integers(1, 100_000, chunk) / 100}, schema=schema))
    assert path.stat().st_size > 70e6
    table = warehouse.rfm_summary(path, memory_limit="100MB", as_of="1973-01-01")
    expected = rfm.customer_table(pd.read_csv(path), as_of="1973-01-01")
    assert table["frequency"].sum() == rows and len(table) > 290_000
    same(table, expected)


def test_importing_crmlab_and_warehouse_loads_no_engine():
    import subprocess
    import sys
    code = ("import sys, crmlab; from crmlab import warehouse; "
            "assert not {'duckdb', 'pyspark'} & set(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True)


# ------------------------------------------------------------ fits on patterns
@pytest.fixture(scope="module")
def master_cbs(master):
    return btyd.repeat_purchase_table(master, amount="dollars", calibration_end=CAL)


def rows_fit(loglik, gradient, start, names, *columns):
    """The unweighted fit: one term per customer, no merging of identical rows."""
    from crmlab._mle import maximise
    w = np.ones(len(columns[0]))
    return maximise(lambda p: loglik(p, *columns, w), np.asarray(start, float), names,
                    func="test", gradient=lambda p: gradient(p, *columns, w), scale=len(w))


def test_bgnbd_fit_on_patterns_equals_the_fit_on_customers(master_cbs):
    from crmlab._bgnbd import gradient, loglik
    fit = btyd.fit_bgnbd(master_cbs)
    patterns = master_cbs[["frequency", "recency", "T"]].value_counts().rename("n").reset_index()
    assert len(patterns) == 8_685 < len(master_cbs) == 23_570
    on_patterns = btyd.fit_bgnbd(patterns, weights="n", unit="weeks")
    pd.testing.assert_series_equal(on_patterns.params, fit.params, rtol=1e-8)
    pd.testing.assert_series_equal(on_patterns.se, fit.se, rtol=1e-8)
    assert on_patterns.log_likelihood == pytest.approx(fit.log_likelihood, rel=1e-8)
    assert on_patterns.n_obs == fit.n_obs == 23_570
    x, tx, big_t = (master_cbs[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    rows = rows_fit(loglik, gradient, [1.0, big_t.mean(), 1.0, 1.0], ["r", "alpha", "a", "b"],
                    x, tx, big_t)
    np.testing.assert_allclose(fit.params.to_numpy(), rows.params, rtol=1e-8)
    assert fit.log_likelihood == pytest.approx(rows.log_likelihood, rel=1e-8)


def test_gamma_gamma_fit_on_patterns_equals_the_fit_on_customers(master_cbs):
    from crmlab.gamma_gamma import _gg_gradient, _gg_loglik
    fit = gamma_gamma.fit_gamma_gamma(master_cbs, nonpositive="exclude")
    repeat = master_cbs[(master_cbs["frequency"] > 0) & (master_cbs["monetary"] > 0)]
    xs, ms = repeat["frequency"].to_numpy(float), repeat["monetary"].to_numpy()
    rows = rows_fit(lambda p, x, m, w: _gg_loglik(p, x, m, w), _gg_gradient, [1.0, 2.0, ms.mean()],
                    ["p", "q", "gamma"], xs, ms)
    np.testing.assert_allclose(fit.params.to_numpy(), rows.params, rtol=1e-8)
    assert fit.log_likelihood == pytest.approx(rows.log_likelihood, rel=1e-8)
    tripled = gamma_gamma.fit_gamma_gamma(pd.concat([master_cbs] * 3), nonpositive="exclude")
    np.testing.assert_allclose(tripled.params.to_numpy(), fit.params.to_numpy(), rtol=1e-8)
    assert tripled.log_likelihood == pytest.approx(3 * fit.log_likelihood, rel=1e-8)
    assert tripled.n_obs == 3 * fit.n_obs == 3 * 9_450
