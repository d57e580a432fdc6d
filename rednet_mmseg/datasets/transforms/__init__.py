from .loading import LoadFaceLandmarks

__all__ = ['LoadFaceLandmarks']
