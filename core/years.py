"""The years the product accepts in dates and report parameters: a typo such as 0202 or
20250 is a 400, not a query over two millennia."""

FIRST_YEAR, LAST_YEAR = 2000, 2100
