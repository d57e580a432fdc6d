"""Label-map overlays and legends."""

from .lazy_figure_visualizer import LazyFigureSegVisualizer
from .legend import draw_legend
from .overlay import blend_labels

__all__ = ['LazyFigureSegVisualizer', 'blend_labels', 'draw_legend']
