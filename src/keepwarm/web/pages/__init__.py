"""Server-rendered pages (not part of the OpenAPI document; the JSON API is)."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    """Every page router."""
    from keepwarm.web.pages import (
        auth,
        capture,
        feeds,
        imports,
        insights,
        library,
        people,
        person,
        settings,
        today,
    )

    return [auth.router, today.router, people.router, person.router, insights.router, imports.router,
            settings.router, library.router, capture.router, feeds.router]
