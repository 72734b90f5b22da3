#!/usr/bin/env python3
"""民生实事进展公开 — build the livelihood-projects portal. See README.md."""

import sys

from portal.cli import main

if __name__ == "__main__":
    sys.exit(main())
