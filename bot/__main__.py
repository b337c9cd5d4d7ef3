"""`python -m bot` is the `tiepdan` command."""

import sys

from bot.cli import main

sys.exit(main())
