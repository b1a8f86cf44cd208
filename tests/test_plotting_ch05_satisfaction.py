"""crmlab.plotting.ch05_satisfaction: the figures show the data they are given, label the
stylised curves as a model, and speak Chinese in the Chinese edition."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.text import Text
from strategies import english_sentences

import crmlab
from crmlab import defection, i18n, plotting, satisfaction


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_trap_curves_are_the_stylised_model_and_say_so():
    ax = plotting.trap_curves_plot(average_loyalty=0.5)
    basic, latent, average = ax.get_lines()
    assert basic.get_ydata()[-1] == pytest.approx(0.5) and latent.get_ydata()[0] == pytest.approx(0.5)
    assert latent.get_ydata()[-1] == pytest.approx(1.0)
    assert "not data" in ax.get_title()


def test_survey_plot_draws_the_mean_at_each_level():
    mobi = crmlab.load_dataset("ecsi_mobi")
    curve = satisfaction.loyalty_curve(mobi, "CUSA1", "CUSL1")
    ax = plotting.survey_loyalty_plot(curve)
    (line,) = ax.get_lines()
    assert np.allclose(line.get_ydata(), curve["mean"])
    assert len(ax.texts) == len(curve)                  # n= above each point


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
                plotting.nps_bar(satisfaction.net_promoter_score(mobi["CUSL3"]))]
        for ax in axes:
            texts = _figure_texts(ax.figure)
            assert texts
            for text in texts:
                assert english_sentences(text) == [], text
        assert "示意模型" in axes[0].get_title()
    finally:
        i18n.set_language("en")
