"""`python -m peakplan.cli`: the same as the `peakplan` command."""

import sys

from peakplan.cli import main

sys.exit(main())
