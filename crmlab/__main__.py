"""``python -m crmlab …`` is the ``crmlab`` command."""

import sys

from .cli import main

sys.exit(main())
