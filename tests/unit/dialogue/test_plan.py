"""Every dialogue decision, on turns with real answer items from the real catalogue."""
import pytest

from bot.dialogue import plan as planning
from bot.dialogue.plan import plan_reply
from bot.dialogue.replies import CHAT, DECLINES


def measure_of(plan):
    return plan.reply.measures[0]["id"] if plan.reply.measures else None


def test_a_clear_question_gets_the_item_that_answers_it_with_its_dated_source(session, turn):
    plan = plan_reply(session, turn("hoeveel is de premie kwalificerend werkplekleren per leerling?",
                                    "ask_stagebonus", 0.95,
                                    [("instrument", "premie-kwalificerend-werkplekleren")]))
    assert plan.kind == "answer" and measure_of(plan) == "stagebonus"
    assert "1.000" in plan.reply.text
    assert "\nBron" in plan.reply.text and "https://" in plan.reply.text
    assert plan.reply.item and plan.reply.payload()["data"]["item"] == plan.reply.item
    assert plan.measure == "stagebonus"


def test_an_opinion_about_a_named_measure_gets_the_facts_not_a_refusal(session, turn):
    plan = plan_reply(session, turn("eerlijk, ik vind het schandalig dat de stagebonus weg is. wat kwam ervoor in de plaats?",
                                    "oos_opinion", 0.97, [("measure", "stagebonus")]))
    assert measure_of(plan) == "stagebonus"
    assert plan.reply.text.startswith("Ik geef geen mening")


def test_a_sure_out_of_scope_question_that_names_nothing_is_declined(session, turn):
    plan = plan_reply(session, turn("hoeveel bedraagt mijn pensioen als ik op 63 stop?", "oos_federal", 0.96))
    assert plan.kind == "decline" and plan.reply.text == DECLINES["oos_federal"]
    assert not plan.reply.measures


def test_another_region_is_declined_even_when_a_measure_is_named(session, turn):
    plan = plan_reply(session, turn("ons bedrijf zit in Luik, hoe werkt opleidingsverlof?", "ask_opleidingsverlof_e_leren",
                                    0.9, [("instrument", "vlaams-opleidingsverlof"), ("afwijzing", "oos_other_region")]))
    assert plan.kind == "decline" and plan.reply.text == DECLINES["oos_other_region"]


def test_an_unsure_out_of_scope_verdict_yields_to_a_well_placed_measure(session, turn):
    plan = plan_reply(session, turn("mijn baas heeft mij thuisgezet omdat er geen werk is, kan ik intussen gratis een cursus volgen bij vdab?",
                                    "oos_federal", 0.55, ranking=[("ask_opleiding_tijdelijk_werklozen", 0.4)]))
    assert measure_of(plan) == "opleiding-tijdelijk-werklozen"
    assert "federale regel" in plan.reply.text  # the federal part is pointed to, not answered


def test_a_follow_up_stays_on_the_measure_in_context(session, turn):
    plan = plan_reply(session, turn("en hoeveel keer kan ik die krijgen?", "ask_followup", 0.95,
                                    [("aspect", "amount")], slots={"measure": "werkbaar-werk"}))
    assert measure_of(plan) == "werkbaar-werk"
    assert "3" in plan.reply.text


def test_a_follow_up_with_nothing_in_context_asks_which_measure(session, turn):
    plan = plan_reply(session, turn("en hoeveel is dat?", "ask_followup", 0.95, [("aspect", "amount")]))
    assert plan.kind in ("no_context", "clarify") and not plan.reply.measures
    assert plan.reply.buttons


def test_gibberish_is_not_taken_for_a_follow_up_of_the_measure_in_context(session, turn):
    for text in ("xkqzv brlomp vtzqe wuhh", "ЖЩЮ ЭЪЫ 🡉🟚"):
        plan = plan_reply(session, turn(text, "ask_followup", 0.3, slots={"measure": "werkbaar-werk"}))
        assert plan.kind == "clarify" and measure_of(plan) is None, (text, plan.kind)
    plan = plan_reply(session, turn("en dan?", "ask_followup", 0.9, slots={"measure": "werkbaar-werk"}))
    assert measure_of(plan) == "werkbaar-werk"  # a short follow-up of stop words still is one


def test_a_clear_first_candidate_is_answered_and_a_close_runner_up_offered(session, turn):
    plan = plan_reply(session, turn("kan ik als tijdelijk werkloze online cursussen volgen bij de vdab?",
                                    "ask_opleiding_tijdelijk_werklozen", 0.6,
                                    ranking=[("ask_online_opleidingsaanbod", 0.38)]))
    assert plan.kind == "answer"
    titles = [b["title"] for b in plan.reply.buttons]
    assert any(t.startswith("Of bedoelde je") for t in titles), titles


def test_nothing_placed_twice_in_a_row_hands_over_to_a_person(session, turn):
    first = plan_reply(session, turn("euh wat moet ik nu doen", "ask_followup", 0.3))
    assert first.kind in ("clarify", "no_context")
    second = plan_reply(session, turn("euh wat moet ik nu doen", "nlu_fallback", 0.3, slots={"misses": 1}))
    assert second.kind == "handoff" and "0800 30 700" in second.reply.text


def test_only_a_sure_request_for_a_person_hands_over(session, turn):
    asked = plan_reply(session, turn("ik wil met iemand van vdab spreken", "handoff", 0.9))
    assert asked.kind == "handoff" and "0800 30 700" in asked.reply.text
    follow_up = plan_reply(session, turn("en veur iemand van 60?", "handoff", 0.21,
                                         ranking=[("ask_doelgroepenkortingen", 0.11)],
                                         slots={"measure": "doelgroepenkortingen"}))
    assert follow_up.kind != "handoff" and measure_of(follow_up) == "doelgroepenkortingen"


def test_saying_who_you_are_or_what_you_want_starts_guidance(session, turn):
    assert plan_reply(session, turn("ik ben werkzoekende", "inform", 0.95,
                                    [("doelgroep", "werkzoekende")])).start_guidance
    assert plan_reply(session, turn("ik ben werkzoekende en wil een opleiding volgen", "inform", 0.95,
                                    [("doelgroep", "werkzoekende"), ("interesse", "opleiding")])).start_guidance


def test_a_question_with_an_interest_word_is_answered_not_guided(session, turn):
    plan = plan_reply(session, turn("ik wil lesgeven, kan ik mijn jaren in de privé meenemen naar het onderwijs?",
                                    "ask_zij_instroom_zorg_onderwijs", 0.8,
                                    [("interesse", "zorg-onderwijs"), ("doelgroep", "werknemer")]))
    assert not plan.start_guidance and measure_of(plan) == "zij-instroom-zorg-onderwijs"


def test_small_talk_needs_a_sure_classifier(session, turn):
    assert plan_reply(session, turn("hallo", "greet", 0.97)).reply is CHAT["greet"]
    unsure = plan_reply(session, turn("asdkjh qwe", "greet", 0.4))
    assert unsure.kind != "chat"


def test_stopping_needs_a_sure_classifier(session, turn):
    assert plan_reply(session, turn("laat maar", "stop", 0.9)).reply is CHAT["stop"]
    unsure = plan_reply(session, turn("ik wil iets weten over een cheque", "stop", 0.16))
    assert unsure.kind != "chat" and unsure.reply is not CHAT["stop"]


def test_an_item_button_gives_that_item(session, turn):
    plan = plan_reply(session, turn('/ask_followup{"item": "vov-deeltijds"}', "ask_followup", 1.0,
                                    [("measure", "opleidingsverlof-e-leren"), ("item", "vov-deeltijds")]))
    assert plan.reply.item == "vov-deeltijds"


def test_a_person_asking_for_a_person_is_handed_over(session, turn):
    plan = plan_reply(session, turn("ik wil iemand spreken", "handoff", 0.95))
    assert plan.kind == "handoff" and plan.reason == "asked for a person"


def test_switching_off_item_answers_gives_the_overview_paragraph(session, turn, monkeypatch):
    monkeypatch.setenv("BOT_ABLATE", "item_answers")
    plan = plan_reply(session, turn("wat is een werkbaarheidscheque?", "ask_werkbaar_werk", 0.95,
                                    [("instrument", "werkbaarheidscheque")]))
    assert plan.kind == "overview" and plan.reply.item is None and measure_of(plan) == "werkbaar-werk"


def test_unknown_layers_cannot_be_switched(monkeypatch):
    with pytest.raises(AssertionError):
        planning.enabled("no_such_layer")


def test_a_mixed_federal_and_flemish_question_gets_the_flemish_answer_and_the_federal_pointer(session, turn):
    plan = plan_reply(session, turn("ik ben tijdelijk werkloos: hoeveel bedraagt mijn uitkering van de rva, en kan ik "
                                    "intussen gratis een online cursus volgen bij de vdab?",
                                    "ask_opleiding_tijdelijk_werklozen", 0.6, ranking=[("oos_federal", 0.35)]))
    assert measure_of(plan) == "opleiding-tijdelijk-werklozen"
    assert "federale regel" in plan.reply.text and "rva.be" in plan.reply.text
