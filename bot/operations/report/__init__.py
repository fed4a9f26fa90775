"""Insight for the service: what families ask, what the assistant missed, and feedback."""
