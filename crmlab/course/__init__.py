"""The course layer: turning chapter sources into what students and teachers open.

Table of contents
-----------------
build      one MyST source per chapter → ``exercises/`` (student) and ``solutions/``
           (teacher, executed) notebooks, byte-identical across runs, with a staleness
           hash over the source, crmlab's code and the data
workspace  the student's own copies of the chapters (``work/``): filled with what is
           missing, never overwriting an edited notebook
cli        the ``crmlab`` command: ``crmlab build``, ``crmlab workspace``

jupytext, nbclient and papermill are imported here and nowhere else in crmlab. The
modules are imported on use (``from crmlab.course import build``) so that the compute
modules never pay for them.
"""

__all__ = ["build", "cli", "workspace"]
