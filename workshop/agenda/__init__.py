"""Preparing and adapting a workshop: its agenda (read and cached), the designer, the gallery and home page, keys."""
