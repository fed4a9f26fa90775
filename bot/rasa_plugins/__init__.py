"""What Rasa loads: NLU components, the REST channel, the tracker store stack, the lock store
and the speed-ups. Every private part of Rasa or Sanic they use is listed in one module."""
