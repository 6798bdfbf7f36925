"""`ask` as deployed, for the evaluation: the entry point served by functions-framework, in this process."""

from __future__ import annotations

from typing import Any


def make_http_ask() -> Any:
    """`ask` as deployed: the entry point served by functions-framework, called over its test client."""
    import functions_framework

    from spravka.paths import PACKAGE_DIR
    from spravka.questions.recorder import paused

    client = functions_framework.create_app("ask", str(PACKAGE_DIR.parent / "main.py")).test_client()

    def ask(question: str) -> Any:
        with paused():  # an evaluation is not customers asking: keep it out of the question log
            response = client.post("/", json={"q": question})
        if response.status_code != 200:
            return {"kind": f"http-{response.status_code}", "article": None, "suggestions": [], "action": None}
        return response.get_json()

    return ask
