"""World Café: tables and hosts, moves between rounds, the seating plan, rosters and table cards."""
