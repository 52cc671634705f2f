"""ThreatCanvas: data-flow-diagram threat modeling for AI/ML systems."""

__version__ = "0.1.0"
