"""The PySide6 desktop application (the only Qt user)."""
