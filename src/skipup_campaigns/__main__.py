"""`python -m skipup_campaigns` runs the same command line as the console script."""

from skipup_campaigns.cli import main

raise SystemExit(main())
