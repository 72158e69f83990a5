"""Normalised company names, for duplicate protection (SPEC §2.2).

Legal forms, quotes, punctuation, letter case and spacing do not make a different company:

>>> normalize_name('ООО «Аква-Люкс»')
'аква люкс'
>>> normalize_name("Aqua Lux, LLC")
'aqua lux'
"""

import re

LEGAL_FORMS = {
    "ооо", "оао", "зао", "пао", "ао", "ип", "нко", "тоо",
    "llc", "ltd", "inc", "co", "corp", "gmbh", "ag", "sa", "plc", "bv", "oy", "ab", "srl", "spa",
}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def normalize_name(name: str) -> str:
    words = _WORD.findall(name.casefold().replace("ё", "е"))
    return " ".join(w for w in words if w not in LEGAL_FORMS)
