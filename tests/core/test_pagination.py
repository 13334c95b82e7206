"""The pages' paginator: a page number that is not a positive whole number is the first page."""

import pytest

from core.pagination import FirstPagePaginator


@pytest.mark.parametrize(
    ("asked", "shown"),
    [(None, 1), ("", 1), ("x", 1), ("0", 1), ("-1", 1), (-5, 1), ("2", 2), ("9", 3)],
)
def test_get_page(asked, shown):
    assert FirstPagePaginator(range(25), 10).get_page(asked).number == shown
