"""`python -m app` behaves like the `threatcanvas` command."""

import sys

from app.main import main

sys.exit(main())
