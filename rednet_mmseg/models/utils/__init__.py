from .deconv_bottleneck import DeconvBottleneck
from .pooled_features import PooledFeatures
from .prior_refinement import adaptive_scale, refine_with_prior, stack_priors
from .rd_unit import RDUnit
from .unpool import unpool2x

__all__ = [
    'DeconvBottleneck',
    'PooledFeatures',
    'RDUnit',
    'adaptive_scale',
    'refine_with_prior',
    'stack_priors',
    'unpool2x',
]
