"""Wiring the guide, statements, feedback and report into the gateway: ``setup_service``."""

from __future__ import annotations

from sanic import Sanic

from bot.guidance.content import load_content
from bot.operations.insight import InsightStore
from bot.web.config import GatewayConfig
from bot.web.service.admin import create_admin_blueprint
from bot.web.service.feedback import create_feedback_blueprint
from bot.web.service.settings import ServiceSettings
from bot.web.service.views import create_service_blueprint


def setup_service(
    app: Sanic, config: GatewayConfig, settings: ServiceSettings | None = None
) -> None:
    """Keep the insight store on ``app.ctx.insight`` and add the routes."""
    settings = settings or getattr(app.ctx, "service_settings", None) or ServiceSettings.from_env()
    store = InsightStore(settings.feedback_store, settings.feedback_retention_days)
    app.ctx.service_settings = settings
    app.ctx.insight = store
    app.blueprint(create_service_blueprint(load_content, settings, store))
    app.blueprint(create_feedback_blueprint(config.secret, store, config.max_body_bytes))
    app.blueprint(
        create_admin_blueprint(
            settings.admin_report_token, settings.tracker_db, settings.feedback_store
        )
    )
