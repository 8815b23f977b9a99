"""Open Space: the topics, the wall of slots and spaces, attendance, reports and the dot vote."""
