"""Run schema-diff as `python -m checker`."""

from checker.cli import main

raise SystemExit(main())
