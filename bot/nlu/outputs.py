"""What the NLU pipeline adds to a parsed message, named once for the components that write
it and the dialogue that reads it. Importing this module loads neither spaCy nor Rasa."""

# The classifier's intent for a question about a measure: ask_<measure id with underscores>.
MEASURE_INTENT_PREFIX = "ask_"


def intent_for_measure(measure_id: str) -> str:
    return MEASURE_INTENT_PREFIX + measure_id.replace("-", "_")


# Entities of the catalogue matcher.
MEASURE = "measure"
INSTRUMENT = "instrument"
ASPECT = "aspect"
TARGET_GROUP = "doelgroep"
INTEREST = "interesse"
DECLINE_CUE = "afwijzing"
# An answer item chosen with a button (`/ask_followup{"item": "..."}`).
ITEM = "item"

# The answer item ranker: {"coverage": share of the message's words the items know,
# "information": the summed idf of those words (how much the message says),
# "ranked": [{"id", "measure", "score"}], the best few per measure, best first}.
ANSWER_ITEMS = "answer_items"
