"""The published face parsing scores (F1 per class and group)."""

from .face_parsing_metric import (
    HELEN_GROUPS,
    PROTOCOLS,
    FaceParsingMetric,
    confusion_matrix,
    group_f1,
)

__all__ = ['HELEN_GROUPS', 'PROTOCOLS', 'FaceParsingMetric', 'confusion_matrix', 'group_f1']
