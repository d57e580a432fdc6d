"""Label-map overlays and legends."""

from .legend import draw_legend
from .overlay import blend_labels

__all__ = ['blend_labels', 'draw_legend']
