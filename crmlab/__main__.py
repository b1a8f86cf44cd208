"""``python -m crmlab …`` is the ``crmlab`` command."""

import sys

from .course.cli import main

sys.exit(main())
