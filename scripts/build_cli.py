"""Entry point of the frozen CLI (`briefing.spec`): the same as the `briefing` script."""

import sys

from briefing.cli import main

sys.exit(main())
