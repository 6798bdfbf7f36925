"""The training copies inside a customer's longer message (spravka_tools/knowledge/augment.py)."""

import random

from spravka_tools.eval import perturb
from spravka_tools.knowledge import augment


def test_the_wrapped_copy_keeps_the_question_inside_other_sentences() -> None:
    copy = augment.wrapped("как передать показания.", random.Random(1))
    assert "как передать показания?" in copy
    assert len(copy) > len("как передать показания?")


def test_the_same_seed_gives_the_same_copy() -> None:
    assert augment.wrapped("долг за свет", random.Random("x")) == augment.wrapped("долг за свет", random.Random("x"))


def test_training_never_sees_the_sentences_the_held_out_measure_wraps_its_copies_in() -> None:
    """`spravka eval --cv` must measure wrapping the model did not train on."""
    measured = {
        *perturb.GREETINGS,
        *perturb.STORIES,
        *perturb.CLOSINGS,
        *perturb.LETTER_OPENINGS,
        *perturb.LETTER_CIRCUMSTANCES,
        *perturb.LETTER_REQUESTS,
        *perturb.LETTER_CLOSINGS,
    } - {""}
    trained = {*augment.OPENINGS, *augment.CIRCUMSTANCES, *augment.REQUESTS, *augment.CLOSINGS} - {""}
    assert not measured & trained
