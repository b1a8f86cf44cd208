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


def _cdnow():
    from crmlab import btyd
    cbs = btyd.repeat_purchase_table(crmlab.load_dataset("cdnow_sample"), customer="sample_id",
                                     amount="dollars", calibration_end="1997-09-30",
                                     holdout_end="1998-06-30")
    return crmlab.load_dataset("cdnow_sample"), cbs, btyd.fit_bgnbd(cbs)


def _p_alive_grid(fit):
    import numpy as np
    recencies = np.arange(0, 39, 2.0)
    grid = pd.DataFrame(
        [fit.p_alive(pd.DataFrame({"frequency": x, "recency": recencies if x else 0 * recencies,
                                   "T": 38.86})).to_numpy() for x in range(0, 16)],
        index=pd.Index(range(0, 16), name="frequency"),
        columns=pd.Index(recencies.astype(int), name="recency"))
    grid.attrs["T"] = 38.86
    return grid


def test_p_alive_heatmap_leaves_the_impossible_cells_blank():
    # with x = 0 the recency t_x is 0 by definition: only the first cell of that row exists
    _, _cbs, fit = _cdnow()
    ax = plotting.p_alive_plot(_p_alive_grid(fit))
    mesh = ax.collections[0]
    shown = mesh.get_array()
    assert shown.mask.sum() == 19                       # 20 recencies, one possible at x = 0
    assert shown.mask.reshape(16, 20)[0, 1:].all() and not shown.mask.reshape(16, 20)[1:].any()


def _all_figures(tmp_lang):
    """Every figure of the chapter, drawn with the chapter's data, in the current language."""
    import numpy as np
    from crmlab import btyd, gamma_gamma, retention
    from crmlab.widgets import retention_curve_panel
    log, cbs, fit = _cdnow()
    axes = [plotting.ch04_clv.quadrant_diagram(),
            plotting.retention_curve_plot(retention_curve_panel().result),
            plotting.holdout_plot(btyd.holdout_check(fit, cbs)),
            plotting.tracking_plot(btyd.cumulative_tracking(fit, log, cbs, customer="sample_id"),
                                   calibration_end=39),
            plotting.p_alive_plot(_p_alive_grid(fit))]
    value = gamma_gamma.customer_lifetime_value(fit, gamma_gamma.fit_gamma_gamma(cbs), cbs)
    spent = log[log["date"] <= "1997-09-30"].groupby("sample_id")["dollars"].sum()
    people = pd.DataFrame({"current_value": spent, "future_value": value})
    cut = people.quantile(0.8)
    placed = crmlab.clv.clv_quadrants(people, current_threshold=cut["current_value"],
                                      future_threshold=cut["future_value"])
    axes.append(plotting.clv_quadrant_plot(placed, current_threshold=cut["current_value"],
                                           future_threshold=cut["future_value"],
                                           horizon_months=12, currency="$"))
    cohorts = crmlab.load_dataset("retention_cohorts").pivot(index="year", columns="cohort",
                                                              values="survivors_pct")
    years = np.arange(0, 13)
    fits = {c: retention.fit_sbg(cohorts.loc[0:7, c] * 10) for c in cohorts}
    proj = pd.DataFrame({c: 100 * f.survival(years) for c, f in fits.items()}, index=years)
    const = pd.DataFrame({c: 100 * retention.constant_retention_rate(cohorts.loc[0:7, c] * 10)
                          ** years for c in cohorts}, index=years)
    axes.append(plotting.survival_plot(cohorts, proj, fitted_until=7, constant=const))
    return axes


def _figure_texts(ax):
    import matplotlib.pyplot as plt
    fig = ax.figure
    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(plt.Text) if t.get_text().strip()]


def test_the_chinese_figures_have_no_english_sentence():
    from strategies import english_sentences
    plotting.use_style()
    crmlab.set_language("zh")
    try:
        axes = _all_figures("zh")
        texts = [t for ax in axes for t in _figure_texts(ax)]
    finally:
        crmlab.set_language("en")
    assert "客户当前价值：过去的消费（$）" in texts and "高端客户群：sBG 预测" in texts
    assert "按客户当前价值与客户未来价值划分的四种客户类型" in texts
    left = [t for t in texts if english_sentences(t)]
    assert left == [], left


def test_the_english_figures_say_what_they_show():
    plotting.use_style()
    texts = [t for ax in _all_figures("en") for t in _figure_texts(ax)]
    assert "high-end cohort: sBG projection" in texts and "high_end sBG" not in texts
    assert "future value: 12-month CLV ($)" in texts
    assert "P(alive) after T = 38.86 weeks (blank: impossible)" in texts
