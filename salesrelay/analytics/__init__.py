"""Analytics (SPEC §4): one page per question the case asks, each a chart, the same numbers as a
table, a CSV download and filters kept in the URL. ``selectors`` computes every figure and is
where each page's access is stated; ``views`` only renders."""
