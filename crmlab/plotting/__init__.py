"""Figures for the chapters, and a plotting style that renders Chinese labels anywhere.

Plot functions take the *output* of a compute function, draw on ``ax`` (or a new axes),
and return the axes; they never compute scores themselves. Their titles and labels are
student-facing text: English inside ``_("...")``, translated by the chapter's catalog.

Table of contents
-----------------
core       ``use_style()`` (CJK fonts), ``font_family``, the prospect palette
ch01_identification  ``k_selection_plot``, ``stage_plot``, ``pyramid_plot``,
           ``key_matrix_plot``
ch02_man   ``ranking_bar``, ``ranking_bar_html``, ``winner_map_plot``
ch03_rfm   ``rfm_heatmap``, ``pareto_plot``
ch04_clv   ``retention_curve_plot``, ``quadrant_diagram``, ``clv_quadrant_plot``,
           ``holdout_plot``, ``tracking_plot``, ``p_alive_plot``, ``survival_plot``
ch05_satisfaction  ``trap_curves_plot``, ``survey_loyalty_plot``, ``panel_curve_plot``,
           ``nps_bar``
"""

from .ch01_identification import k_selection_plot, key_matrix_plot, pyramid_plot, stage_plot
from .ch02_man import ranking_bar, ranking_bar_html, winner_map_plot
from .ch03_rfm import HEATMAP_LABELS, MARK_MARKERS, pareto_plot, rfm_heatmap
from .ch04_clv import (clv_quadrant_plot, holdout_plot, p_alive_plot, quadrant_diagram,
                       retention_curve_plot, survival_plot, tracking_plot)
from .ch05_satisfaction import nps_bar, panel_curve_plot, survey_loyalty_plot, trap_curves_plot
from .core import CJK_FONTS, font_family, use_style

__all__ = ["CJK_FONTS", "HEATMAP_LABELS", "MARK_MARKERS", "clv_quadrant_plot", "font_family",
           "holdout_plot", "nps_bar", "p_alive_plot", "panel_curve_plot", "pareto_plot",
           "quadrant_diagram", "ranking_bar", "ranking_bar_html", "retention_curve_plot",
           "rfm_heatmap", "survey_loyalty_plot", "survival_plot", "tracking_plot",
           "trap_curves_plot", "use_style", "winner_map_plot"]
__all__ += ["k_selection_plot", "key_matrix_plot", "pyramid_plot", "stage_plot"]
