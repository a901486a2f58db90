"""Answering without a connection: the web app manifest and the service worker, both served from
this origin (the worker at the root, so its scope covers the public answering links)."""

import json
from pathlib import Path

from flask import Response, url_for
from flask_babel import gettext as _

from . import bp

SERVICE_WORKER = Path(__file__).with_name("service_worker.js")


@bp.route("/sw.js")
def service_worker():
    response = Response(SERVICE_WORKER.read_text(encoding="utf-8"), mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"  # a new version is picked up at the next visit
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/manifest.webmanifest")
def manifest():
    body = {
        "name": _("Lắng nghe ý kiến"),
        "short_name": _("Lắng nghe"),
        "description": _("Tâm tư, nguyện vọng của cán bộ và nhân dân"),
        "lang": "vi",
        "start_url": url_for("main.home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f6f4",
        "theme_color": "#a5141b",
        "icons": [
            {
                "src": url_for("static", filename=f"icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
            }
            for size in (192, 512)
        ],
    }
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")
