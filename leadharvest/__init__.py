"""LeadHarvest: collect, deduplicate and grade prospect businesses from the web."""

__version__ = "0.1.0"
