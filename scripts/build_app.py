"""Entry point of the frozen app (`briefing.spec`): the same as the `briefing-app` script."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a parser worker (spawned) runs its job, not the app
    from ui.app import main

    sys.exit(main())
