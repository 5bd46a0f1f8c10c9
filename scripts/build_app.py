"""Entry point of the frozen app (`briefing.spec`): the same as the `briefing-app` script."""

import sys

from ui.app import main

sys.exit(main())
