"""The editor-facing commands explain themselves in Russian: what they do, which files and store they use."""

from __future__ import annotations

import argparse
import re

import pytest

from spravka_tools.cli import build_parser

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def subcommand(name: str) -> argparse.ArgumentParser:
    subparsers = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return subparsers.choices[name]


@pytest.mark.parametrize("name", ["eval", "check-knowledge", "report"])
def test_editor_commands_help_is_russian(name: str) -> None:
    parser = subcommand(name)
    assert parser.description and CYRILLIC.search(parser.description)
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue  # argparse's own line
        assert action.help and CYRILLIC.search(action.help), (name, action.dest, action.help)


def test_eval_help_says_what_it_reads_and_leaves_alone() -> None:
    text = " ".join(subcommand("eval").format_help().split())
    assert "index.json" in text and "knowledge/" in text and "Журнал вопросов и хранилище не трогаются" in text
