"""Shared by every test folder: pytest puts this folder on ``sys.path`` (rootdir conftest, prepend
import mode), so ``from _cli import run`` -- the in-process command-line runner -- works anywhere."""

import os

# The tests run under xdist's own workers: ``check`` runs its units in this process unless a test asks for
# more (tests/reports/test_check_jobs.py compares the two and interrupts a run with workers).
os.environ.setdefault("CHARTER_ORACLE_JOBS", "1")
