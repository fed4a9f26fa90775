"""Security headers on every response and CORS limited to the configured council origins."""

from __future__ import annotations

from urllib.parse import urlsplit

from sanic import Request, Sanic
from sanic.response import HTTPResponse, empty, html, json

from bot.web.config import GatewayConfig
from bot.web.formtokens import TOKEN, FormTokens
from bot.web.render import message_page

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


def origin_allowed(request: Request, config: GatewayConfig) -> bool:
    """True if there is no Origin header, or it is one of ours (``PUBLIC_ORIGINS``, never the
    Host header, which a rebinding page controls) or on the allow-list (``ALLOWED_ORIGINS``)."""
    origin = (request.headers.get("origin") or "").rstrip("/")
    if not origin:
        return True
    return origin in config.own_origins or origin in config.allowed_origins


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def form_post_allowed(request: Request, config: GatewayConfig, tokens: FormTokens) -> bool:
    """A page's form post is ours if its Origin, or else its Referer, is one of our origins;
    with neither (or ``Origin: null``), only a valid hidden-field token lets it through."""
    origin = (request.headers.get("origin") or "").rstrip("/")
    if origin and origin != "null":
        return origin in config.own_origins
    referer = request.headers.get("referer") or ""
    if referer:
        return _origin_of(referer) in config.own_origins
    return tokens.valid(TOKEN.read(request.form), request.path)


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
    tokens = app.ctx.form_tokens

    @app.on_request
    async def cors_gate(request: Request) -> HTTPResponse | None:
        return refuse_request(request, config, tokens)

    @app.on_response
    async def add_headers(request: Request, response: HTTPResponse) -> None:
        add_form_tokens(request, response, tokens)
        add_response_headers(request, response, config, headers)


def refuse_request(
    request: Request, config: GatewayConfig, tokens: FormTokens
) -> HTTPResponse | None:
    """The refusal for a request from somewhere it may not come from, else None.

    A page's form post must be ours (:func:`form_post_allowed`); the API answers only
    allowed origins, pre-flight included.
    """
    if not request.path.startswith(CORS_PATHS):
        if request.method == "POST" and not form_post_allowed(request, config, tokens):
            body = message_page(
                "This form could not be sent",
                ["It may have been open for a long time, or sent from another site. Go "
                 "back, reload the page and try again."],
                [("/", "Home")],
            )
            return html(body, status=403)
        return None
    allowed = origin_allowed(request, config)
    if request.method == "OPTIONS":
        return empty(status=204 if allowed else 403)
    if not allowed:
        return json({"error": "This origin is not allowed to use the assistant."}, 403)
    return None


def add_form_tokens(request: Request, response: HTTPResponse, tokens: FormTokens) -> None:
    """Give every form that posts, on an HTML page, its hidden token."""
    ctype = response.content_type or ""
    if ctype.startswith("text/html") and response.body and b'method="post"' in response.body:
        page = tokens.add_tokens(response.body.decode("utf-8"), request.path)
        response.body = page.encode("utf-8")


def add_response_headers(
    request: Request, response: HTTPResponse, config: GatewayConfig, headers: dict[str, str]
) -> None:
    """The security headers, CORS for allowed origins, and no caching or indexing where private."""
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
