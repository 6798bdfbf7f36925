"""The public question sets measure; articles must not copy them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz, process

from spravka.paths import KNOWLEDGE_DIR
from spravka_tools.knowledge.articles import load_articles
from spravka_tools.knowledge.build_index import out_of_scope_phrases
from tests.outside import outside_file_missing

EVAL_DIR = Path(__file__).resolve().parents[3] / "shared" / "eval"


@pytest.mark.parametrize("name", ["dev.yaml", "real.yaml"])
def test_no_article_question_copies_an_evaluation_question(name: str) -> None:
    path = EVAL_DIR / name
    if not path.is_file():
        outside_file_missing(path)
    asked = [str(item["q"]).lower().replace("ё", "е") for item in yaml.safe_load(path.read_text(encoding="utf-8"))]
    copies = []
    phrasings = [(a.id, q) for a in load_articles(KNOWLEDGE_DIR) for q in a.questions]
    for target, question in phrasings + out_of_scope_phrases(KNOWLEDGE_DIR):
        match = process.extractOne(question.lower().replace("ё", "е"), asked, scorer=fuzz.ratio, score_cutoff=90)
        if match:
            copies.append(f"{target}: «{question}» ~ «{match[0]}»")
    assert not copies, copies
