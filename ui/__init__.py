"""The Briefing desktop app (PySide6). Nothing outside `ui` imports it."""
