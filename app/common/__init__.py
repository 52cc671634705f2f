"""Small standard-library helpers that several layers share (no third-party imports)."""
