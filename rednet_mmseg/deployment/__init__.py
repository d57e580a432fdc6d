"""Deployment helpers: BN folding and ONNX export."""

from .fuse_conv_bn import fuse_conv_bn
from .onnx_export import FaceParsingExportModel, compare_with_onnxruntime, export_onnx

__all__ = ['FaceParsingExportModel', 'compare_with_onnxruntime', 'export_onnx', 'fuse_conv_bn']
