"""What the built app runs: the frontline command (no arguments starts the window), as `python -m simulator` does."""

from simulator.cli.main import main

raise SystemExit(main())
