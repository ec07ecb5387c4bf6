"""The staff inbox on SQLite and PostgreSQL: grouping, redaction, the cap, assignments that
change the next reply, bad assignments, retention and the training export."""
import datetime as dt

import pytest
from sqlalchemy import func, select

from bot import inbox
from bot.catalogue.db import session_scope
from bot.catalogue.loader import load_catalogue
from bot.catalogue.records import InboxItem


@pytest.fixture
def loaded(engine, fixture_dir):
    assert load_catalogue(engine, fixture_dir, expected_ids=None).ok
    return engine


def test_near_identical_messages_share_one_item_with_a_count(loaded):
    with session_scope(loaded) as session:
        first = inbox.record(session, "Wat is de werkcheque?", "clarified", "Gaat het over ...?", ["telewerk"])
        again = inbox.record(session, "wat is die werkcheque", "clarified", "Gaat het over ...?", ["telewerk"])
        other = inbox.record(session, "hoeveel kost een werkcheque", "declined")
        assert first.id == again.id != other.id
        assert again.count == 2 and again.text == "wat is die werkcheque"
        assert inbox.record(session, "?!", "declined") is None  # nothing to group on


def test_only_redacted_text_is_kept(loaded):
    with session_scope(loaded) as session:
        item = inbox.record(session, "mijn rijksregisternummer is 85.07.30-033.61, mail jan@voorbeeld.be",
                            "declined")
        assert "85.07.30" not in item.text and "jan@voorbeeld.be" not in item.text
        assert "85.07.30" not in item.key


def test_a_flood_of_distinct_messages_stays_under_the_cap(loaded, monkeypatch):
    monkeypatch.setenv("BOT_INBOX_CAP", "20")
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    with session_scope(loaded) as session:
        for n in range(50):
            inbox.record(session, f"woord{n} vraagje{n}", "declined", now=start + dt.timedelta(minutes=n))
        assert session.execute(select(func.count()).select_from(InboxItem)).scalar_one() == 20
        assert inbox.evicted(session) == 30
        kept = {i.text for i in inbox.list_items(session)}
        assert "woord49 vraagje49" in kept and "woord0 vraagje0" not in kept  # oldest out


def test_an_assignment_is_what_the_next_same_message_gets(loaded):
    with session_scope(loaded) as session:
        item = inbox.record(session, "hoe zit het met de zotte thuiswerkcheque", "clarified")
        assert inbox.assignment(session, "Hoe zit het met de zotte thuiswerkcheque?") is None
        inbox.assign(session, item.id, "telewerk", by="an", answer_item="telewerk-wat")
    with session_scope(loaded) as session:
        decided = inbox.assignment(session, "Hoe zit het met de zotte thuiswerkcheque?")
        assert decided == inbox.Assignment("assigned", "telewerk", "telewerk-wat")
        row = session.get(InboxItem, item.id)
        assert row.assigned_by == "an" and row.assigned_at is not None


@pytest.mark.parametrize("target, answer_item, message", [
    ("bestaat-niet", None, "geen maatregel"),
    ("telewerk", "pkw-bedrag", "geen antwoorditem van de maatregel"),
])
def test_a_bad_assignment_is_refused_and_changes_nothing(loaded, target, answer_item, message):
    with session_scope(loaded) as session:
        item = inbox.record(session, "iets over de thuiswerkcheque", "clarified")
        with pytest.raises(inbox.InboxError, match=message):
            inbox.assign(session, item.id, target, by="an", answer_item=answer_item)
        assert session.get(InboxItem, item.id).status == "open"
        with pytest.raises(inbox.InboxError, match="geen inbox-item"):
            inbox.assign(session, 999999, "telewerk", by="an")


def test_out_of_scope_and_dismissed_items(loaded):
    with session_scope(loaded) as session:
        a = inbox.record(session, "wat is het weer in Oostende", "clarified")
        b = inbox.record(session, "blabla thuiswerk test", "clarified")
        inbox.assign(session, a.id, inbox.OUT_OF_SCOPE, by="an")
        inbox.assign(session, b.id, inbox.DISMISS, by="an")
        assert inbox.assignment(session, "wat is het weer in oostende?").status == "out_of_scope"
        assert inbox.assignment(session, "blabla thuiswerk test") is None  # dismissed: the bot decides


def test_retention_purges_items_last_seen_before_the_cutoff(loaded):
    now = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)
    with session_scope(loaded) as session:
        inbox.record(session, "oude vraag over cheques", "declined", now=now - dt.timedelta(days=100))
        inbox.record(session, "nieuwe vraag over cheques", "declined", now=now - dt.timedelta(days=3))
        assert inbox.purge(session, 90, now=now) == 1
        assert [i.text for i in inbox.list_items(session)] == ["nieuwe vraag over cheques"]


def test_assigned_messages_become_training_examples_in_a_stable_order(loaded):
    with session_scope(loaded) as session:
        for text, target in [("wat is de zotte thuiswerkcheque", "telewerk"), ("de stagiairspremie van vroeger", "stagebonus"),
                             ("het weer morgen", inbox.OUT_OF_SCOPE), ("al bekend", "telewerk")]:
            inbox.assign(session, inbox.record(session, text, "clarified").id, target, by="an")
        examples = inbox.training_examples(session, known=["al bekend"])
    assert examples == {"ask_stagebonus": ["de stagiairspremie van vroeger"],
                        "ask_telewerk": ["wat is de zotte thuiswerkcheque"],
                        "out_of_scope": ["het weer morgen"]}
