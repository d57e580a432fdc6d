"""The package version."""

__version__ = '0.11.0'
