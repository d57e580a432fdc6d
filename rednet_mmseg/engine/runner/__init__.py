"""The runner of this project's configs."""

from .face_runner import FaceRunner

__all__ = ['FaceRunner']
