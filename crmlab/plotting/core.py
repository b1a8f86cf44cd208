"""The plotting style shared by every chapter's figures: Chinese labels anywhere, one palette.

:func:`use_style` sets a font-fallback list: the system's CJK fonts first where present
(Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC), then Noto Sans SC
(OFL-1.1), which ships in the ``pylopdf-fonts-zh-cn`` wheel and is registered here, so a
machine with no CJK font at all still renders Chinese without a missing-glyph warning.
"""

from __future__ import annotations

from importlib import resources

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib import font_manager


__all__ = ["BUNDLED_FONT", "CJK_FONTS", "PALETTE", "TIE_COLOUR", "colour", "font_family", "use_style"]

#: System CJK fonts preferred when installed, in this order.
CJK_FONTS = ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC")

#: The free font guaranteed by the ``pylopdf-fonts-zh-cn`` dependency.
BUNDLED_FONT = ("pylopdf_fonts_zh_cn", "NotoSansSC-Regular.otf", "Noto Sans SC")

#: One colour per prospect label, so a bank keeps its colour across figures.
PALETTE = dict(zip("ABCDE", [sns.color_palette("colorblind", 10).as_hex()[i]
                             for i in (0, 1, 2, 4, 5)]))
TIE_COLOUR = "#999999"


def _register_bundled_font() -> str:
    package, filename, family = BUNDLED_FONT
    path = resources.files(package) / filename
    if family not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(path))
    return family


def font_family() -> list[str]:
    """Return the font-fallback list: installed system CJK fonts, the bundled font, DejaVu."""
    bundled = _register_bundled_font()
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return [f for f in CJK_FONTS if f in installed] + [bundled, "DejaVu Sans"]


def use_style() -> None:
    """Set crmlab's figure style: seaborn's whitegrid theme with CJK-capable fonts.

    Examples
    --------
    >>> use_style()
    >>> import matplotlib.pyplot as plt
    >>> plt.rcParams["font.family"][-2:]
    ['Noto Sans SC', 'DejaVu Sans']
    """
    sns.set_theme(style="whitegrid", context="notebook")
    plt.rcParams["font.family"] = font_family()
    plt.rcParams["axes.unicode_minus"] = True
    plt.rcParams["figure.dpi"] = 100


def colour(label: str) -> str:
    """The colour of prospect ``label`` (grey for a tie)."""
    return PALETTE.get(label, TIE_COLOUR)
