"""The typo fixer: known words as written, mistyped ones read as the word meant, real Dutch
words never 'corrected', and a bounded cost and memory whatever the input."""
import random
import string

from bot.nlu.typos import CACHE_SIZE, MAX_WORDS, TypoFixer

KNOWN = {"opleidingscheques", "werkbaarheidscheque", "telewerk", "stagebonus", "vov", "budget"}
FIXER = TypoFixer(KNOWN, dictionary=frozenset({"meewerk", "werken"}))


def test_known_words_stay():
    assert FIXER.fix(["telewerk", "vov"]) == ["telewerk", "vov"]


def test_typos_read_as_the_known_word():
    assert FIXER.fix(["opleidingsceques", "stagebnous", "budjet"]) == ["opleidingscheques", "stagebonus", "budget"]


def test_dutch_words_and_short_words_are_no_typos():
    # "meewerk" is a Dutch word one edit from nothing known here, but it must not be touched
    # even when it is close to a known word; short words are never fixed.
    fixer = TypoFixer({"telewerk"}, dictionary=frozenset({"meewerk"}))
    assert fixer.fix(["meewerk"]) == ["meewerk"]
    assert FIXER.fix(["vow", "tel"]) == ["vow", "tel"]


def test_too_far_is_kept_as_written():
    assert FIXER.fix(["stagiairplaats"]) == ["stagiairplaats"]


def test_only_the_first_unknown_words_are_looked_up():
    words = ["stagebnous"] * (MAX_WORDS + 3)
    fixed = FIXER.fix(words)
    assert fixed[:MAX_WORDS] == ["stagebonus"] * MAX_WORDS
    assert fixed[MAX_WORDS:] == ["stagebnous"] * 3


def test_cache_stays_bounded_under_random_words():
    fixer = TypoFixer(KNOWN, dictionary=frozenset())
    rng = random.Random(7)
    for _ in range(CACHE_SIZE // MAX_WORDS + 50):
        message = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(5, 14))) for _ in range(40)]
        fixer.fix(message)
    assert fixer.cache_info()["size"] <= CACHE_SIZE
