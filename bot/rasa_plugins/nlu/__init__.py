"""Custom Rasa NLU components for the assistant."""
