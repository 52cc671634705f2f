"""Headless command line; never imports the ui layer."""
