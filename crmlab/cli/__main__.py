"""``python -m crmlab.cli …`` is the ``crmlab`` command (analyses and course commands)."""

import sys

from . import main

sys.exit(main())
