"""The virtual reception as a customer uses it, in headless Chromium against the real `spravka serve`:
the offer in the chat, the form and its errors, the number and the deadlines, the status page."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.browser import REPO_DIR, Served
from tests.system.test_site_privacy import serious
from tests.system.test_widget import HELP_PAGE, ask, expect, last_reply, open_widget, widget_dialog

pytestmark = pytest.mark.browser

UNKNOWN_QUESTION = "фывапролджэ ячсмитьбю"  # nothing in the knowledge is like it: a fallback
KNOWN_QUESTION = "как оплатить электроэнергию"
MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
          "ноября", "декабря")  # fmt: skip
NUMBER = re.compile(r"\d{4}-[0-9A-Z]{4}-[0-9A-Z]{2}")
COMPANY_ZONE = ZoneInfo("Europe/Moscow")  # the widget's default, as the functions' SPRAVKA_TIMEZONE


@pytest.fixture(autouse=True)
def _expect_timeout() -> None:
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=10_000)


def categories(page: Any, served: Served) -> list[dict[str, Any]]:
    response = page.request.get(served.url + "api/appeals/categories")
    assert response.status == 200, response.text()
    return list(response.json()["categories"])


def appeal_error(page: Any, served: Served, body: dict[str, Any]) -> str:
    """The Russian message the real function gives for this submission (the widget must show exactly it)."""
    response = page.request.post(
        served.url + "api/appeals", data=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    assert response.status == 400, response.text()
    return str(response.json()["error"]["message"])


def day_in_words(iso: str, year: int) -> str:
    """What the widget writes for a deadline: a date as it is, an instant on the company's clock."""
    if "T" in iso:
        day = datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(COMPANY_ZONE).date()
    else:
        day = datetime.date.fromisoformat(iso)
    return f"{day.day} {MONTHS[day.month - 1]}" + (f" {day.year}" if day.year != year else "")


def moment_in_words(iso: str) -> str:
    """A history entry's time as the widget writes it: «3 декабря 2026, 16:52» on the company's clock."""
    moment = datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(COMPANY_ZONE)
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M}"


def deadlines_in_words(appeal: dict[str, Any]) -> str:
    registered = datetime.datetime.fromisoformat(appeal["registered_at"].replace("Z", "+00:00"))
    year = registered.astimezone(COMPANY_ZONE).year
    deadlines = appeal["deadlines"]
    return (
        f"Рассмотрим до {day_in_words(deadlines['review_by'], year)}, "
        f"ответим до {day_in_words(deadlines['decision_by'], year)}."
    )


def appeal_form(dialog: Any) -> Any:
    return dialog.get_by_role("form", name="Обращение в виртуальную приёмную")


def fill_contact_and_consent(form: Any, category: str, email: str = "ivanova@example.ru") -> None:
    form.get_by_label("Тема обращения").select_option(label=category)
    form.get_by_label("E-mail").fill(email)
    form.get_by_label("Согласен на обработку персональных данных").check()


def spravka(served: Served, *args: str) -> str:
    """The staff's command line on the store of the running `spravka serve` (tests/browser.py start_serve)."""
    data = served.log_path.parent / "data"
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_DIR / "functions"),
        "SPRAVKA_DATA_DIR": str(data),
        "READINGS_STORE": f"sqlite:///{data / 'readings.sqlite3'}",
    }
    command = [sys.executable, "-c", "import sys; from spravka_tools.cli import main; sys.exit(main())", *args]
    result = subprocess.run(command, cwd=REPO_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_fallback_offers_an_appeal_that_is_sent_with_the_question_and_shows_the_number_and_deadlines(
    page: Any, served: Served, artifacts_dir: Path
) -> None:
    title = categories(page, served)[0]["title"]
    dialog = open_widget(page, served.url + HELP_PAGE)
    with page.expect_response(re.compile(r"/api/ask$")) as asked:
        ask(dialog, UNKNOWN_QUESTION)
    reply = asked.value.json()
    assert reply["kind"] == "fallback"
    last_reply(dialog).get_by_role("button", name="Написать обращение").click()

    form = appeal_form(dialog)
    expect(form.get_by_label("Тема обращения")).to_be_focused()
    expect(form.get_by_label("Текст обращения")).to_have_value(UNKNOWN_QUESTION)
    expect(dialog.get_by_label("Ваш вопрос")).to_be_hidden()  # the form takes the question field's room
    expect(form.get_by_role("link", name="Как мы обрабатываем персональные данные")).to_have_attribute(
        "href", served.url + "service/personal-data/"
    )
    fill_contact_and_consent(form, title)
    with page.expect_response(re.compile(r"/api/appeals$")) as sent:
        form.get_by_role("button", name="Отправить обращение").click()
    assert sent.value.status == 201
    appeal = sent.value.json()
    posted = json.loads(sent.value.request.post_data)
    assert posted["question_id"] == reply["question_id"] and posted["text"] == UNKNOWN_QUESTION
    assert posted["contact"] == {"email": "ivanova@example.ru"} and posted["consent"] is True

    expect(form).to_have_count(0)  # folded away, like the readings form
    receipt = last_reply(dialog)
    expect(receipt).to_be_focused()
    expect(receipt).to_contain_text("Обращение зарегистрировано.")
    expect(receipt).to_contain_text(f"Номер обращения: {appeal['number']}")
    assert NUMBER.fullmatch(appeal["number"])
    expect(receipt).to_contain_text(deadlines_in_words(appeal))
    expect(receipt).to_contain_text(f"Код доступа: {appeal['secret']}")
    expect(receipt.get_by_role("link", name="Страница обращения")).to_have_attribute(
        "href", f"{served.url}appeals/status/#{appeal['number']}.{appeal['secret']}"
    )
    expect(dialog.get_by_label("Ваш вопрос")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "widget-appeal-receipt.png"))
    found = serious(page)
    assert found == [], "\n".join(found)

    # The receipt survives navigation; the status link opens the status page without a query string.
    page.reload()
    expect(last_reply(widget_dialog(page))).to_contain_text(appeal["number"])
    last_reply(widget_dialog(page)).get_by_role("link", name="Страница обращения").click()
    page.wait_for_url(re.compile(r"/appeals/status/#"))
    status = page.locator("[data-spravka-appeals=status]")
    expect(status).to_contain_text("Статус: Зарегистрировано")
    expect(status).to_contain_text(title)
    assert appeal["secret"] not in served.log_path.read_text(encoding="utf-8")


def test_a_no_on_was_it_helpful_and_the_personal_and_operator_replies_offer_an_appeal(
    page: Any, served: Served
) -> None:
    dialog = open_widget(page, served.url + HELP_PAGE)
    ask(dialog, KNOWN_QUESTION)
    reply = last_reply(dialog)
    reply.get_by_role("button", name="Нет").click()
    expect(reply).to_contain_text("Можно и написать обращение")
    reply.get_by_role("button", name="Написать обращение").click()
    expect(appeal_form(dialog).get_by_label("Текст обращения")).to_have_value(KNOWN_QUESTION)
    appeal_form(dialog).get_by_role("button", name="Закрыть форму обращения").click()
    expect(dialog.get_by_label("Ваш вопрос")).to_be_focused()

    for question, action in (("какой у меня долг", "personal"), ("позовите оператора", "operator")):
        with page.expect_response(re.compile(r"/api/ask$")) as asked:
            ask(dialog, question)
        assert asked.value.json()["action"] == action
        expect(last_reply(dialog).get_by_role("button", name="Написать обращение")).to_be_visible()


def test_field_errors_are_shown_next_to_the_field_in_russian(page: Any, served: Served) -> None:
    title = categories(page, served)[0]["title"]
    dialog = open_widget(page, served.url + HELP_PAGE)
    dialog.get_by_role("button", name="Написать обращение").click()  # the tools row, without a question
    form = appeal_form(dialog)
    form.get_by_role("button", name="Отправить обращение").click()
    category = form.get_by_label("Тема обращения")
    expect(category).to_be_focused()
    expect(category).to_have_attribute("aria-invalid", "true")
    expect(category).to_have_accessible_description(re.compile("Выберите тему обращения"))
    expect(form.get_by_label("Текст обращения")).to_have_accessible_description(re.compile("не меньше 10 символов"))
    expect(form.get_by_label("E-mail")).to_have_accessible_description(re.compile("Укажите e-mail или телефон"))
    expect(form.get_by_role("alert")).to_contain_text("Исправьте ошибки в форме")

    form.get_by_label("Текст обращения").fill("Квитанция за ноябрь пришла с ошибкой в адресе.")
    form.get_by_label("Лицевой счёт (необязательно)").fill("12345")
    fill_contact_and_consent(form, title, email="ivanova@example..ru")
    form.get_by_role("button", name="Отправить обращение").click()
    account = form.get_by_label("Лицевой счёт (необязательно)")
    expect(account).to_be_focused()
    expect(account).to_have_accessible_description(re.compile("12 цифр"))

    # What only the server catches: its own message, under the field it names.
    account.fill("")
    body = {
        "category": categories(page, served)[0]["id"],
        "text": "Квитанция за ноябрь пришла с ошибкой в адресе.",
        "contact": {"email": "ivanova@example..ru"},
        "consent": True,
    }
    message = appeal_error(page, served, body)
    form.get_by_role("button", name="Отправить обращение").click()
    email = form.get_by_label("E-mail")
    expect(email).to_be_focused()
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(re.compile(re.escape(message)))
    found = serious(page)
    assert found == [], "\n".join(found)


def test_topics_that_arrive_after_a_send_keep_the_error_and_the_draft(page: Any, served: Served) -> None:
    """On a slow line the list of topics comes after «Отправить»: the field's error stays until a topic is chosen."""
    held: list[Any] = []
    page.route(re.compile(r".*/api/appeals/categories$"), lambda route: held.append(route))  # answered late
    dialog = open_widget(page, served.url + HELP_PAGE)
    dialog.get_by_role("button", name="Написать обращение").click()
    form = appeal_form(dialog)
    form.get_by_label("Текст обращения").fill("Квитанция за ноябрь пришла с ошибкой в адресе.")
    form.get_by_role("button", name="Отправить обращение").click()
    category = form.get_by_label("Тема обращения")
    expect(category).to_have_accessible_description(re.compile("Выберите тему обращения"))
    for _ in range(200):  # until the request reaches the route (Playwright dispatches it while waiting)
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the widget never asked for the topics"
    held[0].continue_()
    expect(category.locator("option")).not_to_have_count(1)  # the topics are in
    expect(category).to_have_attribute("aria-invalid", "true")
    expect(category).to_have_accessible_description(re.compile("Выберите тему обращения"))
    expect(form.get_by_label("Текст обращения")).to_have_value("Квитанция за ноябрь пришла с ошибкой в адресе.")


def test_the_status_page_reads_the_fragment_and_shows_the_status_history_and_answer(
    page: Any, served: Served, artifacts_dir: Path
) -> None:
    category = categories(page, served)[0]
    response = page.request.post(
        served.url + "api/appeals",
        data=json.dumps(
            {
                "category": category["id"],
                "text": "Прошу пересчитать начисления за октябрь: показания передавал вовремя.",
                "contact": {"phone": "+7 900 123-45-67"},
                "consent": True,
            }
        ),
        headers={"Content-Type": "application/json"},
    )
    assert response.status == 201, response.text()
    appeal = response.json()
    spravka(served, "appeals", "set-status", appeal["number"], "in_review", "--note", "Передано в отдел расчётов")
    answer_file = served.log_path.parent / f"answer-{appeal['number']}.txt"
    answer_file.write_text(
        "Начисления пересчитаны, сумма уменьшена.\nПерерасчёт будет в декабрьской квитанции.\n", encoding="utf-8"
    )
    spravka(served, "appeals", "answer", appeal["number"], "--text", str(answer_file))
    history = page.request.post(
        served.url + "api/appeals/status",
        data=json.dumps({"number": appeal["number"], "secret": appeal["secret"]}),
        headers={"Content-Type": "application/json"},
    ).json()["history"]

    page.goto(f"{served.url}appeals/status/#{appeal['number']}.{appeal['secret']}")
    status = page.locator("[data-spravka-appeals=status]")
    expect(status).to_contain_text("Статус: Дан ответ")
    expect(status.locator(".spw-answer")).to_have_text(
        "Начисления пересчитаны, сумма уменьшена.\nПерерасчёт будет в декабрьской квитанции."
    )
    expect(status).to_contain_text(f"{moment_in_words(history[1]['at'])} — На рассмотрении. Передано в отдел расчётов")
    expect(status).to_contain_text(f"Тема: {category['title']}")
    expect(status.get_by_role("listitem")).to_have_count(3)  # registered, in review, answered
    page.screenshot(path=str(artifacts_dir / "appeal-status-page.png"), full_page=True)
    found = serious(page)
    assert found == [], "\n".join(found)

    # A wrong code: the same message as for a wrong number, and the form to try again.
    page.get_by_role("button", name="Проверить другое обращение").click()
    expect(page.get_by_label("Номер обращения")).to_be_focused()
    page.get_by_label("Номер обращения").fill(appeal["number"])
    page.get_by_label("Код доступа").fill("A" * 22)
    page.get_by_role("button", name="Проверить", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Обращение не найдено")
    assert appeal["secret"] not in served.log_path.read_text(encoding="utf-8")


def test_keyboard_only_from_a_fallback_to_the_number(page: Any, served: Served) -> None:
    title = categories(page, served)[0]["title"]
    page.goto(served.url + HELP_PAGE)
    page.get_by_role("button", name="Помощь").focus()
    page.keyboard.press("Enter")
    page.keyboard.type(UNKNOWN_QUESTION)
    page.keyboard.press("Enter")
    dialog = widget_dialog(page)
    offer = last_reply(dialog).get_by_role("button", name="Написать обращение")
    expect(offer).to_be_visible()
    page.keyboard.press("Shift+Tab")  # from the question field back over the hotline's link to the offer
    page.keyboard.press("Shift+Tab")
    expect(offer).to_be_focused()
    page.keyboard.press("Enter")
    form = appeal_form(dialog)
    expect(form.get_by_label("Тема обращения")).to_be_focused()
    form.get_by_label("Тема обращения").select_option(label=title)  # a select's own keys differ by platform
    page.keyboard.press("Tab")
    expect(form.get_by_label("Текст обращения")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.type("ivanova@example.ru")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(form.get_by_label("Лицевой счёт (необязательно)")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(form.get_by_label("Согласен на обработку персональных данных")).to_be_checked()
    page.keyboard.press("Tab")
    expect(form.get_by_role("link", name="Как мы обрабатываем персональные данные")).to_be_focused()
    page.keyboard.press("Tab")
    expect(form.get_by_role("button", name="Отправить обращение")).to_be_focused()
    with page.expect_response(re.compile(r"/api/appeals$")) as sent:
        page.keyboard.press("Enter")
    appeal = sent.value.json()
    expect(last_reply(dialog)).to_be_focused()
    expect(last_reply(dialog)).to_contain_text("Обращение зарегистрировано.")

    # «Проверить обращение» from the tools row: the number as people type it, the code, Enter.
    dialog.get_by_role("button", name="Проверить обращение").focus()
    page.keyboard.press("Enter")
    expect(dialog.get_by_label("Номер обращения")).to_be_focused()
    page.keyboard.type(appeal["number"].lower().replace("-", " "))
    page.keyboard.press("Tab")
    page.keyboard.type(appeal["secret"])
    page.keyboard.press("Enter")
    status = last_reply(dialog)
    expect(status).to_be_focused()
    expect(status).to_contain_text(f"Обращение № {appeal['number']}")
    expect(status).to_contain_text("Статус: Зарегистрировано")
    expect(status).to_contain_text(deadlines_in_words(appeal))
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Помощь")).to_be_focused()


def test_a_lost_answer_is_sent_again_with_the_same_key_and_gives_the_same_appeal(page: Any, served: Served) -> None:
    title = categories(page, served)[0]["title"]
    keys: list[str] = []
    stored: list[dict[str, Any]] = []

    def lose_the_first_answer(route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        keys.append(json.loads(route.request.post_data)["idempotency_key"])
        if stored:
            route.continue_()
            return
        stored.append(route.fetch().json())  # the real function registers it; the answer is lost
        route.abort("connectionreset")

    page.route(re.compile(r".*/api/appeals$"), lose_the_first_answer)
    dialog = open_widget(page, served.url + HELP_PAGE)
    dialog.get_by_role("button", name="Написать обращение").click()
    form = appeal_form(dialog)
    form.get_by_label("Текст обращения").fill("Прошу проверить начисление за отопление в ноябре.")
    form.get_by_label("Телефон").fill("8 900 123-45-67")
    fill_contact_and_consent(form, title, email="")
    form.get_by_role("button", name="Отправить обращение").click()
    expect(form.get_by_role("alert")).to_contain_text("Нет связи с сервисом обращений")
    expect(form.get_by_label("Текст обращения")).to_have_value("Прошу проверить начисление за отопление в ноябре.")
    form.get_by_role("button", name="Отправить обращение").click()
    receipt = last_reply(dialog)
    expect(receipt).to_contain_text("Это обращение уже зарегистрировано.")
    expect(receipt).to_contain_text(f"Номер обращения: {stored[0]['number']}")
    assert len(keys) == 2 and keys[0] == keys[1]


def test_at_320px_the_form_and_the_reception_page_fit(browser: Any, served: Served, artifacts_dir: Path) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="ru-RU")
    try:
        page = context.new_page()
        title = categories(page, served)[0]["title"]
        dialog = open_widget(page, served.url + HELP_PAGE)
        ask(dialog, UNKNOWN_QUESTION)
        last_reply(dialog).get_by_role("button", name="Написать обращение").click()
        form = appeal_form(dialog)
        expect(form.get_by_label("Тема обращения")).to_be_focused()
        assert overflowing(dialog) == []
        for control in ("Тема обращения", "Текст обращения", "E-mail", "Телефон", "Лицевой счёт (необязательно)"):
            box = form.get_by_label(control).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 320, control
        page.screenshot(path=str(artifacts_dir / "widget-appeal-320px.png"))
        fill_contact_and_consent(form, title)
        form.get_by_role("button", name="Отправить обращение").click()
        expect(last_reply(dialog)).to_contain_text("Обращение зарегистрировано.")
        assert overflowing(dialog) == []

        # The reception page hosts the same form in the page itself (a new tab: the chat closed).
        page = context.new_page()
        page.goto(served.url + "appeals/")
        hosted = page.locator("[data-spravka-appeals=form]")
        expect(hosted.get_by_label("Тема обращения")).to_be_visible()
        assert overflowing(hosted) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        hosted.get_by_label("Текст обращения").fill("Не пришла квитанция за ноябрь, прошу прислать на почту.")
        fill_contact_and_consent(hosted, title)
        hosted.get_by_role("button", name="Отправить обращение").click()
        expect(hosted).to_contain_text("Обращение зарегистрировано.")
        expect(hosted.get_by_role("button", name="Написать ещё одно обращение")).to_be_visible()
        page.screenshot(path=str(artifacts_dir / "reception-page-320px.png"), full_page=True)
        found = serious(page)
        assert found == [], "\n".join(found)
    finally:
        context.close()


def overflowing(container: Any) -> list[str]:
    """Elements wider than their box (a horizontal scroll at this width), except the screen-reader-only ones."""
    return list(
        container.evaluate(
            "box => [...box.querySelectorAll('*:not(.spw-sr)')].filter(n => n.scrollWidth > n.clientWidth + 1"
            " && getComputedStyle(n).overflowX !== 'auto' && n.tagName !== 'SELECT').map(n => n.className || n.tagName)"
        )
    )
