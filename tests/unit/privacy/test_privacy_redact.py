"""bot.privacy.redact: personal data in what people type is replaced by a placeholder; years,
amounts, dates and ordinary numbers stay."""
from __future__ import annotations

import pytest

from bot.privacy import EMAIL, IBAN, PHONE, RIJKSREGISTERNUMMER, redact


@pytest.mark.parametrize("number", [
    "85.07.30-033.28", "85073003328", "85 07 30 033 28", "850730 033 28", "850730-033-28",
    "85.07.30 033.28", "85.07.30-03328", "01.02.03-123.45", "00.01.15-123.45",
])
def test_rijksregisternummers(number):
    assert redact(f"mijn rijksregisternummer is {number}, klopt dat?") == \
        f"mijn rijksregisternummer is {RIJKSREGISTERNUMMER}, klopt dat?"


@pytest.mark.parametrize("address", [
    "jan.peeters@example.com", "an+vdab@gmail.com", "Els_De-Smet@sub.domein.be", "x@y.io",
    "ÉLODIE@exemple.fr", "info@vdab.be",
])
def test_email_addresses(address):
    assert redact(f"mail naar {address}.") == f"mail naar {EMAIL}."


@pytest.mark.parametrize("number", [
    "0471 23 45 67", "0471/23.45.67", "0471234567", "0471-23-45-67", "04 71 23 45 67",
    "+32 471 23 45 67", "+32471234567", "+32 (0)471 23 45 67", "0032 471 23 45 67",
    "09 123 45 67", "09/123.45.67", "02 123 45 67", "011 12 34 56", "(09) 123 45 67",
    "0800 30 700", "+31 6 12345678", "+33 1 23 45 67 89",
])
def test_phone_numbers(number):
    assert redact(f"bel me op {number} aub") == f"bel me op {PHONE} aub"


@pytest.mark.parametrize("account", [
    "BE68 5390 0754 7034", "BE68539007547034", "be68 5390 0754 7034", "BE68-5390-0754-7034",
    "NL91 ABNA 0417 1643 00", "NL91ABNA0417164300", "FR14 2004 1010 0505 0001 3M02 606",
    "DE89 3704 0044 0532 0130 00",
])
def test_ibans(account):
    assert redact(f"stort op {account} graag") == f"stort op {IBAN} graag"


def test_several_kinds_in_one_message():
    text = ("Ik ben 85.07.30-033.28, mail jan@x.be of bel 0471 23 45 67 / +32 9 123 45 67; "
            "rekening BE68 5390 0754 7034.")
    assert redact(text) == ("Ik ben [rijksregisternummer], mail [e-mail] of bel [telefoon] / [telefoon]; "
                            "rekening [iban].")


def test_two_phone_numbers_next_to_each_other():
    assert redact("0471234567 0472112233") == f"{PHONE} {PHONE}"


@pytest.mark.parametrize("text", [
    "in 2023", "van 2021 tot 2024", "2021-2022", "1.000 euro", "€ 1.000", "190 miljoen euro",
    "190.000.000 euro", "EUR 190M", "10.000.000.000 euro", "1 000 000 euro", "0,5 procent",
    "14 december 2020", "01/07/2023", "1.7.2023", "01-07-2023", "01/07/2023 10 uur",
    "van 09.00 tot 12.00", "om 9u30", "ik ben 45 jaar", "9000 Gent", "postcode 1000 Brussel",
    "artikel 12, §3", "priority 3", "maximaal 1000 tekens", "3 prioriteiten", "S87", "versie 3.6.21",
    "x@y", "jan at gmail punt com", "@vdab", "BE", "BE68", "NL91 dit is gewoon tekst",
    "Wat is telewerk?", "", "tel:", "+", "+32", "0471", "04 71",
])
def test_things_that_are_not_personal_data_stay(text):
    assert redact(text) == text


def test_only_the_number_is_replaced_not_the_text_around_it():
    assert redact("(bel 0471 23 45 67)") == f"(bel {PHONE})"
    assert redact("nummer:0471234567!") == f"nummer:{PHONE}!"
    assert redact("ABC0471234567") == "ABC0471234567"  # part of a code, not a phone number


def test_redaction_is_idempotent():
    once = redact("85073003328 jan@x.be 0471234567 BE68539007547034")
    assert redact(once) == once
