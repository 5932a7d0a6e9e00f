"""The mediated negotiation web app (``accord serve``): FastAPI routes, Jinja2 pages, htmx; thin over the floors.

Build it with :func:`accord.web.app.create_app`; see docs/web.md.
"""
