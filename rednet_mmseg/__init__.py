"""rednet-mmseg: RED-Net face parsing (AAAI-18) as an MMSegmentation 1.x plugin.

Importing this package registers every component into mmseg's registries. Configs load it with
``custom_imports = dict(imports=['rednet_mmseg'], allow_failed_imports=False)``.
"""

from .utils import upstream_compat

# the one global workaround (the mmcv._ext stand-in of mmcv-lite), before anything imports
# mmseg.models; the others act only through this project's registered components
upstream_compat.apply()

from . import datasets, engine, evaluation, models  # noqa: E402,F401
from .version import __version__  # noqa: E402

__all__ = ['__version__', 'datasets', 'engine', 'evaluation', 'models']
