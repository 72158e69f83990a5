"""The rules of SalesRelay as pure Python: no Django, no database (an import-linter contract).

Inputs are frozen dataclasses and plain values, outputs are values; the Django apps load the
inputs, call these functions and store what they return. The same functions serve a deal won by
hand and a history imported from files, which is why both give the same numbers.
"""
