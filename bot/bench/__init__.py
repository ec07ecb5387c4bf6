"""`python -m bot bench`: the project's bot against a stock Rasa 3.6 configuration.

Accuracy, latency, throughput (one and two Rasa servers), memory, start-up, training time,
model size and an external Dutch NLU check (xSID), printed as one table with the ratio
project/stock per row and written to var/bench/results.json. `python -m bot bench profile`
writes where time and memory go in the project's Rasa server to var/bench/profile.txt.
"""
