"""The program version, read from the installed distribution's metadata."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sbyt")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0"
