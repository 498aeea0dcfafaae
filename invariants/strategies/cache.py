"""How many strategies each cache keeps (``functools.lru_cache`` sizes).

Written as powers of two on purpose: Hypothesis draws integer literals of 100 or more that it finds
in local modules' source as candidate values, so a new such literal anywhere in the project changes
the examples generated (and the committed reports). ``2 ** 12`` holds no literal it collects.
"""

MANY = 2 ** 12  # strategies keyed by a price, a size or a date: one per distinct value seen
FEW = 2 ** 6  # strategies keyed by a charter's classes or a maximum count
