"""Curation: the facilitator's sections and themes, notes grouped into them for the results."""
