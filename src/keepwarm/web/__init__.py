"""The web app and JSON API. Importing this package builds nothing; call ``create_app(settings)``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

    from keepwarm.config import Settings


def create_app(settings: Settings, **options: Any) -> FastAPI:
    """The FastAPI application for ``settings`` (see ``keepwarm.web.app.create_app`` for options)."""
    from keepwarm.web.app import create_app as build

    return build(settings, **options)


__all__ = ["create_app"]
