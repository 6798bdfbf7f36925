"""How `spravka eval` and `spravka eval --cv` name and show their figures (Russian, for editors)."""

from __future__ import annotations

LABELS = {
    "items": "вопросов",
    "in_scope_top1": "статья с первого ответа (top-1)",
    "in_scope_top3": "статья среди трёх (top-3)",
    "deferral": "честное «не знаю» на чужие вопросы",
    "action_accuracy": "действия (показания, оператор, личные данные)",
    "smalltalk_accuracy": "приветствия и благодарности",
    "wrong_answer_rate": "неверная статья (доля всех вопросов)",
    "clarify_rate": "уточняющий вопрос (доля всех вопросов)",
    "clarify_hit": "уточнения, где среди вариантов есть верная статья",
    "overall": "итого верно",
    "latency_p50_ms": "задержка p50, мс",
    "latency_p99_ms": "задержка p99, мс",
}


def is_share(key: str, value: float | int) -> bool:
    """A figure shown in per cent (every float but the latencies)."""
    return isinstance(value, float) and not key.startswith("latency")


def shown(key: str, value: float | int) -> str:
    if is_share(key, value):
        return f"{value:.1%}"
    return f"{value:.2f}" if isinstance(value, float) else str(value)
