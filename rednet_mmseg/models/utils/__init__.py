from .deconv_bottleneck import DeconvBottleneck
from .pooled_features import PooledFeatures
from .rd_unit import RDUnit

__all__ = ['DeconvBottleneck', 'PooledFeatures', 'RDUnit']
