"""Microsoft Threat Modeling Tool import: models (.tm7) and templates (.tb7), hardened."""

from app.io.tm7.model import read_tb7, read_tm7
from app.io.tm7.xmlsafe import MAX_BYTES, MAX_DEPTH, Tm7Error

__all__ = ["MAX_BYTES", "MAX_DEPTH", "Tm7Error", "read_tb7", "read_tm7"]
