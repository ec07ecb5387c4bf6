"""Ranking on the real catalogue."""
import pytest
from sqlalchemy.orm import Session

from bot.catalogue import queries
from bot.catalogue.db import get_engine
from bot.dialogue.recommend import recommend
from bot.catalogue.vocabulary import vocabulary


@pytest.fixture
def session(catalogue_database):
    with Session(get_engine(catalogue_database)) as session:
        yield session


def ids(ranked):
    return [r.entry.id for r in ranked]


def test_temporarily_unemployed_who_want_to_learn_get_the_measure_made_for_them(session):
    ranked = recommend(session, "tijdelijk werkloze", vocabulary().interest_themes("opleiding"))
    assert ranked[0].measure_id == "opleiding-tijdelijk-werklozen"
    assert 1 <= len(ranked) <= 3


def test_an_abolished_entry_is_never_recommended_but_its_successor_is(session):
    for group in vocabulary().target_groups:
        for interest in vocabulary().interests:
            for item in recommend(session, group, vocabulary().interest_themes(interest)):
                assert item.entry.status_state != "abolished"
    employer = ids(recommend(session, "werkgever", vocabulary().interest_themes("aanwerven"), limit=5))
    assert "premie-kwalificerend-werkplekleren" in employer
    assert "stagebonus" not in employer


def test_every_kind_of_person_gets_a_recommendation(session):
    for group in ("werkzoekende", "werknemer", "tijdelijk werkloze", "werkgever", "zelfstandige",
                  "opleidingsverstrekker"):
        assert recommend(session, group, ()), group


def test_at_most_one_entry_per_measure_and_ranked(session):
    ranked = recommend(session, "werknemer", vocabulary().interest_themes("opleiding"), limit=10)
    assert len({r.measure_id for r in ranked}) == len(ranked)
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)


def test_the_agreement_itself_is_not_a_recommendation(session):
    assert queries.get_measure(session, "relanceplan").priority is None
    for group in vocabulary().target_groups:
        assert "relanceplan" not in ids(recommend(session, group, (), limit=20))
