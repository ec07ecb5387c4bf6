"""The HTML report: a Jinja2 page with the summary, the confusion matrix and every failure."""
from __future__ import annotations

from html.parser import HTMLParser

from bot.evaluation.questions import Question
from bot.evaluation.report import render_report, write_report
from bot.evaluation.scoring import DECLINE, MEASURE, Results, judge
from bot.rasa_api import Turn

KEYED = Question("d1", "Hoeveel geld?", "relanceplan", "amount", (("190",), ("opleiding", "loopbaan")),
                 ("250 miljoen",))


def results() -> Results:
    def turn(text, *measures):
        return Turn(texts=[text], measures=[{"id": m} for m in measures])

    return Results([
        judge(KEYED, turn("Het kost <b>250 miljoen</b>.", "relanceplan"), MEASURE),
        judge(Question("d2", "Hoe laat is het?", "out_of_scope"), turn("Over telewerk", "telewerk"), DECLINE),
        judge(Question("d3", "Wat is telewerk?", "telewerk"), turn("Telewerk is ...", "telewerk"), MEASURE),
    ])


class Checker(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_report_is_html_with_the_failing_key(tmp_path):
    html = render_report(results(), matrix=False)
    checker = Checker()
    checker.feed(html)
    assert html.startswith("<!doctype html>") and ("html", {"lang": "nl"}) in checker.tags
    failures = html[html.index("Fouten (ergste eerst)"):]
    assert failures.index('id="q-d2"') < failures.index('id="q-d1"')  # wrong measure first
    assert "ontbreekt: “190”" in failures and "ontbreekt: “opleiding” of “loopbaan”" in failures
    assert "verboden tekst gevonden: “250 miljoen”" in failures
    assert "Het kost &lt;b&gt;250 miljoen&lt;/b&gt;." in failures and "<b>250" not in html
    assert 'id="q-d3"' not in html  # passed
    assert "Juiste maatregel (binnen bereik)" in html and "100.0 % (1/1)" in html


def test_written_report_has_the_confusion_matrix(tmp_path):
    path = tmp_path / "out" / "report.html"
    write_report(results(), path)
    html = path.read_text(encoding="utf-8")
    assert "Verwarringsmatrix" in html and 'src="data:image/png;base64,iVBOR' in html
