"""Security headers on every response and CORS limited to the configured council origins."""

from __future__ import annotations

from sanic import Request, Sanic
from sanic.response import HTTPResponse, empty, json

from bot.web.config import GatewayConfig

CORS_PATHS = ("/api/",)  # cross-origin use is refused here unless allowed
# Allowed origins may also read the widget's files (its ES modules are fetched with CORS).
CORS_READABLE = ("/api/", "/widget.", "/widget/")


def content_security_policy(config: GatewayConfig) -> str:
    """A strict CSP: our own scripts and styles only, nothing inline."""
    connect = " ".join(("'self'", *config.allowed_origins))
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src {connect}; font-src 'self'; object-src 'none'; "
        f"frame-ancestors {config.frame_ancestors}; base-uri 'none'; form-action 'self'"
    )


def security_headers(config: GatewayConfig) -> dict[str, str]:
    """Headers added to every response, errors and static files included."""
    return {
        "Content-Security-Policy": content_security_policy(config),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def own_origin(request: Request) -> str:
    """The origin this request was made to, e.g. ``http://localhost:8000``."""
    return f"{request.scheme}://{request.host}"


def origin_allowed(request: Request, config: GatewayConfig) -> bool:
    """True if there is no Origin header, it is our own origin, or it is on the allow-list."""
    origin = request.headers.get("origin")
    if not origin:
        return True
    origin = origin.rstrip("/")
    return origin == own_origin(request) or origin in config.allowed_origins


def _cors_headers(origin: str) -> dict[str, str]:
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type",
        "Access-Control-Expose-Headers": "Retry-After, X-Chat-Sender",
        "Access-Control-Max-Age": "600",
    }


def setup_security(app: Sanic, config: GatewayConfig) -> None:
    """Install CORS pre-flight handling, cross-origin refusal and the security headers."""
    headers = security_headers(config)

    @app.on_request
    async def cors_gate(request: Request) -> HTTPResponse | None:
        if not request.path.startswith(CORS_PATHS):
            return None
        allowed = origin_allowed(request, config)
        if request.method == "OPTIONS":
            return empty(status=204 if allowed else 403)
        if not allowed:
            return json({"error": "This origin is not allowed to use the assistant."}, 403)
        return None

    @app.on_response
    async def add_headers(request: Request, response: HTTPResponse) -> None:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        origin = (request.headers.get("origin") or "").rstrip("/")
        if request.path.startswith(CORS_READABLE):
            response.headers["Vary"] = "Origin"  # caches keep CORS and plain copies apart
            if origin in config.allowed_origins:
                response.headers.update(_cors_headers(origin))
        if request.path.startswith(("/api/", "/referral/", "/health")):
            response.headers.setdefault("Cache-Control", "no-store")
        if request.path.startswith("/referral/"):
            response.headers.setdefault("X-Robots-Tag", "noindex, nofollow")
