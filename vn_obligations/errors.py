"""Exceptions a user can cause: each names the file (or model) and the problem."""


class VnObligationsError(Exception):
    """Base class for errors raised by vn_obligations."""


class InputError(VnObligationsError):
    """A letter could not be read: wrong encoding, binary, empty or too large."""


class AnnotationError(VnObligationsError):
    """A gold annotation file is malformed or does not match its letter."""


class ModelError(VnObligationsError):
    """A model file is missing, foreign or tampered with."""
