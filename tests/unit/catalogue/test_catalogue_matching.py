import pytest

from bot.catalogue.matching import AliasMatcher

ROWS = [
    ("telewerk", "measure", "telewerk", "telewerk"),
    ("thuiswerken", "measure", "telewerk", "telewerk"),
    ("opleidingscheques", "instrument", "opleidingscheques", "opleidingsportefeuille"),
    ("kmo portefeuille", "instrument", "kmo-portefeuille", "opleidingsportefeuille"),
    ("stagebonus", "measure", "stagebonus", "stagebonus"),
    ("aanvullende stagebonus", "instrument", "aanvullende-stagebonus", "stagebonus"),
    ("werkbaarheidscheque", "instrument", "werkbaarheidscheque", "werkbaar-werk"),
    ("ancienniteit", "instrument", "ancienniteit-zij-instromers", "zij-instroom-zorg-onderwijs"),
    ("vov", "instrument", "vlaams-opleidingsverlof", "opleidingsverlof-e-leren"),
]


@pytest.fixture(scope="module")
def matcher():
    return AliasMatcher(ROWS)


def ids(matches):
    return [m.id for m in matches]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Wat zijn OPLEIDINGSCHEQUES?", ["opleidingscheques"]),
        ("hoe werkt een opleidingscheck", ["opleidingscheques"]),  # cheque/check
        ("Opleidingschekcs", ["opleidingscheques"]),  # typo: transposition
        ("werkbaarheidsceque aanvragen", ["werkbaarheidscheque"]),  # typo: deletion
        ("stagebonussen", ["stagebonus"]),  # plural
        ("Kmo-portefeuilles", ["kmo-portefeuille"]),
        ("kmoportefeuille", ["kmo-portefeuille"]),  # written together
        ("kan ik mijn anciënniteit meenemen", ["ancienniteit-zij-instromers"]),  # accent
        ("VOV", ["vlaams-opleidingsverlof"]),
        ("vovs", ["vlaams-opleidingsverlof"]),
        ("ik wil thuiswerken", ["telewerk"]),
    ],
)
def test_find(matcher, text, expected):
    assert ids(matcher.find(text)) == expected


def test_longest_match_wins(matcher):
    matches = matcher.find("krijg ik de aanvullende stagebonus?")
    assert ids(matches) == ["aanvullende-stagebonus"]
    m = matches[0]
    assert "krijg ik de aanvullende stagebonus?"[m.start : m.end] == "aanvullende stagebonus"
    assert m.measure_id == "stagebonus" and m.kind == "instrument" and m.score == 1.0


def test_several_entities_ranked_exact_first(matcher):
    matches = matcher.find("werkbaarheidsceque of telewerk of opleidingscheques")
    assert ids(matches)[:2] == ["telewerk", "opleidingscheques"] or ids(matches)[:2] == [
        "opleidingscheques",
        "telewerk",
    ]
    assert matches[-1].id == "werkbaarheidscheque" and matches[-1].score < 1.0
    assert len(matcher.find("werkbaarheidsceque of telewerk of opleidingscheques", limit=1)) == 1


def test_same_entity_reported_once(matcher):
    assert ids(matcher.find("telewerk, thuiswerken en nog eens telewerk")) == ["telewerk"]


@pytest.mark.parametrize(
    "text",
    ["", "   ", "hallo", "'; DROP TABLE measures; --", "OR 1=1", "NEAR(", "*", '"', "vo", "stage", "werk"],
)
def test_no_false_positives(matcher, text):
    assert matcher.find(text) == []


def test_short_aliases_need_exact_match(matcher):
    assert matcher.find("vob") == []  # 3 letters: no typo tolerance


def test_empty_matcher():
    assert AliasMatcher([]).find("telewerk") == []
