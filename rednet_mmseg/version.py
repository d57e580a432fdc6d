"""The package version."""

__version__ = '0.13.0'
