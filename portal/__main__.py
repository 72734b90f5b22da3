"""``python -m portal``: the same command line as build.py (and the ``minsheng`` command)."""

import sys

from portal.cli import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m portal"))
