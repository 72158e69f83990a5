"""How days and times are written per language (Django's ``FORMAT_MODULE_PATH``).

The one path for dates on the pages: a template writes a day as ``{{ day }}`` or
``{{ day|date:"SHORT_DATE_FORMAT" }}`` and a moment as ``{{ at|date:"SHORT_DATETIME_FORMAT" }}``,
never with a pattern of its own. English pages write ISO days (2026-03-02: unambiguous for a
reader of either country), Russian ones the Russian way (02.03.2026). What is not set here
(numbers, input formats) is Django's own for the language; money goes through the ``money``
filter. Files, exports and the API keep ISO days in every language.
"""
