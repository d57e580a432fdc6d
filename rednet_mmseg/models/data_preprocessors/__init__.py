from .prior_concat import PriorConcatPreProcessor

__all__ = ['PriorConcatPreProcessor']
