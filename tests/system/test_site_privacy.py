"""The help site as a visitor's browser sees it: nothing leaves the site's origin (no fonts, no
trackers), the footer is Russian, and axe-core finds no serious or critical accessibility problem."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser import Served
from tests.system.test_widget import ask, expect, last_reply, open_widget

pytestmark = pytest.mark.browser

PAGES = ["", "payment/payment-methods/", "heat/hot-water-outage/", "service/personal-data/", "appeals/"]


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.mark.parametrize("path", PAGES, ids=[p or "home" for p in PAGES])
def test_no_request_leaves_the_site(page: Any, served: Served, path: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(served.url + path)
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Помощь").click()  # the widget's own calls go to /api/ of the same origin
    page.wait_for_load_state("networkidle")
    own = origin(served.url)
    outside = [url for url in requested if not url.startswith("data:") and origin(url) != own]
    assert requested and outside == []


def test_the_footer_names_the_company_and_the_personal_data_page(page: Any, served: Served) -> None:
    page.goto(served.url + "payment/payment-methods/")
    footer = page.locator("footer")
    expect(footer).to_contain_text("АО «Городской энергосбыт»")
    expect(footer).not_to_contain_text("Made with")
    footer.get_by_role("link", name="Обработка персональных данных").click()
    page.wait_for_url(served.url + "service/personal-data/")
    expect(page.locator("h1")).to_be_visible()
    assert page.title().endswith("Справка Горэнергосбыта")


def serious(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now: `rule: target`."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']}: {node['target']}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
        for node in violation["nodes"]
    ]


@pytest.mark.parametrize("path", ["", "payment/payment-methods/"], ids=["home", "article"])
def test_pages_pass_axe(page: Any, served: Served, path: str) -> None:
    page.goto(served.url + path)
    found = serious(page)
    assert found == [], "\n".join(found)


def test_the_widget_with_an_answer_passes_axe(page: Any, served: Served) -> None:
    dialog = open_widget(page, served.url + "payment/payment-methods/")
    ask(dialog, "как оплатить электроэнергию")
    expect(last_reply(dialog)).to_contain_text("Способы оплаты")
    found = serious(page)
    assert found == [], "\n".join(found)


def test_the_help_button_passes_axe(page: Any, served: Served) -> None:
    page.goto(served.url + "payment/payment-methods/")
    expect(page.get_by_role("button", name="Помощь")).to_be_visible()
    found = serious(page)
    assert found == [], "\n".join(found)
