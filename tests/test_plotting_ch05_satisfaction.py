"""crmlab.plotting.ch05_satisfaction: the figures show the data they are given, label the
stylised curves as a model, and speak Chinese in the Chinese edition."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text
from strategies import english_sentences

import crmlab
from crmlab import defection, i18n, plotting, satisfaction


@pytest.fixture(autouse=True)
def close_figures():
    plotting.use_style()          # CJK-capable fonts: figures are drawn in both languages
    yield
    plt.close("all")


def test_trap_curves_are_the_stylised_model_and_say_so():
    ax = plotting.trap_curves_plot()
    basic, latent, average = ax.get_lines()
    assert basic.get_ydata()[-1] == pytest.approx(0.5) and latent.get_ydata()[0] == pytest.approx(0.5)
    assert latent.get_ydata()[-1] == pytest.approx(1.0)
    assert latent.get_ydata()[50] == pytest.approx(0.625)         # k = 2, as in the panel
    assert average.get_ydata()[0] == defection.MECHANISM["average_loyalty"]
    assert "not data" in ax.get_title()
    weighted = plotting.trap_curves_plot(basic_weight=0.0, latent_strength=0.6)
    basic, latent, _ = weighted.get_lines()
    assert np.allclose(basic.get_ydata(), 0.5) and latent.get_ydata()[-1] == pytest.approx(0.8)


def test_survey_plot_draws_the_mean_at_each_level_inside_the_scale():
    mobi = crmlab.load_dataset("ecsi_mobi")
    curve = satisfaction.loyalty_curve(mobi, "CUSA1", "CUSL1", scale=(1, 10))
    ax = plotting.survey_loyalty_plot(curve)
    (line,) = ax.get_lines()
    assert np.allclose(line.get_ydata(), curve["mean"])
    assert len(ax.texts) == len(curve)                  # n= above each point
    low, high = ax.get_ylim()
    assert 0.5 <= low <= 1 and 10 <= high <= 11         # the answer's scale, not the t-interval
    corp = satisfaction.loyalty_curve(crmlab.load_dataset("corp_rep_data"), "cusa", "cusl_1",
                                      scale=(1, 7))
    ax = plotting.survey_loyalty_plot(corp)
    assert ax.get_ylim()[0] >= 0.5 and ax.get_ylim()[1] <= 8


def test_survey_legend_covers_no_data():
    """The legend sits where no point, band or n= label is drawn."""
    for data, sat, loy, scale in (("ecsi_mobi", "CUSA1", "CUSL1", (1, 10)),
                                  ("corp_rep_data", "cusa", "cusl_1", (1, 7))):
        curve = satisfaction.loyalty_curve(crmlab.load_dataset(data), sat, loy, scale=scale)
        ax = plotting.survey_loyalty_plot(curve)
        fig = ax.figure
        fig.canvas.draw()
        box = ax.get_legend().get_window_extent()
        points = ax.transData.transform(np.column_stack([curve.index, curve["mean"]]))
        assert not any(box.contains(x, y) for x, y in points), data
        for text in ax.texts:
            assert not box.overlaps(text.get_window_extent()), (data, text.get_text())
        bands = curve.dropna()
        for level, row in bands.iterrows():
            for y in (row["low"], row["high"]):
                assert not box.contains(*ax.transData.transform((level, y))), (data, level)


def test_trap_data_plot_puts_the_data_next_to_the_stylised_curves():
    panel = defection.make_satisfaction_panel(3000, seed=3, latent_strength=0.4)
    fig = plotting.ch05_satisfaction.trap_data_plot(panel)
    left, right = fig.axes
    assert "not data" in left.get_title()
    assert left.get_lines()[1].get_ydata()[-1] == pytest.approx(0.5 + 0.4 * 0.5)
    level = right.get_lines()[-1].get_ydata()[0]
    assert level == pytest.approx(defection.repurchase_probability([0.5]).iloc[0])
    curve = defection.loyalty_by_satisfaction(panel)
    (observed,) = [c for c in right.containers]
    assert np.allclose(observed.lines[0].get_ydata(), curve["repurchase_rate"])


def test_labelled_translates_the_chapters_table_labels():
    table = defection.auc_table(defection.churn_models(defection.make_satisfaction_panel(3000)))
    shown = plotting.ch05_satisfaction.labelled(table)
    assert shown.index.tolist()[0] == "CSAT only" and shown.index.name == "model"
    assert shown.to_numpy().tolist() == table.to_numpy().tolist()     # the numbers unchanged
    i18n.set_language("zh")
    try:
        shown = plotting.ch05_satisfaction.labelled(table)
        for text in [*shown.index, *shown.columns, shown.index.name]:
            assert english_sentences(text) == [], text
        types = pd.Series([56, 11, 126, 57], name="count",
                          index=pd.Index(["loyalist/apostle", "mercenary", "hostage",
                                          "defector/terrorist"], name="type"))
        assert plotting.ch05_satisfaction.labelled(types).index.tolist() == [
            "忠诚者/传道者", "唯利是图者", "人质", "背叛者/破坏者"]
    finally:
        i18n.set_language("en")


def test_panel_plot_and_nps_bar_show_the_numbers():
    panel = defection.make_satisfaction_panel(500, seed=3)
    curve = defection.loyalty_by_satisfaction(panel)
    ax = plotting.panel_curve_plot(curve, model=panel.groupby("csat")["p_repurchase"].mean())
    assert len(ax.get_lines()) >= 2
    summary = satisfaction.net_promoter_score([10, 9, 8, 7, 6, 0])
    ax = plotting.nps_bar(summary)
    assert sorted(p.get_width() for p in ax.patches) == pytest.approx([1 / 3] * 3)
    assert "+0.0" in ax.get_title()


def _figure_texts(fig):
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def test_every_figure_speaks_chinese_in_the_chinese_edition():
    mobi = crmlab.load_dataset("ecsi_mobi")
    panel = defection.make_satisfaction_panel(500, seed=3)
    i18n.set_language("zh")
    try:
        axes = [plotting.trap_curves_plot(),
                plotting.survey_loyalty_plot(satisfaction.loyalty_curve(mobi, "CUSA1", "CUSL1")),
                plotting.panel_curve_plot(defection.loyalty_by_satisfaction(panel),
                                          model=panel.groupby("csat")["p_repurchase"].mean()),
                plotting.nps_bar(satisfaction.net_promoter_score(mobi["CUSL3"])),
                *plotting.ch05_satisfaction.trap_data_plot(panel).axes]
        for ax in axes:
            texts = _figure_texts(ax.figure)
            assert texts
            for text in texts:
                assert english_sentences(text) == [], text
        assert "示意模型" in axes[0].get_title()
        assert "点" not in axes[3].get_title()         # NPS is a number, not "points"
    finally:
        i18n.set_language("en")
