"""`python -m bench` (`make bench`): the project's bot against a stock Rasa 3.6 configuration on
the same data, both served as in production by the test harness (tests/servers), in one table
with the ratio project/stock per row. Not part of the bot: bot/ imports nothing from here."""
