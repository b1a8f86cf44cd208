"""The ``crmlab`` command end to end: rfm, clv, man and reproduce on CDNOW-derived and
generated files, in process (``main([...])``) and as a subprocess; the course commands
unchanged; the duckdb engine's wiring.

Expected numbers are crmlab's own library functions on the same data (the CLI must give
what ``rfm.rfm_table``, ``btyd`` and ``gamma_gamma`` give) and the published CDNOW values
(Fader, Hardie & Lee 2005: r 0.243, alpha 4.414, a 0.793, b 2.426, LL -9582.4; lifetimes
0.11.3: total 12-month CLV 71,507.95 and customer 1's 36.27).
"""

import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import crmlab
from crmlab import btyd, gamma_gamma, man, rfm, segments
from crmlab.cli import main
from crmlab.cli.transactions import WAREHOUSE_MISSING, cut_points, score_customers
from crmlab.course import cli as course_cli

CRMLAB = [sys.executable, "-m", "crmlab.cli"]


@pytest.fixture(scope="module")
def cdnow_csv(tmp_path_factory):
    """The CDNOW 1/10 sample as a user would have it: customer_id, date, amount."""
    sample = crmlab.load_dataset("cdnow_sample")
    path = tmp_path_factory.mktemp("cdnow") / "cdnow.csv"
    sample[["sample_id", "date", "dollars"]].rename(
        columns={"sample_id": "customer_id", "dollars": "amount"}).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def cdnow_log(cdnow_csv):
    return pd.read_csv(cdnow_csv, parse_dates=["date"])


def run(args, capsys):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------------ help
def test_help_lists_every_command_in_two_groups(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    analyses, course = text.index("analyses"), text.index("course (developers")
    for name in ("rfm", "clv", "man", "reproduce"):
        assert analyses < text.index(f"\n  {name} ") < course
    for name in ("build", "workspace", "translations", "catalogs"):
        assert text.index(f"\n  {name} ") > course


@pytest.mark.parametrize("command, option", [("rfm", "--scheme"), ("clv", "--horizon"),
                                             ("man", "--weights"), ("reproduce", "--markdown"),
                                             ("build", "--check"), ("workspace", "--language")])
def test_each_command_has_help(capsys, command, option):
    with pytest.raises(SystemExit) as stop:
        main([command, "--help"])
    text = capsys.readouterr().out
    assert stop.value.code == 0 and option in text and text.startswith(f"usage: crmlab {command} ")


def test_help_imports_no_plotting_or_widgets():
    code = ("import sys; from crmlab.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'seaborn', "
            "'ipywidgets', 'jupytext', 'nbclient', 'papermill'}) + sorted(m for m in sys.modules "
            "if m.startswith(('crmlab.plotting', 'crmlab.widgets', 'crmlab.reproduce'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_course_commands_still_work(capsys):
    assert main(["translations"]) == course_cli.main(["translations"])
    out = capsys.readouterr().out
    assert "translations are complete and current" in out or "need a translator" in out


def test_the_installed_script_is_the_new_main():
    import tomllib

    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["crmlab"] == "crmlab.cli:main"


# ------------------------------------------------------------------------- rfm
def test_rfm_equals_the_library(cdnow_csv, cdnow_log, tmp_path, capsys):
    out = tmp_path / "rfm.csv"
    code, text, err = run(["rfm", cdnow_csv, "-o", out], capsys)
    assert code == 0 and err == ""
    got = pd.read_csv(out, index_col="customer_id", parse_dates=["first_purchase",
                                                                  "last_purchase"])
    want = rfm.rfm_table(cdnow_log)
    assert len(got) == 2357
    for column in ("recency", "frequency", "monetary_total", "r_score", "f_score", "m_score",
                   "rfm_sum"):
        assert got[column].to_numpy() == pytest.approx(want[column].to_numpy(), rel=1e-12)
    assert got["rfm_code"].astype(str).tolist() == want["rfm_code"].tolist()
    assert got["segment"].tolist() == segments.segment(want).tolist()
    assert "2,357 customers, purchases 1997-01-01 to 1998-06-30" in text
    assert "rejected 0 of 6,919 rows" in text and "Champions" in text
    rejected = pd.read_csv(tmp_path / "rfm.rejected.csv")
    assert rejected.empty and rejected.columns.tolist() == ["row", "reason", "customer_id",
                                                            "date", "amount"]


def test_rfm_cut_points_reproduce_every_score(cdnow_csv, tmp_path, capsys):
    out = tmp_path / "rfm.parquet"
    assert run(["rfm", cdnow_csv, "-o", out], capsys)[0] == 0
    table = pd.read_parquet(out)
    cuts = pd.read_csv(tmp_path / "rfm.cuts.csv")
    assert cuts.groupby("dimension")["customers"].sum().to_dict() == {
        "frequency": 2357, "monetary": 2357, "recency": 2357}
    for dimension, column, score in (("recency", "recency", "r_score"),
                                     ("frequency", "frequency", "f_score"),
                                     ("monetary", "monetary_total", "m_score")):
        rows = cuts[cuts["dimension"] == dimension]
        x = table[column].to_numpy()
        again = np.zeros(len(x), dtype=int)
        for _, c in rows.iterrows():
            lo = -np.inf if np.isnan(c["lower"]) else c["lower"]
            hi = np.inf if np.isnan(c["upper"]) else c["upper"]
            inside = ((x >= lo) if c["lower_inclusive"] else (x > lo)) & \
                ((x <= hi) if c["upper_inclusive"] else (x < hi))
            assert not (inside & (again > 0)).any()          # intervals do not overlap
            again[inside] = c["score"]
        assert (again == table[score].to_numpy()).all(), dimension


def test_cut_points_of_ties_first_are_observed_ranges():
    table = pd.DataFrame({"recency": [1.0, 2, 3, 4], "frequency": [1, 1, 1, 2],
                          "monetary_total": [5.0, 6, 7, 8]})
    scored = score_customers(table, bins=2, ties="first")
    cuts = cut_points(scored, bins=2, ties="first")
    freq = cuts[cuts["dimension"] == "frequency"]
    assert freq[["lower", "upper", "customers"]].values.tolist() == [[1, 1, 2], [1, 2, 2]]
    assert set(cuts["basis"]) == {"observed range (ties 'first')"}


def test_scoring_a_customer_table_equals_rfm_table(log):
    for bins, ties, monetary in ((5, "share", "monetary_total"), (3, "first", "monetary_mean")):
        want = rfm.rfm_table(log, bins=bins, ties=ties, monetary=monetary)
        got = score_customers(rfm.customer_table(log), bins=bins, ties=ties, monetary=monetary)
        pd.testing.assert_frame_equal(got, want, check_dtype=False)


@pytest.mark.parametrize("options, scheme", [
    ([], "R rfm package's named segments"),
    (["--bins", "4"], "low/middle/high tiers"),
    (["--bins", "3", "--scheme", "tiers", "--ties", "first", "--monetary", "mean"],
     "low/middle/high tiers"),
])
def test_rfm_schemes_and_bins(cdnow_csv, tmp_path, capsys, options, scheme):
    out = tmp_path / "r.csv"
    code, text, _ = run(["rfm", cdnow_csv, "-o", out, *options], capsys)
    assert code == 0 and scheme in text
    table = pd.read_csv(out)
    bins = int(options[1]) if options else 5
    assert table["r_score"].between(1, bins).all() and table["segment"].notna().all()
    if bins != 5:
        assert set(table["segment"]) <= {"low", "middle", "high"}


def test_rfm_scheme_from_a_file(cdnow_csv, tmp_path, capsys):
    scheme = tmp_path / "scheme.csv"
    pd.DataFrame({"name": ["best", "rest"], "r_lo": [4, 1], "r_hi": [5, 5], "f_lo": [4, 1],
                  "f_hi": [5, 5], "m_lo": [1, 1], "m_hi": [5, 5]}).to_csv(scheme, index=False)
    out = tmp_path / "r.csv"
    code, text, _ = run(["rfm", cdnow_csv, "-o", out, "--scheme", scheme], capsys)
    table = pd.read_csv(out)
    assert code == 0 and "2 rules, first match wins" in text
    best = (table["r_score"] >= 4) & (table["f_score"] >= 4)
    assert (table["segment"] == np.where(best, "best", "rest")).all()


def test_rfm_scheme_rfm_needs_five_bins(cdnow_csv, tmp_path, capsys):
    code, _, err = run(["rfm", cdnow_csv, "-o", tmp_path / "r.csv", "--bins", "4",
                        "--scheme", "rfm"], capsys)
    assert code == 1 and err == ("crmlab rfm: --scheme rfm names segments on 1-5 scores; use "
                                 "--bins 5 or --scheme tiers (got --bins 4).\n")


def test_rfm_options_pass_through(cdnow_log, cdnow_csv, tmp_path, capsys):
    out = tmp_path / "r.csv"
    assert run(["rfm", cdnow_csv, "-o", out, "--as-of", "1998-12-31", "--unit", "months",
                "--window", "12", "--same-day", "merge"], capsys)[0] == 0
    want = rfm.customer_table(cdnow_log, as_of="1998-12-31", unit="months", window=12,
                              same_day="merge")
    got = pd.read_csv(out, index_col="customer_id")
    assert got["frequency"].tolist() == want["frequency"].tolist()
    assert got["recency"].to_numpy() == pytest.approx(want["recency"].to_numpy())


def test_rfm_returns_net_keeps_negative_amounts(tmp_path, capsys):
    path = tmp_path / "t.csv"
    pd.DataFrame({"customer_id": ["a", "a", "b", "c"], "date": ["2024-01-01", "2024-01-05",
                                                                "2024-01-02", "2024-01-03"],
                  "amount": [10, -4, 5, 7]}).to_csv(path, index=False)
    out = tmp_path / "r.csv"
    assert run(["rfm", path, "-o", out, "--returns", "net"], capsys)[0] == 0
    assert pd.read_csv(out, index_col="customer_id").loc["a", "monetary_total"] == 6
    code, text, _ = run(["rfm", path, "-o", out], capsys)
    assert code == 0 and "1 negative amount (row 2)" in text
    assert pd.read_csv(out, index_col="customer_id").loc["a", "monetary_total"] == 10


# ------------------------------------------------------------------------- clv
@pytest.fixture(scope="module")
def clv_run(cdnow_csv, tmp_path_factory):
    folder = tmp_path_factory.mktemp("clv")
    out = folder / "clv.csv"
    code = main(["clv", str(cdnow_csv), "-o", str(out), "--calibration-end", "1997-09-30",
                 "--holdout-end", "1998-06-30"])
    return code, out


def test_clv_reproduces_the_published_cdnow_fit(clv_run):
    code, out = clv_run
    assert code == 0
    params = pd.read_csv(out.with_name("clv.params.csv")).set_index(["model", "parameter"])
    bgnbd = params.loc["BG/NBD"]
    assert bgnbd.loc[["r", "alpha", "a", "b"], "estimate"].round(3).tolist() == \
        [0.243, 4.414, 0.793, 2.426]
    assert round(bgnbd.loc["log_likelihood", "estimate"], 1) == -9582.4
    assert bgnbd.loc[["r", "alpha", "a", "b"], "se"].to_numpy() == pytest.approx(
        [0.012557, 0.378221, 0.185719, 0.705345], rel=2e-3)    # lifetimes docs
    gg = params.loc["Gamma-Gamma"]
    assert gg.loc[["p", "q", "gamma"], "estimate"].to_numpy() == pytest.approx(
        [6.25, 3.74, 15.44], abs=0.01)
    assert gg.loc["customers", "estimate"] == 946
    settings = params.loc["settings", "note"]
    assert settings.to_dict() == {"time_unit": "weeks", "calibration_end": "1997-09-30",
                                  "holdout_end": "1998-06-30", "horizon_months": "12",
                                  "monthly_discount": "0.01", "horizon_periods": "52.14 weeks"}


def test_clv_per_customer_columns_state_the_unit(clv_run, cbs, fit):
    _, out = clv_run
    table = pd.read_csv(out, index_col="customer_id")
    assert table.columns.tolist() == [
        "frequency", "recency_weeks", "T_weeks", "monetary", "p_alive",
        "expected_purchases_12_months", "expected_spend", "clv_12_months",
        "frequency_holdout", "expected_purchases_holdout"]
    assert table["clv_12_months"].sum() == pytest.approx(71507.95, abs=0.01)
    assert round(table.loc[1, "clv_12_months"], 2) == 36.27
    assert table["p_alive"].to_numpy() == pytest.approx(fit.p_alive(cbs).to_numpy(), rel=1e-6)
    assert table["expected_purchases_holdout"].sum() == pytest.approx(1653.4, abs=0.1)
    assert table["frequency_holdout"].sum() == 1882


def test_clv_in_days_gives_customer_1_the_same_value(cdnow_csv, tmp_path, capsys):
    out = tmp_path / "clv.parquet"
    code, text, _ = run(["clv", cdnow_csv, "-o", out, "--calibration-end", "1997-09-30",
                         "--unit", "days", "--horizon", "6", "--discount", "0.02"], capsys)
    assert code == 0 and "time unit: days" in text
    table = pd.read_parquet(out)
    assert {"recency_days", "T_days", "clv_6_months"} <= set(table.columns)
    cbs = btyd.repeat_purchase_table(pd.read_csv(cdnow_csv), calibration_end="1997-09-30",
                                     unit="days")
    want = gamma_gamma.customer_lifetime_value(btyd.fit_bgnbd(cbs),
                                               gamma_gamma.fit_gamma_gamma(cbs), cbs, months=6,
                                               monthly_discount=0.02)
    assert table["clv_6_months"].to_numpy() == pytest.approx(want.to_numpy(), rel=1e-9)


def test_clv_says_who_is_left_out_and_checks_rates(cdnow_csv, tmp_path, capsys):
    code, text, _ = run(["clv", cdnow_csv, "-o", tmp_path / "c.csv", "--calibration-end",
                         "1997-03-10"], capsys)
    late = pd.read_csv(cdnow_csv).groupby("customer_id")["date"].min()
    assert code == 0
    assert f"{(late > '1997-03-10').sum()} customers first bought after the calibration end " \
           f"1997-03-10 and are not in the output" in text
    assert f"{(late == '1997-03-10').sum()} customers made their first purchase on the " \
           f"calibration end 1997-03-10" in text
    assert len(pd.read_csv(tmp_path / "c.csv")) == (late < "1997-03-10").sum()
    code, _, err = run(["clv", cdnow_csv, "-o", tmp_path / "c.csv", "--discount", "1.5"], capsys)
    assert code == 1 and "--discount is a monthly rate in [0, 1)" in err
    code, _, err = run(["clv", cdnow_csv, "-o", tmp_path / "c.csv", "--calibration-end",
                        "someday"], capsys)
    assert code == 1 and err == ("crmlab clv: --calibration-end 'someday' is not a date; write "
                                 "it like 2024-06-30.\n")


def test_clv_without_repeat_purchases_is_one_line(tmp_path, capsys):
    path = tmp_path / "once.csv"
    pd.DataFrame({"customer_id": [1, 2, 3], "date": ["2024-01-01", "2024-01-02", "2024-01-03"],
                  "amount": [1.0, 2.0, 3.0]}).to_csv(path, index=False)
    code, text, err = run(["clv", path, "-o", tmp_path / "c.csv"], capsys)
    assert code == 1 and err.count("\n") == 1 and "no customer made a repeat purchase" in err
    assert ("1 customers made their first purchase on the calibration end 2024-01-03 (T = 0, "
            "no time observed) and are left out of the fit and the output (ids 3)") in text


# ------------------------------------------------------------------------- man
@pytest.fixture
def banks_csv(tmp_path):
    banks = crmlab.load_dataset("man_banks")
    banks["budget_yi"] = banks["it_budget_yi"] + banks["special_grant_yi"]
    path = tmp_path / "banks.csv"
    banks[["bank", "budget_yi", "profit_trend_slide", "authority_doc", "need_doc"]].rename(
        columns={"profit_trend_slide": "profit_trend", "authority_doc": "authority",
                 "need_doc": "need"}).to_csv(path, index=False)
    return path


def test_man_reproduces_the_answer_slide(banks_csv, tmp_path, capsys):
    out = tmp_path / "man.csv"
    code, text, _ = run(["man", banks_csv, "-o", out, "--id", "bank", "--rounding", "ceil"],
                        capsys)
    table = pd.read_csv(out, index_col="bank")
    assert code == 0
    assert table["total"].round(9).to_dict() == {"A": 2.8, "B": 3.1, "C": 2.9, "D": 4.0, "E": 1.4}
    assert table["rank"].to_dict() == {"A": 4, "B": 2, "C": 3, "D": 1, "E": 5}
    assert "weights: money 0.4, authority 0.3, need 0.3" in text


def test_man_weights_scored_tables_and_chinese_trends(banks_csv, tmp_path, capsys):
    facts = pd.read_csv(banks_csv)
    facts["profit_trend"] = facts["profit_trend"].map({"up": "增长", "down": "下降",
                                                       "flat": "稳定"})
    path = tmp_path / "zh.csv"
    facts.to_csv(path, index=False)
    out = tmp_path / "m.csv"
    assert run(["man", path, "-o", out, "--id", "bank", "--rounding", "ceil", "--weights",
                "money=0.25,authority=0.25,need=0.5"], capsys)[0] == 0
    table = pd.read_csv(out, index_col="bank")
    assert table.loc[["B", "D"], "total"].tolist() == [3.75, 3.75]
    assert table.loc["B", "rank"] == table.loc["D", "rank"] == 1
    scored = table[["money", "authority", "need"]].reset_index()
    path = tmp_path / "scored.csv"
    scored.to_csv(path, index=False)
    code, text, _ = run(["man", path, "-o", out, "--scored", "--id", "bank"], capsys)
    assert code == 0 and "as scored in the file" in text
    want = man.rank_prospects(scored.set_index("bank"))
    assert pd.read_csv(out, index_col="bank")["total"].tolist() == pytest.approx(
        want["total"].tolist())


def test_man_rejects_rows_it_cannot_score(banks_csv, tmp_path, capsys):
    facts = pd.read_csv(banks_csv, dtype=str)
    facts.loc[1, "authority"] = "7"
    facts.loc[2, "profit_trend"] = "sideways"
    facts.loc[3, "budget_yi"] = "lots"
    facts = pd.concat([facts, facts.iloc[[0]]], ignore_index=True)
    path = tmp_path / "bad.csv"
    facts.to_csv(path, index=False)
    out = tmp_path / "m.csv"
    code, text, _ = run(["man", path, "-o", out, "--id", "bank"], capsys)
    assert code == 0
    assert pd.read_csv(out)["bank"].tolist() == ["A", "E"]
    rejected = pd.read_csv(tmp_path / "m.rejected.csv")
    assert rejected[["row", "reason"]].values.tolist() == [
        [2, "authority score 7 is not from 1 to 5"],
        [3, "profit trend 'sideways' is not up, flat or down (增长/稳定/下降)"],
        [4, "budget 'lots' is not a number"],
        [6, "prospect id 'A' repeats row 1"]]
    assert "rejected 4 of 6 rows (66.7%)" in text


@pytest.mark.parametrize("weights, message", [
    ("0.5,0.5,0.5", "--weights must sum to 1; '0.5,0.5,0.5' sums to 1.5."),
    ("0.5,0.5", "--weights takes three numbers for money, authority, need"),
    ("a,b,c", "--weights must be numbers, e.g. 0.4,0.3,0.3; got 'a,b,c'."),
    ("money=1,authority=0,cost=0", "--weights must name money, authority, need"),
])
def test_man_bad_weights(banks_csv, tmp_path, capsys, weights, message):
    code, _, err = run(["man", banks_csv, "-o", tmp_path / "m.csv", "--weights", weights], capsys)
    assert code == 1 and message in err


def test_man_suggests_scored_when_the_file_has_money(tmp_path, capsys):
    path = tmp_path / "s.csv"
    pd.DataFrame({"money": [1, 2], "authority": [3, 4], "need": [5, 1]}).to_csv(path, index=False)
    code, _, err = run(["man", path, "-o", tmp_path / "m.csv"], capsys)
    assert code == 1 and "pass --scored" in err and "--budget NAME" in err


# ------------------------------------------------------------------- reproduce
def test_reproduce_prints_the_table_and_passes(capsys):
    code, text, err = run(["reproduce", "--only", "bgnbd"], capsys)
    assert code == 0 and err == ""
    lines = text.splitlines()
    assert lines[0].split() == ["what", "source", "published", "computed", "result"]
    assert any("BG/NBD on CDNOW: r" in line and line.endswith("pass") for line in lines)
    assert lines[-1].startswith("6 of 6 reproduced within tolerance")


def test_reproduce_markdown_is_the_readme_table(capsys):
    from crmlab import reproduce

    code, text, _ = run(["reproduce", "--markdown", "--only", "man_"], capsys)
    entries = [e for e in reproduce.ENTRIES if "man_" in e.id]
    assert code == 0 and text.strip() == reproduce.markdown(entries)


def test_reproduce_fails_with_exit_code_1(monkeypatch, capsys):
    from crmlab import reproduce

    wrong = reproduce.Entry("wrong_on_purpose", "a number that is not reproduced", "nowhere",
                            1.0, lambda: 2.0)
    monkeypatch.setattr(reproduce, "ENTRIES", reproduce.ENTRIES[:1] + (wrong,))
    code, text, _ = run(["reproduce"], capsys)
    assert code == 1 and "FAIL wrong_on_purpose: published 1, computed 2" in text
    assert "1 of 2 reproduced within tolerance" in text


# ---------------------------------------------------------------- duckdb engine
def test_duckdb_engine_absent_says_so(monkeypatch, cdnow_csv, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "crmlab.warehouse", None)     # as on a build without it
    for command, extra in (("rfm", []), ("clv", ["--calibration-end", "1997-09-30"])):
        code, _, err = run([command, cdnow_csv, "-o", tmp_path / "x.csv", "--engine", "duckdb",
                            *extra], capsys)
        assert code == 1 and err == f"crmlab {command}: {WAREHOUSE_MISSING}\n"


def test_duckdb_engine_wiring_with_a_stand_in_warehouse(monkeypatch, cdnow_csv, cdnow_log,
                                                        tmp_path, capsys):
    calls = []

    def reported(table):
        # the report the warehouse leaves in attrs (made up here: two rows rejected)
        table.attrs["rejected here"] = {
            "path": "x", "rows": 6_921, "rejected": 2, "first": "row 3: negative amount -1",
            "reasons": {"negative amount": {"rows": 2, "first": [3, 9]}}}
        return table

    def rfm_summary(source, **kw):
        calls.append(("rfm_summary", source, kw))
        return reported(rfm.customer_table(pd.read_csv(source), as_of=kw["as_of"]))

    def btyd_summary(source, **kw):
        calls.append(("btyd_summary", source, kw))
        return reported(btyd.repeat_purchase_table(pd.read_csv(source), calibration_end=kw[
            "calibration_end"], holdout_end=kw["holdout_end"], unit=kw["unit"]))

    fake = types.ModuleType("crmlab.warehouse")
    fake.rfm_summary, fake.btyd_summary = rfm_summary, btyd_summary
    fake.REJECTED_ATTR = "rejected here"
    monkeypatch.setitem(sys.modules, "crmlab.warehouse", fake)
    out = tmp_path / "r.csv"
    code, text, _ = run(["rfm", cdnow_csv, "-o", out, "--engine", "duckdb", "--memory-limit",
                         "1GB", "--unit", "weeks", "--returns", "net"], capsys)
    assert code == 0
    assert text.splitlines()[:4] == [
        f"read 6,921 rows from {cdnow_csv} with the duckdb engine (crmlab.warehouse.rfm_summary)",
        "rejected 2 of 6,921 rows (0.0%):", "  2 negative amount (rows 3, 9)",
        f"rejected rows: {tmp_path / 'r.rejected.csv'}"]
    assert calls[0] == ("rfm_summary", str(cdnow_csv), {
        "customer": "customer_id", "date": "date", "amount": "amount", "engine": "duckdb",
        "memory_limit": "1GB", "rejected": str(tmp_path / "r.rejected.csv"), "as_of": None,
        "unit": "weeks", "same_day": "keep", "returns": "net", "date_order": "clear"})
    assert "rejected here" not in pd.read_csv(out).columns
    assert pd.read_csv(out)["rfm_code"].astype(str).tolist() == \
        rfm.rfm_table(cdnow_log)["rfm_code"].tolist()
    code, _, _ = run(["clv", cdnow_csv, "-o", tmp_path / "c.csv", "--engine", "duckdb",
                      "--calibration-end", "1997-09-30"], capsys)
    assert code == 0 and calls[1][0] == "btyd_summary"
    assert calls[1][2]["calibration_end"] == pd.Timestamp("1997-09-30")
    assert calls[1][2]["unit"] == "weeks" and calls[1][2]["holdout_end"] is None
    assert calls[1][2]["rejected"] == str(tmp_path / "c.rejected.csv")
    code, _, err = run(["rfm", cdnow_csv, "-o", out, "--engine", "duckdb", "--window", "3"],
                       capsys)
    assert code == 1 and "--window is not available with --engine duckdb" in err
    code, _, err = run(["rfm", cdnow_csv, "-o", out, "--engine", "duckdb", "--timezone", "UTC"],
                       capsys)
    assert code == 1 and "--timezone is not available with --engine duckdb" in err
    code, _, _ = run(["rfm", cdnow_csv, "-o", out, "--engine", "duckdb", "--dayfirst"], capsys)
    assert code == 0 and calls[-1][2]["date_order"] == "dayfirst"
    code, _, err = run(["clv", cdnow_csv, "-o", out, "--engine", "duckdb"], capsys)
    assert code == 1 and "--calibration-end is required with --engine duckdb" in err
    code, _, err = run(["rfm", cdnow_csv, "-o", tmp_path / "s.csv", "--engine", "duckdb",
                        "--strict"], capsys)
    assert code == 1 and not (tmp_path / "s.csv").exists()
    assert err == (f"crmlab rfm: 2 rows rejected and --strict is set (see "
                   f"{tmp_path / 's.rejected.csv'}); no results written.\n")


def test_duckdb_engine_gives_the_pandas_engines_results_on_cdnow(cdnow_csv, tmp_path, capsys):
    pytest.importorskip("duckdb")
    for engine in ("pandas", "duckdb"):
        code, text, _ = run(["rfm", cdnow_csv, "-o", tmp_path / f"{engine}.csv", "--engine",
                             engine, "--same-day", "merge", "--unit", "weeks"], capsys)
        assert code == 0 and "rejected 0 of 6,919 rows" in text
        code, text, _ = run(["clv", cdnow_csv, "-o", tmp_path / f"clv_{engine}.csv", "--engine",
                             engine, "--calibration-end", "1997-09-30", "--holdout-end",
                             "1998-06-30"], capsys)
        assert code == 0 and "rejected 0 of 6,919 rows" in text
    # money is summed exactly in SQL, in floats by pandas: 1e-9; a standard error comes from
    # a numerical Hessian, which turns the last bits of the sums into ~1e-9 of its own: 1e-7
    for name, rtol in (("{}.csv", 1e-9), ("{}.rejected.csv", 0), ("{}.cuts.csv", 1e-9),
                       ("clv_{}.csv", 1e-9), ("clv_{}.params.csv", 1e-7)):
        pandas, duckdb = (pd.read_csv(tmp_path / name.format(e)) for e in ("pandas", "duckdb"))
        pd.testing.assert_frame_equal(duckdb, pandas, check_exact=rtol == 0, rtol=rtol or 1e-5)


# ------------------------------------------------------------------ subprocess
def test_subprocess_rfm_and_exit_codes(cdnow_csv, tmp_path):
    out = tmp_path / "r.csv"
    done = subprocess.run(CRMLAB + ["rfm", str(cdnow_csv), "-o", str(out)], capture_output=True,
                          text=True)
    assert done.returncode == 0 and out.exists() and "2,357 customers" in done.stdout
    missing = subprocess.run(CRMLAB + ["rfm", str(tmp_path / "nope.csv"), "-o", str(out)],
                             capture_output=True, text=True)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert missing.stderr == f"crmlab rfm: {tmp_path / 'nope.csv'}: no such file.\n"
    usage = subprocess.run(CRMLAB + ["rfm", str(cdnow_csv)], capture_output=True, text=True)
    assert usage.returncode == 2 and "the following arguments are required: -o/--output" in \
        usage.stderr
