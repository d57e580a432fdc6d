"""Building blocks of the encoders, decoders and the adaptive prior."""

from .deconv_as_conv import DeconvAsConv2d, deconv_weight_as_conv
from .deconv_bottleneck import DeconvBottleneck
from .pooled_features import PooledFeatures
from .prior_refinement import adaptive_scale, refine_with_prior, stack_priors
from .rd_unit import RDUnit
from .unpool import unpool2x

__all__ = [
    'DeconvAsConv2d',
    'DeconvBottleneck',
    'PooledFeatures',
    'RDUnit',
    'adaptive_scale',
    'deconv_weight_as_conv',
    'refine_with_prior',
    'stack_priors',
    'unpool2x',
]
