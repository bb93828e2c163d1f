"""The addon's user-facing texts (every msgid of the .pot and its German translation) carry
no requirement ids or issue numbers and no loaded words for colleagues."""

import pathlib
import re

import polib

I18N = pathlib.Path(__file__).resolve().parents[2] / "i18n"
REQUIREMENT_ID = re.compile(r"\bR\d{1,2}\b|\b[Ii]ssue\s*#?\d+")
LOADED = re.compile(r"free.?rider|trittbrett|belegwert", re.IGNORECASE)


def _entries(name):
    return [entry for entry in polib.pofile(str(I18N / name)) if not entry.obsolete]


def test_no_requirement_ids_in_user_texts():
    texts = [entry.msgid for entry in _entries("lead_quality.pot")]
    texts += [entry.msgstr for entry in _entries("de.po")]
    assert texts
    assert [text for text in texts if REQUIREMENT_ID.search(text)] == []


def test_neutral_words():
    texts = [entry.msgid for entry in _entries("lead_quality.pot")]
    texts += [entry.msgstr for entry in _entries("de.po")]
    assert [text for text in texts if LOADED.search(text)] == []
