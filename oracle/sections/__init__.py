"""Charter-file section builders: one module per section of docs/charter-format.md.

Each builder takes a ``StrictTable`` (``oracle/strict_table.py``) for its section, reads every key the
section has, checks what only the section can check, closes the table (refusing unknown keys) and
returns the section's frozen value from ``oracle/charter.py``. ``oracle/charter_file.py`` assembles them.
"""
