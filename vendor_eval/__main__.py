"""``python -m vendor_eval``."""

import sys

from vendor_eval.cli import main

if __name__ == "__main__":
    sys.exit(main())
