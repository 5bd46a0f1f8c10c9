"""Briefing: the Qt-free core (ingest, tagging, assembly, document model, renderers, CLI)."""

__version__ = "0.1.0"
