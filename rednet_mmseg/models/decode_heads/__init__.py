from .rd_head import RDHead

__all__ = ['RDHead']
