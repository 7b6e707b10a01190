import pandas as pd
import pytest

from tests.orchestration.assets.customer_history_cases import customer_history


@pytest.fixture(scope="module")
def transactions() -> pd.DataFrame:
    """A customer history with awkward rows (customer_history_cases.py)."""
    return customer_history()
