"""The decision: answer, clarify, action, smalltalk, fallback."""

from __future__ import annotations

import pytest

from spravka.ask.answer import answer
from spravka.ask.index import get_index


@pytest.fixture(scope="module")
def index():
    return get_index()


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("как зарегистрироваться в личном кабинете", "lk-registration"),
        ("ГДЕ НАЙТИ НОМЕР ЛИЦЕВОГО СЧЁТА", "account-number-where"),
        ("подскажите пожалуйста как подключить автоплатеж", "payment-autopay"),
        ("rfr gjlrk.xbnm fdnjgkfn`;", "payment-autopay"),  # "как подключить автоплатёж", wrong layout
        ("kak podklyuchit avtoplatezh", "payment-autopay"),  # translit
        ("потерялась квитанцыя, где взять копию", "bill-not-received"),  # typo
    ],
)
def test_answers_with_the_article(index, question, article) -> None:
    reply = answer(question, index)
    assert reply.kind == "answer", reply
    assert reply.article is not None and reply.article.id == article
    assert reply.text and "{{" not in reply.text


@pytest.mark.parametrize(
    ("question", "action"),
    [
        ("хочу сдать показания прямо сейчас", "submit-readings"),
        ("показания т1 15320 т2 7110", "submit-readings"),
        ("переключите на оператора", "operator"),
        ("сколько я должен на сегодня", "personal"),
        ("проверьте долг по счету 000000000001", "personal"),
        ("123456789012 сколько я должен", "personal"),
        ("почему мне насчитали 4200 в марте", "personal"),
        ("показания т1 2015 т2 1020", "submit-readings"),
        ("день 12345 ночь 5432", "submit-readings"),  # a year's digits, but no year word: readings
        ("в 2024 году мне насчитали 4200", "personal"),  # the year is not the sum, 4200 is
        ("почему мне начислили 5600 рублей", "personal"),  # a sum of money is still one's own sum
        ("показания 12345, а начислили 3000 рублей", "submit-readings"),  # the reading is typed in beside it
    ],
)
def test_actions(index, question, action) -> None:
    reply = answer(question, index)
    assert (reply.kind, reply.action) == ("action", action)
    assert reply.article is None


@pytest.mark.parametrize(
    "question",
    [
        "Живу в этой квартире с 2015 года. Почему мне начислили за свет по нормативу?",
        "Показания передаю с 2019 г. каждый месяц, куда теперь их передавать после смены компании?",
        "Не могу передать показания через сайт, выдаёт ошибку. Мой телефон 8-913-123-45-67, перезвоните.",
        "Почему показания не приняли? Передавала 25 числа. Тел. +7 913 123 45 67",
        "Мне начислили долг, хотя я всё оплатила. Квитанцию прилагаю, мой телефон 89131234567.",
        "Прошу проверить начисление за октябрь. Показания я передавал вовремя: 12345, но в квитанции расчёт "
        "по среднему.",
        "Показания 4521 передала ещё десятого, а в квитанции их нет, объясните",
        # A sum of money beside a readings word is not a reading typed in.
        "Показания передаю каждый месяц, они не меняются. Однако каждый месяц начисляют около 300 рублей за ОДН. "
        "На каком основании, если в квартире никто не живёт?",
    ],
)
def test_a_year_or_a_phone_is_not_a_reading_or_a_sum(index, question) -> None:
    """«с 2015 года» or a phone number once made the question a sum of one's own (the personal account)
    or a reading typed in; so did readings a letter tells of («передавал вовремя: 12345») and asks about."""
    reply = answer(question, index)
    assert reply.kind != "action", reply


@pytest.mark.parametrize(
    ("question", "article"),
    [
        (
            "Я, Петрова Анна Сергеевна, лицевой счёт 123456789012. Третий день в квартире нет горячей воды. "
            "Прошу сообщить, когда её включат.",
            "hot-water-outage",
        ),
        (
            "Здравствуйте! Мой лицевой счет 123456789012. Как передать показания через личный кабинет?",
            "readings-how-to-submit",
        ),
    ],
)
def test_an_account_number_does_not_hide_a_plain_question(index, question, article) -> None:
    """Letters give their account number; what they ask about our articles is answered with the article, or
    offered first in a choice when the calibration is not sure enough to answer, never with the personal
    account's reply. Only a question the model finds no likely article for («123456789012 сколько я должен»)
    goes to the personal account (test_actions)."""
    reply = answer(question, index)
    assert reply.kind in ("answer", "clarify"), reply
    first = reply.article if reply.kind == "answer" else reply.suggestions[0]
    assert first is not None and first.id == article, reply


@pytest.mark.parametrize(
    ("question", "article"),
    [
        (
            "здрасте, у меня такая ситуация: мама умерла полгода назад, квартира теперь моя, а счета приходят "
            "на её имя. что делать?",
            "account-owner-change",
        ),
        ("Обращаюсь повторно. До сих пор не поступил ответ по моему обращению о перерасчёте.", "appeal-submit"),
    ],
)
def test_one_likely_article_not_sure_enough_is_offered_not_dropped(index, question, article) -> None:
    """The model finds one article likely (LIKELY) and nothing out of scope, the calibration is not sure
    enough to answer: a choice that holds it, not «не знаю»."""
    reply = answer(question, index)
    if reply.kind == "answer":  # sure enough after all: then it must be the article
        assert reply.article is not None and reply.article.id == article
        return
    assert reply.kind == "clarify", reply
    assert article in [a.id for a in reply.suggestions]


@pytest.mark.parametrize("question", ["здравствуйте", "спасибо, всё понятно", "до свидания", "ты робот?"])
def test_smalltalk(index, question) -> None:
    reply = answer(question, index)
    assert reply.kind == "smalltalk"
    assert reply.article is None and reply.text


@pytest.mark.parametrize(
    "question",
    [
        "фывапролд ячсмить",
        "asdkjh qwpoeiru",
        "сколько стоит билет на самолёт до сочи",
        "как оплатить штраф гибдд",
        "утечка газа что делать",
        "не работает интернет второй день",
        "медицинские показания к операции",
    ],
)
def test_out_of_scope_gets_no_article(index, question) -> None:
    reply = answer(question, index)
    assert reply.kind == "fallback", reply
    assert reply.article is None and not reply.suggestions
    assert "8 800 000-00-00" in reply.text  # the way to a specialist


def test_clarify_offers_two_or_three_candidates(index) -> None:
    reply = answer("счетчик", index)
    assert reply.kind in ("clarify", "fallback")
    if reply.kind == "clarify":
        assert 2 <= len(reply.suggestions) <= 3
        assert reply.article is None


@pytest.mark.parametrize("question", ["долг", "откуда долг"])
def test_a_vague_question_in_our_words_gets_a_choice_not_a_refusal(index, question) -> None:
    """The out-of-scope class is the largest; when a word or two point to our articles at least as much,
    only its prior would say «не знаю». («долг» alone may also be the customer asking for their own
    debt: the personal account's reply, which says where to see it, is ours too.)"""
    reply = answer(question, index)
    if reply.kind == "action":
        assert reply.action == "personal", reply
        return
    assert reply.kind == "clarify", reply
    assert len(reply.suggestions) == 2 and all(not a.id.startswith("@") for a in reply.suggestions)


@pytest.mark.parametrize("question", ["ипотека", "кредит", "капремонт", "водоканал"])
def test_a_vague_question_naming_another_institution_still_gets_no_article(index, question) -> None:
    reply = answer(question, index)
    assert reply.kind == "fallback" and not reply.suggestions, reply


def test_story_around_the_question(index) -> None:
    question = (
        "добрый вечер. мы с мужем в сентябре купили квартиру у пожилой пары, квитанции всё ещё "
        "приходят на их фамилию. подскажите, как переоформить лицевой счёт на нового собственника"
    )
    reply = answer(question, index)
    assert reply.kind == "answer" and reply.article.id == "account-owner-change"


@pytest.mark.parametrize("question", ["как передать показания", "Как передать показания?", "rfr gthtlfnm gjrfpfybz"])
def test_an_article_title_asked_word_for_word_is_answered(index, question) -> None:
    # "Если не передать показания" shares every word but "как" ("не" is a stopword): a smaller lead suffices.
    reply = answer(question, index)
    assert reply.kind == "answer" and reply.article.id == "readings-how-to-submit"


def test_a_letter_is_read_by_the_sentence_that_asks(index) -> None:
    # Circumstances name other topics (an inheritance, the management company); the question is one sentence.
    from spravka.ask.answer import score
    from spravka.ask.normalise import analyse

    letter = (
        "Уважаемые сотрудники! Квартира перешла ко мне по наследству от отца, управляющая компания у дома новая. "
        "Подскажите, пожалуйста, до какого числа нужно передавать показания счётчика. С уважением, Петрова."
    )
    focused = score(analyse(letter, index.lexicon), index, letter)
    whole = score(analyse(letter, index.lexicon), index)
    assert focused[0][0] == "readings-deadline"
    assert focused[0][1] > dict(whole).get("readings-deadline", 0.0)  # the circumstances pull less
    reply = answer(letter, index)
    assert reply.kind != "answer" or reply.article.id == "readings-deadline", reply  # never another article


@pytest.mark.parametrize(
    ("letter", "asking"),
    [
        # «Прошу …» closes most letters («Прошу принять меры», «Ответ прошу направить письменно») and asks
        # nothing; the question is the sentence a request formula («хотелось бы узнать») introduces.
        (
            "Добрый день. Живу в этой квартире двадцать лет, раньше вопросов не было. "
            "Хотелось бы узнать, почему на электросчётчике погас экран. Прошу принять меры и ответить письменно.",
            [False, False, True, False],
        ),
        # «как» and «вопрос» also tell circumstances («пишу как наниматель», «вопрос до сих пор не решён»);
        # when a sentence asks plainly (a «?», «прошу разъяснить», «вопрос:»), it alone is the question.
        (
            "Пишу вам как наниматель муниципальной квартиры. В прошлом месяце обращалась в офис, вопрос до сих "
            "пор не решён. Прошу разъяснить, почему в квитанции начислены пени. Спасибо.",
            [False, False, True, False],
        ),
        # A short question that points back («за это», «его») asks about the sentence before it.
        (
            "Здравствуйте. В доме отключили горячую воду в июле на ремонт, обещали на две недели, а уже август. "
            "Кто за это отвечает и будет ли перерасчёт?",
            [False, True, True],
        ),
        # A question that names its own subject does not pull the story in, «это» or not.
        (
            "Живём в этом доме десять лет. Что это за строка ОДН в квитанции за электроэнергию и откуда она взялась?",
            [False, True],
        ),
        # Without a plain request the question words still mark the asking sentence.
        (
            "Квартиру снимаю второй год, хозяйка живёт в другом городе. Куда смотреть номер лицевого счёта.",
            [False, True],
        ),
    ],
)
def test_a_letter_is_read_by_the_sentence_that_asks_most_plainly(index, letter, asking) -> None:
    from spravka.ask.answer import CONTEXT_WEIGHT, _focused_parts

    parts = _focused_parts(letter, index)
    assert parts is not None
    assert [weight for _, _, weight in parts] == [1.0 if a else CONTEXT_WEIGHT for a in asking]


@pytest.mark.parametrize(
    ("sentence", "mark"),
    [
        ("У меня вопрос: куда передать показания", "STRONG"),
        ("Куда передать показания?", "STRONG"),
        ("Прошу разъяснить порядок перерасчёта", "STRONG"),
        ("Пишу вам как наниматель квартиры.", "WEAK"),
        ("Свет отключили вчера вечером.", None),
        # «что» after a comma joins a clause: it tells what someone said, it does not ask.
        ("Управляющая компания отвечает, что проблема у теплоснабжающей организации.", None),
        ("А что делать, если батареи холодные.", "WEAK"),
    ],
)
def test_how_plainly_a_sentence_asks(index, sentence, mark) -> None:
    from spravka.ask import answer as module
    from spravka.ask.normalise import analyse

    expected = getattr(module, mark) if mark else 0
    assert module.asking_mark(sentence, analyse(sentence, index.lexicon).words) == expected


def test_a_letter_that_retells_an_answer_is_read_by_its_complaint(index) -> None:
    # The management company's answer retold («отвечает, что …») is not the letter's question: read as a
    # whole, the letter is about cold radiators, not about who bills the house.
    letter = (
        "Здравствуйте! С 1 декабря в квартире очень холодно, батареи еле тёплые, в комнатах 16 градусов. "
        "Управляющая компания отвечает, что проблема у теплоснабжающей организации. "
        "Прошу разобраться и сделать перерасчёт за отопление."
    )
    reply = answer(letter, index)
    assert reply.kind == "answer" and reply.article.id == "heating-season"


@pytest.mark.parametrize("thanks", ["спасибо за ответ, вопрос закрыт", "спасибо за разъяснение"])
def test_a_request_formula_after_thanks_keeps_them_thanks(index, thanks) -> None:
    # «вопрос», «разъяснение» mark a letter's asking sentence, not a question after «спасибо за …».
    assert answer(thanks, index).kind == "smalltalk"


def test_a_first_choice_that_is_often_wrong_on_the_folds_needs_more_to_be_answered(index) -> None:
    from spravka.ask.answer import CALIBRATION, RELIABILITY_DEFAULT, confidence
    from spravka.ask.normalise import analyse

    analysis = analyse("как передать показания счётчика", index.lexicon)
    scored = [("readings-how-to-submit", 0.9), ("readings-deadline", 0.05)]
    assert CALIBRATION.reliability > 0  # the shipped calibration weighs it
    often_right = confidence(analysis, scored, CALIBRATION, {"readings-how-to-submit": 3.0, "*": 1.0})
    often_wrong = confidence(analysis, scored, CALIBRATION, {"readings-how-to-submit": -1.0, "*": 1.0})
    unlisted = confidence(analysis, scored, CALIBRATION, {"*": 1.0})  # an article the table lacks: "*"
    no_table = confidence(analysis, scored, CALIBRATION, {})
    assert often_wrong < unlisted < often_right <= 0.9
    assert no_table == confidence(analysis, scored, CALIBRATION, {"*": RELIABILITY_DEFAULT})


def test_the_index_reads_the_reliability_table_beside_it(tmp_path) -> None:
    import json
    import shutil

    from spravka.ask.index import load_index
    from spravka.paths import INDEX_PATH, RELIABILITY_FILE

    copy = tmp_path / "index.json"
    shutil.copy(INDEX_PATH, copy)
    assert load_index(copy).reliability == {}
    (tmp_path / RELIABILITY_FILE).write_text(json.dumps({"*": 1.2, "payment-autopay": 2.5}), encoding="utf-8")
    assert load_index(copy).reliability == {"*": 1.2, "payment-autopay": 2.5}


@pytest.mark.parametrize(
    "question",
    ["спасибо за помощь", "большое спасибо за консультацию", "благодарю за быстрый ответ", "спасибо, не надо"],
)
def test_thanks_for_something_is_thanks(index, question) -> None:
    reply = answer(question, index)
    assert reply.kind == "smalltalk" and reply.text.startswith("Пожалуйста"), reply


@pytest.mark.parametrize("question", ["спасибо, но не помогло", "не помогли, спасибо"])
def test_thanks_that_did_not_help_is_not_answered_with_you_are_welcome(index, question) -> None:
    reply = answer(question, index)
    assert reply.kind == "fallback", reply  # the way to a specialist, not «Пожалуйста!»


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("спасибо, а за что пени", "debt-penalty"),
        ("спасибо за помощь, а как передать показания", "readings-how-to-submit"),
    ],
)
def test_a_question_after_thanks_is_answered(index, question, article) -> None:
    reply = answer(question, index)
    assert reply.kind == "answer" and reply.article is not None and reply.article.id == article, reply


def test_help_alone_is_not_thanks(index) -> None:
    assert answer("помощь", index).kind != "smalltalk"


@pytest.mark.parametrize(
    "signature",
    ["Я, Петрова Анна Сергеевна, прошу ответить.", "С уважением, Иванов И. И.", "Пишет вам Сидоров Пётр Ильич."],
)
def test_the_name_a_letter_is_signed_with_is_not_read(index, signature) -> None:
    # A writer's name is words the knowledge never uses: counted as unknown they made a clear letter look
    # unsure, and «Петрова» was «corrected» to «петровка».
    from spravka.ask.answer import read

    question = "Третий день в квартире нет горячей воды, когда включат?"
    _, signed, _ = read(f"{question} {signature}", index)
    names = {"петрова", "петровка", "анна", "сергеевна", "иванов", "и", "сидоров", "пётр", "петр", "ильич"}
    assert not names & set(signed.words) and not signed.corrected
    assert set(signed.stems) >= set(read(question, index)[1].stems)


@pytest.mark.parametrize(
    "question",
    [
        "отопление по приложению 2 к правилам 354",
        "приложение 2 правил 354 отопление",
    ],
)
def test_an_appendix_of_the_rules_is_not_the_mobile_app(index, question) -> None:
    # «Приложение № 2 к Правилам» is a part of the document a letter cites (answer._APPENDIX), not the app.
    reply = answer(question, index)
    ids = [reply.article.id] if reply.article else [s.id for s in reply.suggestions]
    assert "mobile-app" not in ids, reply
    assert "heating-billing" in ids, reply


@pytest.mark.parametrize("question", ["не работает приложение", "приложение не открывается на телефоне"])
def test_the_app_is_still_the_app(index, question) -> None:
    reply = answer(question, index)
    assert reply.kind == "answer" and reply.article is not None and reply.article.id == "mobile-app", reply
