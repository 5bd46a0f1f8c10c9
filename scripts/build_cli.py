"""Entry point of the frozen CLI (`briefing.spec`): the same as the `briefing` script."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a parser worker (spawned) runs its job, not the CLI
    from briefing.cli import main

    sys.exit(main())
