"""Traffic against a Rasa stand-in over real HTTP, hostile messages, process measurements and
the harness pieces the benchmark relies on."""
from __future__ import annotations

import os
import random
import re
import sys

import pytest

from bench import traffic
from bench.measure import CpuMeter, cpu_seconds, rss_mb, run_measured
from tests.servers import PROCFILE, PostgresDatabase, procfile_command, render_nginx_config
from tests.servers.cluster import PROCFILE_MODEL
from tests.unit.evaluation.fake_rasa import reply, serving

REPLIES = {traffic.CATALOGUE: reply("Opleidingsverlof ...", traffic.EXPECTED_MEASURE, "overview"),
           traffic.FOLLOWUP: reply("Wie ...", traffic.EXPECTED_MEASURE, "amount"),
           traffic.PLAIN: reply("Hallo!")}


def test_sequential_times_every_scenario_and_checks_what_was_answered():
    with serving(REPLIES) as fake:
        result = traffic.sequential(fake.url, count=4, warmup=1)
    assert len(fake.calls) == 15
    assert {s: result["summary"][s]["n"] for s in traffic.SCENARIOS} == {"catalogue": 4, "followup": 4, "plain": 4}
    assert result["errors"] == 0
    assert result["intended"] == {"catalogue": 100.0, "followup": 0.0}  # the follow-up had the wrong aspect
    senders = [body["sender"] for _, _, body in fake.calls]
    assert senders[0] == senders[1] != senders[2]  # the follow-up continues the catalogue question


def test_load_counts_answers_errors_and_conversations_of_three():
    with serving({**REPLIES, traffic.PLAIN: []}) as fake:  # "hallo" gets no reply at all
        result = traffic.load(fake.url, users=3, total=30)
    assert result["sent"] == 30 == len(fake.calls)
    hallos = sum(1 for _, _, body in fake.calls if body["message"] == traffic.PLAIN)
    assert (result["ok"], result["errors"], result["error_kinds"]) == (30 - hallos, hallos, {"empty reply": hallos})
    assert hallos >= 8  # each user's every third message
    assert result["throughput"] > 0 and result["p95"] is not None
    per_sender = {}
    for _, _, body in fake.calls:
        per_sender.setdefault(body["sender"], []).append(body["message"])
    assert all(messages == list(traffic.CONVERSATION[:len(messages)]) for messages in per_sender.values())
    assert max(len(messages) for messages in per_sender.values()) == 3


def test_hostile_messages():
    rng = random.Random(1)
    long = traffic.random_words(rng, traffic.LONG_MESSAGE)
    assert len(long) == traffic.LONG_MESSAGE or len(long) == traffic.LONG_MESSAGE - 1
    assert len(long.split()) > 100 and re.fullmatch(r"[a-z ]+", long)
    assert any(ord(c) > 0x2000 for c in traffic.random_unicode(random.Random(2)))
    kinds = [traffic.hostile(random.Random(seed)) for seed in range(30)]
    assert any(len(k) == traffic.LONG_MESSAGE and " " not in k for k in kinds)
    assert any(" " in k and k.isascii() for k in kinds) and any(not k.isascii() for k in kinds)
    mixed = [traffic.mixed(k, random.Random(k)) for k in range(1000)]
    assert 50 < sum(1 for m in mixed if m not in traffic.CONVERSATION) < 150  # about 10 %


def test_process_measurements():
    assert rss_mb(os.getpid()) > 10 and cpu_seconds(os.getpid()) > 0
    meter = CpuMeter({"me": os.getpid(), "gone": 2 ** 22 + 1})
    sum(i * i for i in range(300000))
    percent = meter.percent()
    assert percent["me"] > 0 and percent["gone"] is None


def test_run_measured_reports_peak_memory_and_stops_at_the_timeout(tmp_path):
    done = run_measured([sys.executable, "-c", "x = bytearray(200 * 2 ** 20); print('ok')"], tmp_path / "a.log", 60)
    assert done.ok and done.peak_rss_mb > 200 and done.tail().strip() == "ok"
    slow = run_measured([sys.executable, "-c", "import time; time.sleep(30)"], tmp_path / "b.log", 1)
    assert slow.returncode == -9 and slow.seconds < 10


def test_the_procfile_rasa_line_names_the_model_the_cluster_replaces():
    assert PROCFILE_MODEL in procfile_command("rasa"), PROCFILE


def test_nginx_template_leaves_no_placeholder(tmp_path):
    text = render_nginx_config(tmp_path, "127.0.0.1:18081", ["127.0.0.1:5005", "127.0.0.1:5006"],
                               "127.0.0.1:8000", "http://127.0.0.1:18081")
    assert "127.0.0.1:18081" in text and "127.0.0.1:5006" in text
    assert not re.search(r"\$\{[A-Z_]+\}", text), "an unfilled ${...} placeholder would break nginx"
    with pytest.raises(ValueError):
        render_nginx_config(tmp_path, "127.0.0.1:1", ["127.0.0.1:5005"], "x", "y")


def test_unsafe_database_names_are_refused():
    with pytest.raises(ValueError):
        PostgresDatabase("x; drop table")
