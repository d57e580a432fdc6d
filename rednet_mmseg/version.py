"""The package version."""

__version__ = '0.15.0'
