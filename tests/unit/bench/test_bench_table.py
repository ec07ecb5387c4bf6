"""The benchmark's table, its rows from raw measurements, the ablation table and the JSON."""
from __future__ import annotations

import json
import statistics

from bench.measure import latency_summary
from bench.rows import ablation, build_rows, render_ablation
from bench.settings import Settings
from bench.table import Row, format_value, render, write_results


def test_latency_summary_uses_numpys_interpolation():
    summary = latency_summary([10.0, 20.0, 30.0, 40.0])
    assert summary["p50"] == 25.0
    assert summary["p95"] == 38.5  # numpy.percentile([10, 20, 30, 40], 95)
    assert summary["mean"] == 25.0 and summary["n"] == 4
    assert latency_summary([7.0])["p95"] == 7.0
    assert latency_summary([])["p50"] is None
    hundred = latency_summary([float(i) for i in range(1, 101)])
    assert hundred["p95"] == statistics.quantiles(range(1, 101), n=20, method="inclusive")[-1] == 95.05


def test_ratio_and_formatting():
    assert Row("S", "k", "l", "ms", 30.0, 60.0).ratio == 0.5
    assert Row("S", "k", "l", "ms", None, 60.0).ratio is None
    assert Row("S", "k", "l", "ms", 3.0, 0.0).ratio is None
    assert format_value(None, "ms") == "n/a"
    assert format_value(12.345, "ms") == "12.3"
    assert format_value(1234.5, "ms") == "1234"
    assert format_value(3.0, "count") == "3"
    assert format_value(2.345, "x") == "2.35"


def test_render_one_table_with_sections_ratios_and_footnotes():
    rows = [Row("Latency", "a", "catalogue p50", "ms", 40.0, 80.0),
            Row("Latency", "b", "plain p50", "ms", 20.0, None, note="stock failed"),
            Row("Training", "c", "full training", "s", 90.0, 300.0, note="stock failed")]
    lines = render(rows, "Title").splitlines()
    assert lines[0] == "Title"
    assert sum(1 for line in lines if line.startswith("metric")) == 1
    assert "Latency" in lines and "Training" in lines
    assert next(line for line in lines if line.startswith("catalogue p50")).split()[-3:] == ["40.0", "80.0", "0.50"]
    assert next(line for line in lines if line.startswith("plain p50 [1]")).split()[-2:] == ["n/a", "n/a"]
    assert any(line.startswith("full training [1]") for line in lines)  # same note, same number
    assert lines[-1] == "[1] stock failed"


def rates(right, oos, follow, answers):
    return {"right_measure": {"pct": right}, "out_of_scope": {"pct": oos}, "follow_ups": {"pct": follow},
            "answers": {"pct": answers}}


def raw_measurements():
    side = {
        "sets": {"dev": {**rates(80.0, 90.0, 70.0, 50.0), "questions": 192, "conversation_turns": 47},
                 "own": {**rates(96.0, 98.0, None, None), "questions": 445, "conversation_turns": 0}},
        "sequential": {"summary": {s: {"p50": 40.0, "p95": 50.0} for s in ("catalogue", "followup", "plain")},
                       "intended": {"catalogue": 100.0, "followup": 95.0}},
        "load_1": {"throughput": 20.0, "p50": 900.0, "p95": 1200.0, "errors": 0,
                   "cpu_percent": {"rasa": 98.0, "actions": 10.0}},
        "hostile": {"latency": {"normal": {"p50": 25.0}, "long": {"p50": 50.0}, "ratio": 2.0},
                    "memory": {"before_mb": 800.0, "after_mb": 808.0, "growth_pct": 1.0}},
        "rss_after_start_mb": {"rasa": 800.0, "actions": 120.0},
        "rasa_first_answer_s": 12.0,
        "training": {"fresh_seconds": 100.0, "model_mb": 30.0, "reused_from": "2026-11-30 10:00"},
    }
    stock = json.loads(json.dumps(side))
    stock["sequential"]["summary"]["catalogue"]["p50"] = 80.0
    stock["sets"]["dev"].update(rates(84.0, 95.0, 75.0, 30.0))
    stock.pop("hostile")
    side["ablation"] = {"guard_words": {"dev": rates(82.0, 85.0, 70.0, 51.0)}, "names": {"dev": rates(60.0, 90.0, 40.0, 30.0)}}
    return {"project": side, "stock": stock, "cv": {"accuracy": 91.0, "f1": 90.5, "folds": 5},
            "xsid": {"project": {"accuracy": 80.0, "f1": 79.0, "train_seconds": 60.0},
                     "stock": {"accuracy": 90.0, "f1": 89.0, "train_seconds": 300.0},
                     "train_examples": 300, "test_examples": 500, "unseen_test_intents": {"alarm_x": 4}}}


def test_rows_from_raw_measurements():
    rows = {row.key: row for row in build_rows(raw_measurements(), Settings())}
    assert (rows["dev.right_measure"].project, rows["dev.right_measure"].stock) == (80.0, 84.0)
    assert "192 questions, 47 conversation turns" in rows["dev.answers"].section
    assert rows["blind.answers"].project is None and "not run" in rows["blind.answers"].section
    assert "own.answers" not in rows and rows["own.right_measure"].project == 96.0
    assert rows["latency.catalogue.p50"].ratio == 0.5
    assert (rows["cv.accuracy"].project, rows["cv.accuracy"].stock) == (91.0, None)
    assert rows["xsid.accuracy"].ratio == 80.0 / 90.0
    assert "4 test utterances" in rows["xsid.accuracy"].note
    assert rows["hostile.ratio"].project == 2.0 and rows["hostile.ratio"].stock is None
    assert rows["hostile.rss.growth"].project == 1.0
    assert "20,000 hostile messages" in rows["hostile.rss.after"].label
    assert rows["load_2.throughput"].project is None  # not measured -> n/a
    assert rows["load_1.cpu.rasa"].project == 98.0
    assert "2026-11-30 10:00" in rows["train.fresh"].note
    for key in ("rss.actions.start", "startup.actions", "train.retrain", "train.model_size"):
        assert key in rows


def test_ablation_lines_show_the_difference_with_all_layers_on():
    lines = ablation(raw_measurements())
    assert [line["layer off"] for line in lines] == ["none (all on)", "guard_words", "names", "stock config, all on"]
    assert lines[2]["difference"]["dev"]["right_measure"] == -20.0
    assert lines[1]["difference"]["dev"]["answers"] == 1.0
    assert lines[1]["blind"]["right_measure"] is None
    assert lines[3]["dev"]["out_of_scope"] == 95.0
    text = render_ablation(lines)
    names = next(line for line in text.splitlines() if line.startswith("names"))
    assert "60.0 (-20.0)" in names and "n/a" in names
    assert ablation({"project": {}, "stock": {}}) == [] and render_ablation([]) == ""


def test_results_are_written_as_text_and_json(tmp_path):
    rows = [Row("S", "k", "label", "%", 90.0, 45.0)]
    write_results(tmp_path / "out", "the table", rows, {"meta": {"quick": True}, "raw": {"project": {"x": 1}}})
    assert (tmp_path / "out" / "results.txt").read_text() == "the table\n"
    data = json.loads((tmp_path / "out" / "results.json").read_text())
    assert data["rows"][0]["ratio"] == 2.0 and data["rows"][0]["key"] == "k"
    assert data["meta"] == {"quick": True} and data["raw"]["project"] == {"x": 1}
