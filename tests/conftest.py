"""Shared by every test folder: pytest puts this folder on ``sys.path`` (rootdir conftest, prepend
import mode), so ``from _cli import run`` -- the in-process command-line runner -- works anywhere."""
