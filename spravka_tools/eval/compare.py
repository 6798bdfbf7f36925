"""Proof that an edit helped: the same question file through the real `ask` on two knowledge bases.

The other base is knowledge/ at a git ref (taken with `git archive`) or any knowledge folder;
both are built into temporary indexes with this checkout's code, so only the knowledge differs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from spravka.paths import KNOWLEDGE_DIR
from spravka_tools.environ import patched_environ
from spravka_tools.eval import evaluate


class CompareError(RuntimeError):
    """The other knowledge base cannot be had; the message is for people (Russian)."""


@dataclasses.dataclass(frozen=True)
class Change:
    question: str
    expect: str
    before: str
    after: str

    @property
    def verdict(self) -> str:
        """ "лучше", "хуже" or "иначе" (both wrong, or both right in another way)."""
        if self.after == self.expect:
            return "лучше"
        if self.before == self.expect:
            return "хуже"
        return "иначе"


@dataclasses.dataclass(frozen=True)
class Comparison:
    ref: str
    before: dict[str, float | int]
    after: dict[str, float | int]
    changes: list[Change]


def knowledge_at(ref: str, dest: Path, *, knowledge_dir: Path = KNOWLEDGE_DIR) -> Path:
    """The knowledge folder as it is at a git ref, extracted under dest; a folder path is used as it is."""
    if Path(ref).is_dir():
        return Path(ref)
    top = subprocess.run(
        ["git", "-C", str(knowledge_dir), "rev-parse", "--show-toplevel"], capture_output=True, text=True
    )
    if top.returncode:
        raise CompareError(f"Папка {knowledge_dir} не в git-репозитории: сравнить с {ref!r} нельзя.")
    relative = knowledge_dir.resolve().relative_to(Path(top.stdout.strip()).resolve())
    archive = subprocess.run(
        ["git", "-C", top.stdout.strip(), "archive", "--format=tar", ref, str(relative)], capture_output=True
    )
    if archive.returncode:
        message = archive.stderr.decode(errors="replace").strip().splitlines()
        raise CompareError(f"Не удалось взять базу знаний из {ref!r}: {message[-1] if message else 'ошибка git'}.")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return dest / relative


@contextlib.contextmanager
def using_index(path: Path) -> Iterator[None]:
    """Within this block, `ask` in this process answers from the index at path."""
    from spravka.ask.index import get_index
    from spravka.config import get_settings

    with patched_environ(SPRAVKA_INDEX=str(path)):
        get_settings.cache_clear()
        get_index.cache_clear()
        try:
            yield
        finally:
            get_settings.cache_clear()
            get_index.cache_clear()


def outcomes_on(knowledge: Path, questions: Sequence[tuple[str, str]], workdir: Path) -> list[evaluate.Outcome]:
    """Build knowledge into an index and run the questions through the real `ask` on it."""
    from spravka_tools.eval.http_ask import make_http_ask
    from spravka_tools.knowledge.build_index import build_index, write_index

    index_path = workdir / f"index-{len(list(workdir.iterdir()))}.json"
    write_index(build_index(knowledge), index_path)
    with using_index(index_path):
        return evaluate.run(questions, make_http_ask())


def compare(questions: Sequence[tuple[str, str]], ref: str, *, knowledge_dir: Path = KNOWLEDGE_DIR) -> Comparison:
    """Metrics of the base at ref (before) and of knowledge_dir (after), and every question whose outcome changed."""
    with tempfile.TemporaryDirectory(prefix="spravka-compare-") as tmp:
        workdir = Path(tmp)
        other = knowledge_at(ref, workdir / "ref", knowledge_dir=knowledge_dir)
        before = outcomes_on(other, questions, workdir)
        after = outcomes_on(knowledge_dir, questions, workdir)
    changes = [Change(b.question, b.expect, b.got, a.got) for b, a in zip(before, after) if b.got != a.got]
    return Comparison(ref, evaluate.metrics(before), evaluate.metrics(after), changes)
