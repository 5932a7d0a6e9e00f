"""Analysis: issue kinds, win-win potential, the frontier, bargaining zone and solution points, the pyramid."""
