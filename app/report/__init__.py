"""Reports: the `Report` value (build.py), the PDF (pdf.py) and CSV/JSON/SARIF exports.

The only reportlab user. Kept free of imports here so that `from app.report import sarif`
(the engine CLI's SARIF hook) does not load reportlab.
"""
