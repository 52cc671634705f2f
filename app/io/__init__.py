"""Import and export of model files (YAML model format, foreign tool formats).

Submodules are imported on demand so that reading one format never loads the others.
"""
