"""A bare Flask endpoint that answers 200: the yardstick for the webhook benchmark."""

from flask import Flask


def create_app() -> Flask:
    """Return an app whose /callback does nothing but answer OK."""
    app = Flask(__name__)

    @app.post("/callback")
    def callback():
        return "OK"

    return app
