"""mmseg's ``SegLocalVisualizer`` that makes its matplotlib figure when it first draws.

mmengine's ``Visualizer.__init__`` builds a matplotlib figure at once (importing matplotlib's
figure machinery and generating its artists' docstrings): 0.83 s of the 1.15 s that building
:class:`~rednet_mmseg.apis.FaceParsingInferencer` took on 2 cores (mmengine 0.10.7, mmseg
1.2.2), paid at every start of the parsing tools although their face path draws its overlays
itself (``blend_labels``) and never uses the figure. ``FaceParsingInferencer`` builds this
class where the config names ``SegLocalVisualizer`` (through the ``VISUALIZERS`` registry):
the same visualizer, whose figure appears on the first access to it (any drawing).
"""

from mmseg.registry import VISUALIZERS
from mmseg.visualization import SegLocalVisualizer

#: The attributes ``Visualizer._initialize_fig`` fills for the saving figure.
_FIGURE_ATTRS = ('fig_save_canvas', 'fig_save', 'ax_save')


class _DeferredFigure:
    """Stands for the figure while ``Visualizer.__init__`` runs (it only reads the dpi)."""

    def get_dpi(self) -> float:
        from matplotlib import rcParams

        return float(rcParams['figure.dpi'])


@VISUALIZERS.register_module()
class LazyFigureSegVisualizer(SegLocalVisualizer):
    """``SegLocalVisualizer`` whose saving figure is made on first use (module docstring).

    Arguments as ``SegLocalVisualizer``.
    """

    def __init__(self, name: str = 'visualizer', **kwargs):
        self.__dict__['_deferring'] = True
        try:
            super().__init__(name=name, **kwargs)
        finally:
            self.__dict__['_deferring'] = False

    def _initialize_fig(self, fig_cfg) -> tuple:
        if self.__dict__.get('_deferring'):
            return None, _DeferredFigure(), None
        return super()._initialize_fig(fig_cfg)

    def _figure_part(self, name: str):
        value = self.__dict__.get('_' + name)
        if not self.__dict__.get('_deferring') and (
            value is None or isinstance(value, _DeferredFigure)
        ):
            parts = super()._initialize_fig(self.fig_save_cfg)
            for attr, part in zip(_FIGURE_ATTRS, parts):
                self.__dict__['_' + attr] = part
            value = self.__dict__['_' + name]
        return value


def _figure_property(name: str) -> property:
    def get(self):
        return self._figure_part(name)

    def set(self, value):
        self.__dict__['_' + name] = value

    return property(get, set, doc=f"mmengine's ``{name}``, made on first access")


for _name in _FIGURE_ATTRS:
    setattr(LazyFigureSegVisualizer, _name, _figure_property(_name))
