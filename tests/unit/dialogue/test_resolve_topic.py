from bot.dialogue import decline_reason, intent_for_measure, measure_for_intent, resolve_topic

INSTRUMENTS = {"vlaams-opleidingsverlof": "opleidingsverlof-e-leren",
               "opleidingscheques": "opleidingsportefeuille"}
UMBRELLA = {"relanceplan"}


def e(entity, value):
    return {"entity": entity, "value": value}


def resolve(intent_measure, entities, context=(None, None), confidence=1.0):
    return resolve_topic(intent_measure, entities, INSTRUMENTS, context, UMBRELLA, confidence)


def test_intent_names_round_trip():
    assert intent_for_measure("opleidingsverlof-e-leren") == "ask_opleidingsverlof_e_leren"
    assert measure_for_intent("ask_zij_instroom_zorg_onderwijs", ["zij-instroom-zorg-onderwijs"]) == \
        "zij-instroom-zorg-onderwijs"
    assert measure_for_intent("ask_followup", ["telewerk"]) is None


def test_a_named_instrument_beats_the_classifier():
    topic = resolve("telewerk", [e("instrument", "opleidingscheques")])
    assert (topic.measure_id, topic.instrument_id) == ("opleidingsportefeuille", "opleidingscheques")


def test_the_classifier_beats_the_context():
    topic = resolve("telewerk", [], context=("stagebonus", None))
    assert (topic.measure_id, topic.instrument_id) == ("telewerk", None)


def test_an_unsure_classifier_does_not_pull_an_aspect_question_off_the_context():
    amount = [e("aspect", "amount")]
    assert resolve("telewerk", amount, ("stagebonus", None), confidence=0.45).measure_id == "stagebonus"
    assert resolve("telewerk", amount, ("stagebonus", None), confidence=0.9).measure_id == "telewerk"
    # A name typed in the message, or no aspect asked, still switches the topic.
    named = amount + [e("instrument", "opleidingscheques")]
    assert resolve("telewerk", named, ("stagebonus", None), confidence=0.45).measure_id == "opleidingsportefeuille"
    assert resolve("telewerk", [], ("stagebonus", None), confidence=0.45).measure_id == "telewerk"


def test_a_follow_up_uses_the_context_and_its_aspect():
    topic = resolve(None, [e("aspect", "amount")], context=("opleidingsverlof-e-leren", "vlaams-opleidingsverlof"))
    assert (topic.measure_id, topic.instrument_id, topic.aspect) == \
        ("opleidingsverlof-e-leren", "vlaams-opleidingsverlof", "amount")


def test_another_group_in_a_follow_up_asks_about_eligibility():
    topic = resolve(None, [e("doelgroep", "zelfstandige")], context=("telewerk", None))
    assert (topic.measure_id, topic.aspect, topic.doelgroep) == ("telewerk", "eligibility", "zelfstandige")


def test_the_agreement_as_frame_yields_to_the_specific_measure():
    assert resolve("begeleidingscapaciteit-vdab", [e("measure", "relanceplan")]).measure_id == \
        "begeleidingscapaciteit-vdab"
    assert resolve("relanceplan", [e("measure", "relanceplan"), e("measure", "telewerk")]).measure_id == "telewerk"
    assert resolve("relanceplan", [e("measure", "relanceplan")]).measure_id == "relanceplan"


def test_nothing_named_and_no_context_gives_no_measure():
    assert resolve(None, []).measure_id is None


def test_decline_reason():
    assert decline_reason([e("instrument", "opleidingscheques"), e("afwijzing", "oos_other_region")]) == \
        "oos_other_region"
    assert decline_reason([e("instrument", "opleidingscheques")]) is None


def test_fallback_plan_acts_on_clear_words_only():
    from bot.dialogue import fallback_plan

    assert fallback_plan([e("afwijzing", "oos_opinion"), e("measure", "telewerk")], None) == "decline"
    assert fallback_plan([e("doelgroep", "werkgever"), e("interesse", "aanwerven")], None) == "recommend"
    assert fallback_plan([e("instrument", "opleidingscheques")], None) == "answer"
    assert fallback_plan([e("aspect", "amount")], "telewerk") == "followup"
    assert fallback_plan([e("aspect", "amount")], None) == "clarify"
    assert fallback_plan([], "telewerk") == "clarify"
