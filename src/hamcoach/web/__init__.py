"""The clinic web app (issue 7): public pages and the free-trial sign-up, patients' and
clinicians' pages, video audits in the background. See docs/WEB.md.

- :func:`create_app` (``hamcoach.web.app``): the FastAPI application for a :class:`WebSettings`.
- :func:`seed_demo_web` (``hamcoach.web.seed``): the demo clinic, therapist and patients.
- ``hamcoach.web.auth``: ``current_user``, ``require_patient``, ``require_clinician``.
"""

from hamcoach.web.settings import WebSettings

__all__ = ["WebSettings", "create_app", "seed_demo_web"]


def __getattr__(name: str) -> object:
    # Lazy, so that importing hamcoach.web.auth (e.g. from the live router) stays light.
    if name == "create_app":
        from hamcoach.web.app import create_app

        return create_app
    if name == "seed_demo_web":
        from hamcoach.web.seed import seed_demo_web

        return seed_demo_web
    raise AttributeError(name)
