"""Synthetic data in original release formats, for the quick start and the tests."""
from .synthetic_helen import make_synthetic_helen

__all__ = ['make_synthetic_helen']
