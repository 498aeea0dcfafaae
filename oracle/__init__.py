"""charter-oracle's reference implementation: each charter's economics, exact and clause-cited.

The public API is re-exported here; everything else in the package is internal.
"""

from oracle.cap_table import CapTable, Holding, OptionGrant, load_cap_table
from oracle.charter import Charter
from oracle.charter_file import load_charter
from oracle.errors import OracleError
from oracle.liquidation import Distribution, distribute

__all__ = [
    "CapTable", "Charter", "Distribution", "Holding", "OptionGrant", "OracleError",
    "distribute", "load_cap_table", "load_charter",
]
