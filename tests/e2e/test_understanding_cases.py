"""The understanding cases of issue 14, through the trained model and the running servers:
a mixed federal/Flemish question, an opinion word in an in-scope question, a direct question
carrying an interest word, and follow-ups after a detour. With a measure in context an unsure
message counts as a follow-up of it, so the detours that happen there are the guidance question
("Wie ben je?", the bot asking back what fits) and a decline. Random letters are no follow-up,
and a question misread as "stop" does not end the conversation."""
from __future__ import annotations

import uuid

import pytest

from bot.dialogue.guidance import GUIDANCE_QUESTIONS
from bot.dialogue.replies import CHAT
from bot.rasa_api import decode


def sender() -> str:
    return f"cases-{uuid.uuid4().hex[:10]}"


def test_a_mixed_federal_and_flemish_question_answers_the_flemish_part_and_points_to_the_rva(stack):
    turn = decode(stack.say(sender(), "Ik ben tijdelijk werkloos. Hoeveel bedraagt mijn uitkering van de RVA, "
                                      "en kan ik intussen gratis een online cursus volgen bij de VDAB?"))
    assert turn.primary_measure in ("opleiding-tijdelijk-werklozen", "online-opleidingsaanbod"), turn.texts
    assert "rva.be" in "\n".join(turn.texts)


def test_an_opinion_word_does_not_decline_a_question_about_a_measure(stack):
    turn = decode(stack.say(sender(), "Eerlijk gezegd vind ik het schandalig dat de stagebonus weg is. "
                                      "Wat kwam er in de plaats?"))
    assert turn.primary_measure == "stagebonus", turn.texts
    assert "premie kwalificerend werkplekleren" in "\n".join(turn.texts).lower()


def test_a_direct_question_with_an_interest_word_is_answered_not_guided(stack):
    turn = decode(stack.say(sender(), "Ik wil graag lesgeven in een knelpuntvak. Mag ik mijn jaren "
                                      "ervaring uit de privé meenemen?"))
    assert turn.primary_measure == "zij-instroom-zorg-onderwijs", turn.texts
    assert not any(question in text for question in GUIDANCE_QUESTIONS.values() for text in turn.texts)


@pytest.mark.parametrize("detour, follow_up", [
    ("welke maatregel past bij mij als ik 55 ben en ziek?", "en hoeveel keer kan ik die cheque krijgen?"),  # asked back
    ("Hoeveel bedraagt mijn pensioen als ik op 63 stop?", "en bij wie vraag ik die cheque aan?"),  # declined
])
def test_a_follow_up_after_asking_back_or_a_decline_stays_on_the_measure(stack, detour, follow_up):
    person = sender()
    assert decode(stack.say(person, "Wat is een werkbaarheidscheque?")).primary_measure == "werkbaar-werk"
    assert decode(stack.say(person, detour)).primary_measure is None
    follow = decode(stack.say(person, follow_up))
    assert follow.primary_measure == "werkbaar-werk", follow.texts


def test_random_letters_after_an_answer_are_not_answered_from_the_context(stack):
    person = sender()
    assert decode(stack.say(person, "Wat is een werkbaarheidscheque?")).primary_measure == "werkbaar-werk"
    turn = decode(stack.say(person, "qxzvk brlpt wmmfz"))
    assert turn.primary_measure is None, turn.texts
    follow = decode(stack.say(person, "en hoeveel keer kan ik die cheque krijgen?"))
    assert follow.primary_measure == "werkbaar-werk", follow.texts


def test_a_question_the_classifier_reads_as_stop_is_not_ended(stack):
    turn = decode(stack.say(sender(), "ik wil iets weten over een cheque"))
    assert CHAT["stop"].text not in turn.texts and turn.texts, turn.texts
