"""The package version."""

__version__ = '0.9.0'
