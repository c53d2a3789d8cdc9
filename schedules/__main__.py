"""`python -m schedules`: run the clock process.

This entry point is a composition root: the real sender lives in bot/ (the only package that knows
LINE), so it is imported here and nowhere else in schedules/.
"""

import sys

from bot.clock_main import main

if __name__ == "__main__":
    sys.exit(main())
