"""Benchmark of the assistant against a stock ``rasa init`` bot (``python -m bench.run``)."""
