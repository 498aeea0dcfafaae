"""charter-oracle's reference implementation: each charter's economics, exact and clause-cited.

The public API is re-exported here; everything else in the package is internal.
"""

from charter_oracle.oracle.cap_table import CapTable, Holding, OptionGrant, load_cap_table
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.errors import OracleError
from charter_oracle.oracle.liquidation import Distribution, distribute

__all__ = [
    "CapTable", "Charter", "Distribution", "Holding", "OptionGrant", "OracleError",
    "distribute", "load_cap_table", "load_charter",
]
