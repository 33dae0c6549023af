"""``python -m llmtco``."""

import sys

from llmtco.cli import main

sys.exit(main())
