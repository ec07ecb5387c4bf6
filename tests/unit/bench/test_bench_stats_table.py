"""Percentiles, ratios, the text table and its JSON: pure logic, no servers."""
from __future__ import annotations

import json

import pytest

from bot.bench.run import Settings, build_rows
from bot.bench.stats import latency_summary, median, median_of_runs, percentile, ratio
from bot.bench.table import Row, format_value, render, rows_from_json, to_json, write_json


def test_percentile_interpolates_like_numpy():
    values = [10, 20, 30, 40]
    assert percentile(values, 0) == 10
    assert percentile(values, 100) == 40
    assert percentile(values, 50) == 25
    assert percentile(values, 95) == pytest.approx(38.5)
    assert percentile(list(range(1, 101)), 99) == pytest.approx(99.01)


def test_percentile_edge_cases():
    assert percentile([], 50) is None
    assert percentile([7], 99) == 7
    assert percentile([3, 1, 2], 50) == 2  # unsorted input
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_median_and_ratio():
    assert median([5, 1, 3]) == 3
    assert median_of_runs([None, 4, 2, 3]) == 3
    assert ratio(30, 60) == 0.5
    assert ratio(None, 1) is None
    assert ratio(1, 0) is None


def test_latency_summary():
    summary = latency_summary([1.0, 2.0, 3.0, 4.0, 5.0])
    assert summary["n"] == 5
    assert summary["p50"] == 3.0
    assert summary["mean"] == 3.0
    assert latency_summary([])["p99"] is None


def test_format_value():
    assert format_value(None, "ms") == "n/a"
    assert format_value(12.345, "ms") == "12.3"
    assert format_value(1234.5, "ms") == "1234"
    assert format_value(1750.4, "MB") == "1750"
    assert format_value(3.0, "count") == "3"


def test_render_one_table_with_sections_ratios_and_footnotes():
    rows = [Row("Latency", "a", "catalogue p50", "ms", 40.0, 80.0),
            Row("Latency", "b", "plain p50", "ms", 20.0, None, note="stock failed"),
            Row("Training", "c", "full training", "s", 90.0, 300.0, note="stock failed")]
    text = render(rows, "Title")
    lines = text.splitlines()
    assert lines[0] == "Title"
    assert sum(1 for line in lines if line.startswith("metric")) == 1
    assert "Latency" in lines and "Training" in lines
    catalogue = next(line for line in lines if line.startswith("catalogue p50"))
    assert catalogue.split()[-3:] == ["40.0", "80.0", "0.50"]
    plain = next(line for line in lines if line.startswith("plain p50 [1]"))
    assert plain.split()[-2:] == ["n/a", "n/a"]
    assert "full training [1]" in text  # same note, same footnote number
    assert lines[-1] == "[1] stock failed"


def test_json_round_trip(tmp_path):
    rows = [Row("S", "k", "label", "%", 90.0, 45.0, "higher")]
    path = tmp_path / "out" / "results.json"
    write_json(path, rows, {"quick": True}, {"project": {"x": 1}})
    data = json.loads(path.read_text())
    assert data["rows"][0]["ratio"] == 2.0
    assert data["meta"] == {"quick": True}
    assert data["raw"]["project"] == {"x": 1}
    assert rows_from_json(data) == rows
    assert to_json(rows, {})["rows"][0]["key"] == "k"


def test_build_rows_from_raw_measurements():
    side = {
        "evaluation": {"in_scope_pct": 90.0, "oos_pct": 80.0, "in_scope_n": 350, "oos_n": 95},
        "sequential": {"summary": {s: {"p50": 40.0, "p95": 50.0, "p99": 60.0} for s in
                                   ("catalogue", "followup", "plain")}},
        "load_1": {"throughput": 20.0, "p50": 900.0, "p95": 1200.0, "p99": 1500.0, "errors": 0},
        "rss_after_start_mb": {"rasa": 1500.0, "actions": 120.0},
        "rasa_first_answer_s": 35.0,
        "training": {"fresh_seconds": 100.0, "model_mb": 30.0},
    }
    stock = json.loads(json.dumps(side))
    stock["sequential"]["summary"]["catalogue"]["p50"] = 80.0
    raw = {"project": side, "stock": stock,
           "xsid": {"project": {"n": 500, "correct": 400, "correct_top_intent": 410},
                    "stock": {"n": 500, "correct": 450, "correct_top_intent": 455},
                    "unseen_test_intents": {"alarm_time_left_on_alarm": 4}}}
    rows = {row.key: row for row in build_rows(raw, Settings())}
    assert rows["accuracy.primary_measure"].ratio == 1.0
    assert rows["latency.catalogue.p50"].ratio == 0.5
    assert rows["xsid.intent"].project == 80.0
    assert rows["xsid.intent"].stock == 90.0
    assert "WITHOUT CatalogueEntityMatcher" in rows["xsid.intent"].note
    assert "alarm_time_left_on_alarm" in rows["xsid.intent"].note
    assert rows["load_2.throughput"].project is None  # not measured -> n/a
    assert rows["rss.rasa.start"].unit == "MB"
    assert "350 in scope" in rows["accuracy.primary_measure"].section
    for key in ("latency.followup.p99", "latency.plain.p95", "load_1.p99", "startup.rasa",
                "train.retrain", "train.model_size", "rss.actions.load"):
        assert key in rows


def test_load_throughput_counts_answers_inside_the_window():
    from bot.bench.load import LoadResult

    result = LoadResult(users=2, duration=10.0, elapsed=12.5, ok=30, errors=1, latencies=[100.0] * 30,
                        error_kinds={"TimeoutError": 1}, ok_in_window=25)
    assert result.throughput == 2.5
    summary = result.summary()
    assert summary["ok_in_window"] == 25 and summary["p50"] == 100.0 and summary["errors"] == 1


def test_sequential_intended_share():
    from bot.bench.load import Reply, SequentialResult

    result = SequentialResult()
    result.replies["catalogue"] = [Reply(True, 1, "m"), Reply(True, 1, "other")]
    result.replies["followup"] = [Reply(True, 1, "m", "eligibility"), Reply(True, 1, "m", "overview")]
    result.replies["plain"] = [Reply(True, 1), Reply(False, 1)]
    assert result.intended("m") == {"catalogue": 0.5, "followup": 0.5, "plain": 0.5}


def test_cpu_meter_on_this_process():
    import os

    from bot.bench.memory import CpuMeter, cpu_seconds

    assert cpu_seconds(os.getpid()) > 0
    meter = CpuMeter({"me": os.getpid(), "gone": 2 ** 22 + 1})
    sum(i * i for i in range(200000))
    percent = meter.percent()
    assert percent["me"] >= 0 and percent["gone"] is None
