"""Dutch language understanding helpers: text folding, the phrase matcher and its Rasa component."""
