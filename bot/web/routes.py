"""Module-level route handlers, bound to what they need through their route's ``ctx``.

A module lists its handlers in a :class:`RouteTable` (``@ROUTES.get(uri)`` above each one);
its blueprint factory makes one object with what the handlers need (settings, stores) and
calls :meth:`RouteTable.blueprint`; a handler finds the object with :func:`bound_to`.
Sanic hashes a route's ctx, so the object must be hashable (a frozen dataclass with
``eq=False`` is hashed as itself).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

Handler = Callable[..., Coroutine[Any, Any, HTTPResponse]]


class RouteTable:
    """The routes of one module's handlers, written next to them."""

    def __init__(self) -> None:
        self._routes: list[tuple[Handler, str, str, str | None]] = []

    def add(self, handler: Handler, uri: str, method: str, name: str | None = None) -> None:
        """One route; ``name`` when the handler serves more than one (else its own name)."""
        self._routes.append((handler, uri, method, name))

    def get(self, uri: str) -> Callable[[Handler], Handler]:
        """Decorator: the handler answers GET ``uri``."""
        return self._decorator(uri, "GET")

    def post(self, uri: str) -> Callable[[Handler], Handler]:
        """Decorator: the handler answers POST ``uri``."""
        return self._decorator(uri, "POST")

    def _decorator(self, uri: str, method: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.add(handler, uri, method)
            return handler

        return register

    def blueprint(self, name: str, bound: Any) -> Blueprint:
        """A new blueprint with every route, each with ``bound`` on its ctx."""
        bp = Blueprint(name)
        for handler, uri, method, route_name in self._routes:
            bp.add_route(handler, uri, methods=[method], name=route_name, ctx_bound=bound)
        return bp


def bound_to(request: Request) -> Any:
    """What the request's route was bound to by :meth:`RouteTable.blueprint`."""
    route = request.route
    if route is None:  # only before routing, which never reaches a handler
        raise LookupError("the request has no route yet")
    return route.ctx.bound
