"""Every door: the guide without chat, a human route, statements, feedback and the report."""
