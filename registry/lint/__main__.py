"""`python -m registry.lint [--check] docs/rules.md`: write (or check) the rule catalogue page."""

import sys

from registry.lint.catalogue import main

sys.exit(main(sys.argv[1:]))
