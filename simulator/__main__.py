"""`python -m simulator` runs the frontline command."""

from simulator.cli.main import main

raise SystemExit(main())
