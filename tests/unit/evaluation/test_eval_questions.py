"""Question files: the answer-key YAML, the old YAML list / CSV, the answer-key CSV, and
Dutch errors that name the file and the row."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import REPO_ROOT
from bot.evaluation.questions import Question, QuestionFileError, load_question_set

DEV_SET = REPO_ROOT.parent / "shared" / "eval" / "dev_questions.yml"

ANSWER_KEYS = """\
questions:
  - id: d001
    text: "Hoeveel geld gaat naar Alle hens aan dek?"
    expect: relanceplan
    persona: anders
    aspect: amount
    must:
      - ["190"]
      - ["opleiding", "loopbaan"]
    must_not: ["250 miljoen"]
  - id: d002
    text: "Hoe laat is het?"
    expect: out_of_scope
  - {id: d003, text: "Bestaat de stagebonus nog?", expect: "stagebonus|werkplekleren"}
conversations:
  - id: dc01
    turns:
      - {text: "heeft vlaanderen iets gedaan rond thuiswerk?", expect: telewerk, must: [["actieplan"]]}
      - {text: "en wie was de minister?", expect: telewerk, must: [["crevits"]]}
"""


def write(tmp_path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_answer_key_yaml(tmp_path):
    questions = load_question_set(write(tmp_path, "dev.yml", ANSWER_KEYS))
    first = questions.questions[0]
    assert first == Question("d001", "Hoeveel geld gaat naar Alle hens aan dek?", "relanceplan", "amount",
                             (("190",), ("opleiding", "loopbaan")), ("250 miljoen",))
    assert first.keyed and not questions.questions[1].keyed
    assert questions.questions[2].alternatives == ("stagebonus", "werkplekleren")
    (conversation,) = questions.conversations
    assert conversation.id == "dc01" and [t.id for t in conversation.turns] == ["dc01#0", "dc01#1"]
    assert conversation.turns[1].must == (("crevits",),) and len(questions) == 5


@pytest.mark.skipif(not DEV_SET.is_file(), reason="the shared development set is not here")
def test_the_shared_development_set_loads():
    questions = load_question_set(DEV_SET)
    assert len(questions.questions) > 100 and questions.conversations
    assert all(q.expect for q in questions.questions)


def test_old_yaml_list(tmp_path):
    path = write(tmp_path, "old.yml", '- {question: "Wat is telewerk?", expected: telewerk, style: direct}\n'
                                      '- {question: "Hallo"}\n')
    questions = load_question_set(path).questions
    assert [(q.id, q.text, q.expect) for q in questions] == [("1", "Wat is telewerk?", "telewerk"),
                                                              ("2", "Hallo", None)]


def test_old_csv(tmp_path):
    path = write(tmp_path, "old.csv",
                 "question,expected\nWat is telewerk?,telewerk\nHoe laat is het?,out_of_scope\n")
    questions = load_question_set(path).questions
    assert [(q.text, q.expect) for q in questions] == [("Wat is telewerk?", "telewerk"),
                                                       ("Hoe laat is het?", "out_of_scope")]


def test_answer_key_csv(tmp_path):
    path = write(tmp_path, "keys.csv",
                 "id,text,expect,aspect,must,must_not\n"
                 'd1,"Hoeveel geld, in totaal?",relanceplan,amount,190;opleiding|loopbaan,250 miljoen|300\n'
                 "d2,Hoe laat is het?,out_of_scope,,,\n")
    first, second = load_question_set(path).questions
    assert first == Question("d1", "Hoeveel geld, in totaal?", "relanceplan", "amount",
                             (("190",), ("opleiding", "loopbaan")), ("250 miljoen", "300"))
    assert second.must == () and second.must_not == () and second.aspect is None


def test_answer_key_csv_with_semicolons_as_excel_writes_it(tmp_path):
    path = write(tmp_path, "keys.csv", "\ufeffid;text;expect;aspect;must;must_not\n"
                                       'd1;Hoeveel?;relanceplan;amount;"190;opleiding|loopbaan";\n')
    (question,) = load_question_set(path).questions
    assert question.must == (("190",), ("opleiding", "loopbaan"))


@pytest.mark.parametrize("name, text, where, what", [
    ("dev.yml", "questions:\n  - {id: a, text: x, expect: telewerk}\n  - {id: b, expect: telewerk}\n",
     "vraag 2", "de vraag is leeg"),
    ("dev.yml", "questions:\n  - {id: a, text: x}\n", "vraag 1", "'expect' ontbreekt"),
    ("dev.yml", "questions:\n  - {id: a, text: x, expect: 'Tele werk'}\n", "vraag 1",
     "'expect' is geen maatregel"),
    ("dev.yml", "questions:\n  - {id: a, text: x, expect: telewerk, must: [[Crevits]]}\n", "vraag 1",
     "kleine letters"),
    ("dev.yml", "questions:\n  - {id: a, text: x, expect: telewerk, must: [[]]}\n", "vraag 1", "lege groep"),
    ("dev.yml", "questions:\n  - {id: a, text: x, expect: telewerk, must: crevits}\n", "vraag 1",
     "lijst met groepen"),
    ("dev.yml", "conversations:\n  - id: c1\n    turns:\n      - {text: x, expect: telewerk}\n"
                "      - {text: y}\n", "gesprek 1 (c1), beurt 2", "'expect' ontbreekt"),
    ("dev.yml", "questions:\n  - {id: a, text: x, expect: telewerk}\n"
                "  - {id: a, text: y, expect: telewerk}\n", "", "komt twee keer voor"),
    ("dev.yml", "questions: [\n", "", "geen geldige YAML"),
    ("dev.yml", "vraag: x\n", "", "verwacht een lijst"),
    ("old.yml", "- {question: x}\n- {question: ''}\n", "vraag 2", "de vraag is leeg"),
    ("keys.csv", "id,text,expect\nd1,x,telewerk\nd2,y,Telewerk!\n", "rij 3",
     "'expect' is geen maatregel"),
    ("keys.csv", "id,text\nd1,x\n", "", "kolom ontbreekt: expect"),
    ("keys.csv", "vraag,antwoord\nx,y\n", "", "verwacht de kolommen"),
    ("old.csv", "question,expected\nx,telewerk\n,telewerk\n", "rij 3", "de vraag is leeg"),
])
def test_bad_files_get_a_dutch_error_naming_file_and_row(tmp_path, name, text, where, what):
    path = write(tmp_path, name, text)
    with pytest.raises(QuestionFileError) as error:
        load_question_set(path)
    message = str(error.value)
    assert message.startswith(str(path)) and where in message and what in message


def test_missing_file(tmp_path):
    with pytest.raises(QuestionFileError, match="kan het bestand niet lezen"):
        load_question_set(tmp_path / "nope.yml")
