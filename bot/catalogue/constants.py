"""Fixed vocabularies of the catalogue (see the project contract)."""
from __future__ import annotations

# Order is the catalogue's display order (list_measures, `catalogue list`).
MEASURE_IDS: tuple[str, ...] = (
    "relanceplan",
    "online-opleidingsaanbod",
    "stagebonus",
    "opleiding-tijdelijk-werklozen",
    "werkplekleren",
    "actieplan-e-leren",
    "digitaal-loopbaanplatform",
    "opleidingsportefeuille",
    "opleidingsverlof-e-leren",
    "digitale-vaardigheden",
    "begeleidingscapaciteit-vdab",
    "werkbaar-werk",
    "telewerk",
    "doelgroepenkortingen",
    "sociale-economie",
    "zij-instroom-zorg-onderwijs",
)

# The only measure whose priority may be null (it is the agreement itself).
PRIORITY_OPTIONAL_IDS: frozenset[str] = frozenset({"relanceplan"})
PRIORITIES: tuple[int, ...] = (1, 2, 3)

TARGET_GROUPS: tuple[str, ...] = (
    "werkzoekende",
    "werknemer",
    "tijdelijk werkloze",
    "werkgever",
    "zelfstandige",
    "opleidingsverstrekker",
    "leerling/student",
)

THEMES: tuple[str, ...] = (
    "opleiding",
    "e-leren",
    "telewerk",
    "digitaal",
    "loopbaan",
    "aanwerving",
    "werkbaar werk",
    "sociale economie",
    "zorg",
    "onderwijs",
)

ASPECTS: tuple[str, ...] = ("overview", "eligibility", "how_to_apply", "amount", "status", "contact")

STATES: tuple[str, ...] = ("announced", "implemented", "changed", "abolished")

# Hosts of public bodies: their pages are shown before news and consultancy pages.
OFFICIAL_HOSTS: tuple[str, ...] = (
    "vlaanderen.be",
    "vdab.be",
    "vlaio.be",
    "rsz.be",
    "serv.be",
    "vlaamsparlement.be",
    "socialsecurity.be",
    "belgium.be",
)
