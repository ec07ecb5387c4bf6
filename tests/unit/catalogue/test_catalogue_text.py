import pytest

from bot.catalogue.text import match_key, normalize, stem, tokens


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kmo-Portefeuille", "kmo portefeuille"),
        ("  Anciënniteit   zij-instromers ", "ancienniteit zij instromers"),
        ("KMO's", "kmos"),
        ("#KiesVoorDeZorg!", "kiesvoordezorg"),
        ("Leer- en loopbaanrekening (LLR)", "leer en loopbaanrekening llr"),
        ("helpindezorg.be", "helpindezorg be"),
        ("!!!", ""),
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize(
    "forms",
    [
        ["opleidingscheque", "opleidingscheques", "opleidingschecks", "opleidingscheck"],
        ["stagebonus", "stagebonussen"],
        ["zelfstandige", "zelfstandigen"],
        ["werkgever", "werkgevers"],
        ["thuiswerk", "thuiswerken"],
        ["digibank", "digibanken"],
        ["kmo", "kmos"],
        ["premie", "premies"],
        ["werkloos", "werklozen"],
        ["loopbaan", "loopbanen"],
        ["loopbaancheque", "loopbaancheques", "loopbaanchecks"],
    ],
)
def test_plural_forms_share_a_stem(forms):
    assert len({stem(normalize(f)) for f in forms}) == 1


def test_stem_keeps_words_ending_in_us_is():
    assert stem("status") == "status"
    assert stem("thuis") == "thuis"
    assert stem("loopbaan", canonical=False) == "loopbaan"


@pytest.mark.parametrize("word", ["opleidingscheques", "loopbaanen", "werklozen", "zelfstandigen", "bonussen"])
def test_prefix_stem_is_a_prefix(word):
    assert word.startswith(stem(word, canonical=False))


def test_match_key_joins_words():
    assert match_key(normalize("kmo-portefeuille")) == match_key(normalize("kmoportefeuille"))
    assert match_key(normalize("KMO portefeuilles")) == match_key("kmo portefeuille")


def test_tokens_keep_offsets():
    text = "Wat is de Kmo-portefeuille?"
    toks = tokens(text)
    assert [t.norm for t in toks] == ["wat", "is", "de", "kmo", "portefeuille"]
    assert text[toks[3].start : toks[4].end] == "Kmo-portefeuille"
