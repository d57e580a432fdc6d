"""Data preprocessors."""

from .implicit_prior_preprocessor import PriorConcatPreProcessor

__all__ = ['PriorConcatPreProcessor']
