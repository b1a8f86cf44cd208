"""Interactive dashboards (ipywidgets), one module per chapter over a small core.

Table of contents
-----------------
core       ``Panel`` (controls → one compute call → HTML view), the ipywidgets import
           with a clear error, shared ``html_table`` and ``svg_lines``
ch01_identification  ``state_explorer``, ``spend_threshold_explorer``,
           ``pyramid_explorer``, ``tiering_weights``
ch02_man   ``man_dashboard``: MAN weights, rounding and the slide's adjustments
ch03_rfm   ``rfm_scorer``, ``abc_explorer``, ``segment_explorer``
ch04_clv   ``clv_table_editor``, ``group_clv_panel``, ``retention_curve_panel``,
           ``bgnbd_what_if``
ch05_satisfaction  ``trap_explorer``, ``nps_calculator``

Each factory returns an object holding the widget *and* the data it shows, so a test
can set control values and read the result without a kernel. Every dashboard has a
static twin in its chapter (a table or a matplotlib figure).
"""

from .ch01_identification import (pyramid_explorer, spend_threshold_explorer, state_explorer,
                                  tiering_weights)
from .ch02_man import ManDashboard, man_dashboard
from .ch03_rfm import SCHEMES, abc_explorer, rfm_scorer, segment_explorer
from .ch04_clv import bgnbd_what_if, clv_table_editor, group_clv_panel, retention_curve_panel
from .ch05_satisfaction import nps_calculator, trap_explorer
from .core import Panel

__all__ = ["SCHEMES", "ManDashboard", "Panel", "abc_explorer", "bgnbd_what_if",
           "clv_table_editor", "group_clv_panel", "man_dashboard", "retention_curve_panel",
           "rfm_scorer", "segment_explorer"]
__all__ += ["nps_calculator", "trap_explorer"]
__all__ += ["pyramid_explorer", "spend_threshold_explorer",
            "state_explorer", "tiering_weights"]
