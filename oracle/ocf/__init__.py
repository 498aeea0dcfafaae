"""Open Cap Table Format packages as cap tables (``docs/ocf.md``).

``is_ocf_path`` tells an OCF package from a TOML cap table by its path's shape;
``load_ocf_cap_table`` reads, verifies and replays one against a charter;
``cross_check`` compares the package's class terms with the charter's;
``skeleton`` writes a charter file from what a package says.
"""

from charter_oracle.oracle.ocf.importer import import_package, load_ocf_cap_table
from charter_oracle.oracle.ocf.mapping import parse_class_map
from charter_oracle.oracle.ocf.package import is_ocf_path

__all__ = ["import_package", "is_ocf_path", "load_ocf_cap_table", "parse_class_map"]
