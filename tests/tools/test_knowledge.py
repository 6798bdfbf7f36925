"""The knowledge base: editor checks on the shipped base and on broken copies, index freshness."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from spravka.paths import INDEX_PATH, KNOWLEDGE_DIR
from spravka_tools.cli import main as cli
from spravka_tools.knowledge.articles import load_articles
from spravka_tools.knowledge.build_index import build_index, dump_index
from spravka_tools.knowledge.checks import check_knowledge


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    """A copy of the shipped knowledge base to break."""
    return Path(shutil.copytree(KNOWLEDGE_DIR, tmp_path / "knowledge"))


def messages(knowledge: Path) -> list[str]:
    return [str(p) for p in check_knowledge(knowledge)]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_shipped_knowledge_passes(capsys) -> None:
    assert cli(["check-knowledge"]) == 0
    assert "в порядке" in capsys.readouterr().out


def test_every_topic_has_an_article_with_enough_questions() -> None:
    import yaml

    topics = yaml.safe_load((KNOWLEDGE_DIR / "topics.yml").read_text(encoding="utf-8"))["topics"]
    articles = {a.id: a for a in load_articles(KNOWLEDGE_DIR)}
    assert len(topics) == 71 and set(articles) == {t["id"] for t in topics}
    for topic in topics:
        article = articles[topic["id"]]
        assert article.path == Path(topic["section"]) / f"{topic['id']}.md"
        assert len(article.questions) >= 8
        sentences = article.short_answer.count(". ") + 1
        assert 2 <= sentences <= 6, article.id


def test_committed_index_is_fresh() -> None:
    # A bool, not `a == b`: pytest's diff of two 3 MB one-line strings runs for an hour.
    fresh = INDEX_PATH.read_text(encoding="utf-8") == dump_index(build_index(KNOWLEDGE_DIR))
    assert fresh, "the index is stale: run `spravka build-index`"


def test_missing_front_matter_field(knowledge: Path) -> None:
    edit(knowledge / "payment/payment-autopay.md", "title: Автоплатёж\n", "")
    assert any(m.startswith("payment/payment-autopay.md:1:") and "«title»" in m for m in messages(knowledge))


def test_unreadable_front_matter(knowledge: Path) -> None:
    edit(knowledge / "payment/payment-autopay.md", "title: Автоплатёж", "title: [Автоплатёж")
    assert any(m.startswith("payment/payment-autopay.md:1: front matter не читается") for m in messages(knowledge))


def test_duplicate_id(knowledge: Path) -> None:
    edit(knowledge / "payment/payment-autopay.md", "id: payment-autopay", "id: payment-methods")
    found = messages(knowledge)
    assert any("payment/payment-autopay.md" in m and "уже занят" in m for m in found)
    assert any("нет статьи для темы «payment-autopay»" in m for m in found)


def test_bad_id_format(knowledge: Path) -> None:
    edit(knowledge / "payment/payment-autopay.md", "id: payment-autopay", "id: Payment_Autopay")
    assert any("только латиница" in m for m in messages(knowledge))


def test_missing_topic(knowledge: Path) -> None:
    (knowledge / "service/energy-saving.md").unlink()
    assert any(m.startswith("topics.yml:1:") and "energy-saving" in m for m in messages(knowledge))


def test_broken_internal_link(knowledge: Path) -> None:
    path = knowledge / "payment/payment-autopay.md"
    path.write_text(
        path.read_text(encoding="utf-8") + "\nСм. [способы](../payment/no-such-page.md).\n", encoding="utf-8"
    )
    found = messages(knowledge)
    line = len(path.read_text(encoding="utf-8").splitlines())
    assert f"payment/payment-autopay.md:{line}: битая ссылка: ../payment/no-such-page.md" in found


def test_missing_short_answer(knowledge: Path) -> None:
    path = knowledge / "payment/payment-autopay.md"
    text = path.read_text(encoding="utf-8")
    head, _, _ = text.partition("\n---\n")
    path.write_text(head + "\n---\n## Только заголовок\n", encoding="utf-8")
    assert any("нет короткого ответа" in m for m in messages(knowledge))


def test_unknown_fact(knowledge: Path) -> None:
    path = knowledge / "payment/payment-autopay.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nЗвоните {{ no_such_phone }}.\n", encoding="utf-8")
    assert any("неизвестный факт {{ no_such_phone }}" in m for m in messages(knowledge))


def test_too_few_questions(knowledge: Path) -> None:
    path = knowledge / "payment/payment-autopay.md"
    import re

    text = path.read_text(encoding="utf-8")
    questions = re.search(r"questions:\n((?:  - .*\n)+)", text)
    assert questions
    kept = "".join(questions.group(1).splitlines(keepends=True)[:3])
    path.write_text(text.replace(questions.group(1), kept), encoding="utf-8")
    assert any(m.startswith("payment/payment-autopay.md:") and "мало вопросов: 3" in m for m in messages(knowledge))


def test_question_read_as_a_mapping(knowledge: Path) -> None:
    # "вопрос: ответ" unquoted is a YAML mapping, not a question.
    edit(knowledge / "payment/payment-autopay.md", "questions:\n", "questions:\n  - автоплатёж: как отключить\n")
    found = messages(knowledge)
    assert any(m.startswith("payment/payment-autopay.md:") and "возьмите его в кавычки" in m for m in found), found


def test_ambiguous_question(knowledge: Path) -> None:
    # A question of payment-methods copied into payment-autopay matches its
    # original article at least as well as its new one.
    import yaml

    methods = (knowledge / "payment/payment-methods.md").read_text(encoding="utf-8")
    question = yaml.safe_load(methods.split("---")[1])["questions"][0]
    edit(knowledge / "payment/payment-autopay.md", "questions:\n", f"questions:\n  - {question}\n")
    found = messages(knowledge)
    assert any(
        m.startswith("payment/payment-autopay.md:") and f"«{question}»" in m and "payment-methods" in m for m in found
    ), found


def test_a_problem_names_the_line_of_the_question_itself(knowledge: Path) -> None:
    # A repeated question whose text begins an earlier one: the report points at its own line,
    # the one the editor has to change, not at the first line that contains its words.
    path = knowledge / "payment/payment-autopay.md"
    question = "автоплатёж за свет отключить можно?"
    edit(path, "questions:\n", f"questions:\n  - {question} и как\n  - {question}\n  - {question}\n")
    line = path.read_text(encoding="utf-8").splitlines().index("questions:") + 1
    found = [m for m in messages(knowledge) if "повторяется" in m]
    assert found and found[0].startswith(f"payment/payment-autopay.md:{line + 2}:"), found


def test_a_question_in_quotes_of_its_own_is_flagged(knowledge: Path) -> None:
    # YAML's quotes are the file's; a second pair inside them ends up in the question shown on the site.
    edit(
        knowledge / "payment/payment-autopay.md",
        "questions:\n",
        "questions:\n  - \"'как отключить автоплатёж за свет'\"\n",
    )
    assert any(m.startswith("payment/payment-autopay.md:") and "лишних кавычках" in m for m in messages(knowledge))


def test_the_command_names_the_file_and_exits_1(knowledge: Path, capsys) -> None:
    (knowledge / "service/energy-saving.md").unlink()
    assert cli(["check-knowledge", str(knowledge)]) == 1
    assert "energy-saving" in capsys.readouterr().out


@pytest.mark.parametrize(
    "reference", ["Цены приведены в таблице ниже.", "Адреса — в списке на этой странице.", "Подробности см. ниже."]
)
def test_a_short_answer_that_points_at_the_page_is_flagged(knowledge: Path, reference: str) -> None:
    path = knowledge / "tariffs/tariffs-current.md"
    edit(path, "Ваш тариф указан в квитанции", f"{reference} Ваш тариф указан в квитанции")
    assert any("короткий ответ ссылается на страницу" in m and "tariffs-current.md" in m for m in messages(knowledge))


def test_a_fact_may_use_another_fact() -> None:
    from spravka_tools.knowledge.facts import load_facts

    facts = load_facts(KNOWLEDGE_DIR)
    assert facts["tariff_gas_single"] in facts["tariffs_table"] and "{{" not in facts["tariffs_table"]
