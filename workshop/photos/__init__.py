"""Photos of flip charts and walls: upload, checks, gallery."""
