"""The preliminary results: the workshop read into the synthesis, the exports, the secretariat's page, the purge."""
