from .face_parsing_inferencer import FaceParsingInferencer

__all__ = ['FaceParsingInferencer']
