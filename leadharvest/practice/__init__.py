"""The practice web: fictional businesses in real sites' markup, for the demo and classrooms."""
