"""The live day: rounds and their timers, notes and the facilitation modes, the board, the console and the phone."""
