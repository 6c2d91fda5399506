"""The API with the workbench in front: the page at `/`, its assets, sign-in, and `/docs` offline."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.routing import Route

from casegraph.api.app import create_app, install_shedding
from casegraph.errors import ConfigError
from casegraph.settings import Settings, load_settings
from casegraph.web import routes
from casegraph.web.session_middleware import SessionCredentials
from casegraph.web.sessions import SessionStore

# FastAPI's own documentation pages load Swagger UI from a CDN; the workbench serves its own copy.
_CDN_PAGES = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})


def create_web_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    app = create_app(settings, shedding=False)
    app.router.routes[:] = [r for r in app.router.routes if not (isinstance(r, Route) and r.path in _CDN_PAGES)]
    app.state.web_sessions = SessionStore(settings.neo4j_database, settings.web_session_idle_s,
                                          settings.api_key_cache_s)
    app.include_router(routes.router)
    if not routes.VENDOR.is_dir():
        raise ConfigError(f"the workbench's front-end packages are missing ({routes.VENDOR}): run `make web-assets`")
    app.mount("/static/vendor", StaticFiles(directory=routes.VENDOR), name="vendor")
    app.mount("/static", StaticFiles(directory=routes.STATIC), name="static")
    # Outermost: turns the session cookie into the API's credentials before anything else runs.
    app.add_middleware(SessionCredentials, sessions=app.state.web_sessions)
    # ... but for shedding: a call past the bound costs no session lookup in Neo4j.
    install_shedding(app, settings)
    return app
