"""The one-line data change, the stock config, config variants, nginx config, /proc parsing."""
from __future__ import annotations

import pytest
import yaml

from bot.bench import configs, training
from bot.bench.memory import parse_vmrss, rss_bytes
from bot.bench.nginx import render_config
from bot.bench.postgres import FreshDatabase

NLU = """version: "3.1"
nlu:
  - intent: greet
    examples: |
      - hallo
      - dag
  - intent: thank
    examples: |
      - bedankt
      - merci
"""


def test_append_example_adds_one_example_to_the_last_block(tmp_path):
    path = tmp_path / "chitchat.yml"
    path.write_text(NLU, encoding="utf-8")
    before = training.example_count(path)
    added = training.append_example(path)
    assert added == "      - merci alsjeblieft"
    assert training.example_count(path) == (before[0], before[1] + 1)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["nlu"][1]["examples"].splitlines()[-1] == "- merci alsjeblieft"


def test_append_example_refuses_a_file_that_does_not_end_with_an_example(tmp_path):
    path = tmp_path / "rules.yml"
    path.write_text("version: '3.1'\nnlu:\n  - intent: x\n    examples: |\n      - a\n  - synonym: b\n", encoding="utf-8")
    with pytest.raises(ValueError):
        training.append_example(path)
    with pytest.raises(FileNotFoundError):
        training.pick_nlu_file(tmp_path)


def test_pick_nlu_file_is_deterministic(tmp_path):
    (tmp_path / "b.yml").write_text(NLU, encoding="utf-8")
    (tmp_path / "a.yml").write_text(NLU, encoding="utf-8")
    assert training.pick_nlu_file(tmp_path).name == "a.yml"


def test_stock_config_is_rasas_default_for_dutch():
    stock = configs.load(configs.STOCK_CONFIG)
    default = configs.rasa_default_config()
    assert stock["language"] == "nl"
    assert stock["pipeline"] == default["pipeline"]
    assert stock["policies"] == default["policies"]
    names = [c["name"] for c in stock["pipeline"]]
    assert names[0] == "WhitespaceTokenizer" and "SpacyNLP" not in names


def test_project_config_without_the_catalogue_matcher():
    config = {"language": "nl", "pipeline": [{"name": "SpacyNLP", "model": "var/spacy-nl"},
                                             {"name": "bot.nlu.catalogue_matcher.CatalogueEntityMatcher"},
                                             {"name": "DIETClassifier"}],
              "policies": [{"name": "RulePolicy"}]}
    stripped = configs.nlu_only(configs.without_components(config, [configs.CATALOGUE_MATCHER]))
    assert [c["name"] for c in stripped["pipeline"]] == ["SpacyNLP", "DIETClassifier"]
    assert "policies" not in stripped
    assert len(config["pipeline"]) == 3  # the original is untouched
    absolute = configs.absolute_paths(stripped)
    assert absolute["pipeline"][0]["model"].endswith("/var/spacy-nl")
    assert absolute["pipeline"][0]["model"].startswith("/")


def test_nginx_config_has_both_upstreams_on_loopback(tmp_path):
    text = render_config(tmp_path, 18080, ["127.0.0.1:5005", "127.0.0.1:5006"])
    assert "listen 127.0.0.1:18080;" in text
    assert text.count("server 127.0.0.1:") == 2
    assert f"pid {tmp_path}/nginx.pid;" in text
    with pytest.raises(ValueError):
        render_config(tmp_path, 1, [])


def test_vmrss_parsing_and_own_process():
    assert parse_vmrss("Name:\tpython\nVmRSS:\t  2048 kB\n") == 2048 * 1024
    assert parse_vmrss("Name: x\n") is None
    import os

    assert rss_bytes(os.getpid()) > 1024 * 1024


def test_unsafe_database_names_are_refused():
    with pytest.raises(ValueError):
        FreshDatabase(name="x; drop table")


RAW = """<module> (rasa/__main__.py:5);main (rasa/__main__.py:9);_find_and_load (<frozen importlib._bootstrap>:1027);<module> (tensorflow/__init__.py:3) 30
<module> (rasa/__main__.py:5);main (rasa/__main__.py:9);load (rasa/core/agent.py:100);process (rasa/nlu/classifiers/diet_classifier.py:900);__call__ (tensorflow/python/eager/polymorphic_function/polymorphic_function.py:8) 50
<module> (rasa/__main__.py:5);main (rasa/__main__.py:9);match (bot/nlu/phrase_matcher.py:99) 20
"""


def test_pyspy_raw_parsing_markers_and_packages():
    from bot.bench.profile import marker_lines, package_of, parse_raw, short_path

    samples = parse_raw(RAW + "garbage line\n\n")
    assert samples.total == 100
    assert samples.inclusive(r"^_find_and_load ") == 30
    assert samples.inclusive(r"\(rasa/nlu/classifiers/diet_classifier\.py") == 50
    assert samples.inclusive(r"\(rasa/") == 100
    assert samples.self_by_package() == {"tensorflow": 80, "project code": 20}
    assert package_of("execute (sqlalchemy/engine/default.py)") == "sqlalchemy"
    lines = marker_lines(samples, [("DIET", r"diet_classifier")], rate=100, messages=10)
    assert "50.0 %" in lines[0] and "50.0 ms/message" in lines[0]
    assert short_path("/x/.venv/lib/python3.10/site-packages/rasa/core/agent.py") == "rasa/core/agent.py"


def test_profile_report_from_tiny_measurements(tmp_path):
    from bot.bench.profile import parse_raw, write_report

    spy = {"startup": parse_raw(RAW), "rasa": parse_raw(RAW), "actions": parse_raw(RAW), "messages": 10,
           "rate": 100, "wall_s": 2.0, "first_answer_s": 25.0,
           "sequential": {"catalogue": {"p50": 50.0}}, "rss_after_start_mb": {"rasa": 1200.0, "actions": 700.0}}
    probed = {"stages": [{"stage": "python", "seconds": 0.0, "rss_mb": 18.0},
                         {"stage": "import tensorflow", "seconds": 3.5, "rss_mb": 600.0},
                         {"stage": "first message", "seconds": 25.0, "rss_mb": 1270.0}],
              "per_message_ms_median": {"catalogue": {"total": 60.0, "node run_DIETClassifier6": 6.0},
                                        "plain": {"total": 30.0}},
              "tracker_store": "SQLTrackerStore"}
    run = {"sequential": {"catalogue": {"p50": 55.0}}, "load": {"throughput": 20.0, "p50": 1000.0}, "startup_s": 20.0}
    better = {"sequential": {"catalogue": {"p50": 55.0}}, "load": {"throughput": 26.0, "p50": 750.0}, "startup_s": 22.0}
    text = write_report(tmp_path, spy, probed, {"default": [run, run], "tf1": [better, better]})
    assert "== Top costs" in text
    assert "import tensorflow" in text
    assert "20-user throughput x1.30" in text
    assert (tmp_path / "profile.txt").read_text() == text
    assert (tmp_path / "profile.json").exists()


def test_production_endpoints_are_filled_from_the_environment():
    from bot.bench.postgres import PRODUCTION_ENDPOINTS

    text, env, source = FreshDatabase(name="bench_abc").production_endpoints("http://127.0.0.1:5055")
    assert source == "deploy/endpoints.production.yml"
    assert text == PRODUCTION_ENDPOINTS.read_text()
    assert env["TRACKER_DB_NAME"] == "bench_abc"
    assert env["ACTION_SERVER_URL"] == "http://127.0.0.1:5055/webhook"
    assert "${TRACKER_DB_NAME}" in text


def test_nginx_deploy_template_leaves_no_placeholder(tmp_path):
    from bot.bench.nginx import Nginx

    nginx = Nginx(tmp_path / "prefix", 18081, ["127.0.0.1:5005", "127.0.0.1:5006"])
    (tmp_path / "prefix").mkdir()
    text = nginx.render()
    import re

    assert "127.0.0.1:18081" in text and "127.0.0.1:5006" in text
    assert not re.search(r"\$\{[A-Z_]+\}", text), "an unfilled ${...} placeholder would break nginx"
    assert nginx.config_source == "deploy/nginx.conf.template"
