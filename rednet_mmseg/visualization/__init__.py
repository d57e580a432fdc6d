from .legend import draw_legend

__all__ = ['draw_legend']
