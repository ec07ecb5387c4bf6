import csv
import io

import pytest
from sqlalchemy.exc import IntegrityError

from bot.catalogue.db import session_scope
from bot.catalogue.records import Feedback
from bot.feedback import export_csv, list_feedback, list_handoffs, record_feedback, record_handoff


def test_record_and_list_feedback(engine):
    with session_scope(engine) as s:
        first = record_feedback(s, "u1", "Wat is telewerk?", "Thuis werken.", "telewerk", 1, None)
        record_feedback(s, "u2", "Hoeveel?", "1000 euro", None, -1, "klopt niet")
        assert first.id is not None
    with session_scope(engine) as s:
        rows = list_feedback(s, limit=10)
        assert [(r.sender_id, r.rating, r.measure_id, r.comment) for r in rows] == [
            ("u2", -1, None, "klopt niet"),
            ("u1", 1, "telewerk", None),
        ]
        assert len(list_feedback(s, limit=1)) == 1
        assert rows[0].created_at is not None


@pytest.mark.parametrize("rating", [0, 2, -2, True, "1", None, 1.5])
def test_rating_must_be_plus_or_minus_one(engine, rating):
    with session_scope(engine) as s:
        with pytest.raises(ValueError):
            record_feedback(s, "u1", "q", "a", None, rating, None)


def test_database_also_rejects_bad_rating(engine):
    with pytest.raises(IntegrityError):
        with session_scope(engine) as s:
            s.add(Feedback(sender_id="u1", rating=5))


def test_sender_required(engine):
    with session_scope(engine) as s:
        with pytest.raises(ValueError):
            record_feedback(s, "  ", "q", "a", None, 1, None)


def test_long_text_truncated(engine):
    long = "é" * 5000
    with session_scope(engine) as s:
        record_feedback(s, "u" * 400, long, long, "telewerk", -1, long)
        record_handoff(s, "u1", long, long)
    with session_scope(engine) as s:
        row = list_feedback(s)[0]
        assert len(row.question) == len(row.answer) == len(row.comment) == 2000
        assert len(row.sender_id) == 255
        handoff = list_handoffs(s)[0]
        assert len(handoff.reason) == len(handoff.last_message) == 2000


def test_export_csv(engine, tmp_path):
    with session_scope(engine) as s:
        record_feedback(s, "u1", "Wat is telewerk?", 'Antwoord met "quotes", komma', "telewerk", 1, None)
        record_feedback(s, "u2", "=HYPERLINK(\"http://x\")", "a", None, -1, "+cmd")
    buffer = io.StringIO()
    with session_scope(engine) as s:
        assert export_csv(s, buffer) == 2
        assert export_csv(s, tmp_path / "feedback.csv") == 2
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows[0] == ["id", "created_at", "sender_id", "question", "answer", "measure_id", "rating", "comment"]
    assert rows[1][2:] == ["u1", "Wat is telewerk?", 'Antwoord met "quotes", komma', "telewerk", "1", ""]
    assert rows[2][3] == "'=HYPERLINK(\"http://x\")" and rows[2][7] == "'+cmd"  # no spreadsheet formulas
    assert (tmp_path / "feedback.csv").read_bytes().decode("utf-8") == buffer.getvalue()
    assert rows[1][1].endswith("+00:00")  # UTC on every backend


def test_handoffs(engine):
    with session_scope(engine) as s:
        record_handoff(s, "u1", "asked for a person", "ik wil iemand spreken")
        record_handoff(s, "u2", None, None)
    with session_scope(engine) as s:
        assert [(h.sender_id, h.reason) for h in list_handoffs(s)] == [("u2", None), ("u1", "asked for a person")]
        assert len(list_handoffs(s, limit=1)) == 1


def test_personal_data_in_feedback_and_handoffs_is_redacted(engine):
    with session_scope(engine) as session:
        _record_personal_data(session)


def _record_personal_data(session):
    row = record_feedback(session, "s1", "mijn nummer is 0470 12 34 56", "Bel VDAB op 0800 30 700.",
                          "telewerk", -1, "mail me op jan.peeters@example.com")
    assert "0470" not in row.question and "jan.peeters" not in row.comment
    assert "0800 30 700" in row.answer
    handoff = record_handoff(session, "s1", "asked", "rijksregisternummer 85.07.30-033.28")
    assert "85.07.30" not in handoff.last_message
