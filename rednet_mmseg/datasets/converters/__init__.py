from .common import ConversionError, atomic_output_dir
from .helen import convert_helen

__all__ = ['ConversionError', 'atomic_output_dir', 'convert_helen']
