"""crmlab.plotting.core: Chinese labels render without a missing-glyph warning."""

import warnings

import matplotlib.pyplot as plt
import pytest

from crmlab import plotting


def test_chinese_text_renders_without_glyph_warnings():
    plotting.use_style()
    fig, ax = plt.subplots()
    ax.set_title("客户识别 购买力 决策权 需求 −1")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()


def test_default_font_warns_about_missing_chinese_glyphs():
    # The check above means something only if DejaVu Sans alone does warn.
    with plt.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title("客户")
        with pytest.warns(UserWarning, match="missing from font"):
            fig.canvas.draw()


def test_bundled_font_is_in_the_fallback_list_after_system_cjk_fonts():
    family = plotting.font_family()
    assert family[-2:] == ["Noto Sans SC", "DejaVu Sans"]
    assert all(f in plotting.CJK_FONTS for f in family[:-2])
