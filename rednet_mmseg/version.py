"""The package version."""

__version__ = '0.16.0'
