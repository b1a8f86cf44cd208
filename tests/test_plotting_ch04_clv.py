"""crmlab.plotting.ch04_clv: the CLV figures draw their data without warnings."""

import warnings

import pandas as pd

import crmlab
from crmlab import plotting


def test_clv_figures_draw_their_data_without_warnings():
    from crmlab import btyd, retention
    from crmlab.widgets import retention_curve_panel
    plotting.use_style()
    curve = retention_curve_panel().result
    ax = plotting.retention_curve_plot(curve)
    assert len(ax.lines) == 3 and list(ax.lines[1].get_ydata()) == list(curve.iloc[:, 1])
    cbs = btyd.repeat_purchase_table(crmlab.load_dataset("cdnow_sample"), customer="sample_id",
                                     amount="dollars", calibration_end="1997-09-30",
                                     holdout_end="1998-06-30")
    fit = btyd.fit_bgnbd(cbs)
    table = btyd.holdout_check(fit, cbs)
    ax = plotting.holdout_plot(table)
    assert list(ax.lines[0].get_ydata()) == table["actual"].tolist()
    cohorts = crmlab.load_dataset("retention_cohorts").pivot(index="year", columns="cohort",
                                                              values="survivors_pct")
    proj = pd.DataFrame({c: 100 * retention.fit_sbg(cohorts.loc[0:7, c] * 10).survival(
        cohorts.index) for c in cohorts}, index=cohorts.index)
    ax = plotting.survival_plot(cohorts, proj, fitted_until=7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax.figure.canvas.draw()


def test_clv_quadrant_plot_labels_corners_and_starts_at_zero():
    # Issue 10: no empty negative halves, no legend over the 贵宾型 corner, counts in corners.
    people = pd.DataFrame({"current_value": [0.0, 5, 50, 500, 900, 2000],
                           "future_value": [1e-6, 2, 300, 5, 800, 40]})
    placed = crmlab.clv.clv_quadrants(people, current_threshold=100, future_threshold=30)
    ax = plotting.clv_quadrant_plot(placed, current_threshold=100, future_threshold=30)
    assert ax.get_xlim()[0] == 0 and ax.get_ylim()[0] == 0
    assert ax.get_legend() is None
    assert sorted(t.get_text() for t in ax.texts) == ["改进型 1", "放弃型 2", "维持型 1",
                                                      "贵宾型 2"]
    assert sum(len(c.get_offsets()) for c in ax.collections) == 6
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax.figure.canvas.draw()


def test_survival_plot_can_add_the_constant_retention_projection():
    actual = pd.DataFrame({"a": [100.0, 60, 45]}, index=[0, 1, 2])
    projected = pd.DataFrame({"a": [100.0, 62, 46]}, index=[0, 1, 2])
    constant = pd.DataFrame({"a": [100.0, 70, 49]}, index=[0, 1, 2])
    ax = plotting.survival_plot(actual, projected, fitted_until=1, constant=constant)
    assert [list(line.get_ydata()) for line in ax.lines[:3]] == [[100, 60, 45], [100, 62, 46],
                                                                 [100, 70, 49]]
    assert ax.lines[2].get_linestyle() == ":"
