"""The package version."""

__version__ = '0.14.0'
