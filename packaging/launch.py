"""PyInstaller entry script: the bundled `threatcanvas` executable."""

import sys

from app.main import main

if __name__ == "__main__":
    sys.exit(main())
