from . import upstream_compat

__all__ = ['upstream_compat']
