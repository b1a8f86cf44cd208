"""The course layer: turning chapter sources into what students and teachers open.

Table of contents
-----------------
build      one MyST source per chapter → ``exercises/`` (student) and ``solutions/``
           (teacher, executed) notebooks, byte-identical across runs, with a staleness
           hash over the source, crmlab's code and the data
workspace  the student's own copies of the chapters (``work/``): filled with what is
           missing, never overwriting an edited notebook
snapshots  static HTML beside every saved widget of an executed solution (for viewers
           that cannot run widgets)
cli        the course commands of ``crmlab``: build, workspace, translations, catalogs,
           and the teachers' present, slides, site, trust

Teaching (``make present/slides/site/trust``; each imported only when run)
--------
present    a chapter's lesson as a live Voila dashboard, code hidden, on localhost
slides     every chapter as an offline reveal.js deck (``build/slides/``)
site       the offline course site, both languages (``build/site/``)
pages      what the slides and the site share: chapter pages, links, teacher cells
assets     the pinned front-end files (reveal.js, require.js, widget embed, MathJax),
           fetched once with npm, sha512-checked, into ``build/vendor/``
webfont    the bundled Chinese font as a WOFF2 subset of the glyphs the pages use
trust      sign the generated solutions so that JupyterLab draws their saved widgets

jupytext, nbclient and papermill are imported here and nowhere else in crmlab. The
modules are imported on use (``from crmlab.course import build``) so that the compute
modules never pay for them.
"""

__all__ = ["assets", "build", "cli", "pages", "present", "site", "slides", "snapshots",
           "trust", "webfont", "workspace"]
