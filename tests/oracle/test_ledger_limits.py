"""The ledger refuses an issue that would take common beyond its authorized count (nvidia IV.A)."""

import pytest

from charter_oracle.oracle import bundled
from charter_oracle.oracle.adjustments import parse_events, run_ledger
from charter_oracle.oracle.cap_table import load_cap_table
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.errors import EventsError


def test_issue_beyond_authorized_common_is_refused():
    charter = load_charter("nvidia-1998")
    table = load_cap_table(bundled.reference_cap_table("nvidia-1998"), charter)
    # 14,000,000 outstanding; 200,000,000 authorized: 186,000,000 more fit exactly, one more does not.
    fits = parse_events({"events": [{"kind": "issue", "date": "1998-07-01", "shares": 186_000_000, "price": "1"}]}, "t")
    assert run_ledger(charter, table, fits).states[0].common == 200_000_000
    over = parse_events({"events": [{"kind": "issue", "date": "1998-07-01", "shares": 186_000_001, "price": "1"}]}, "t")
    with pytest.raises(EventsError, match="beyond the 200000000 authorized"):
        run_ledger(charter, table, over)
