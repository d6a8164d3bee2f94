"""vn_obligations: who must do what, with whom, by when, in Vietnamese directive letters.

>>> import vn_obligations as vo
>>> letter = vo.extract(open("letter.txt", encoding="utf-8").read())  # doctest: +SKIP
>>> letter.metadata.issuer, [o.text for o in letter.obligations]      # doctest: +SKIP
"""
from .classify import load_model, save_model
from .errors import AnnotationError, InputError, ModelError, VnObligationsError
from .evaluate import evaluate
from .letter import Actor, Deadline, DistributionEntry, Letter, Metadata, Obligation, Reference, Sentence
from .normalize import matching_form, normalize
from .pipeline import extract, extract_file
from .references import find_references
from .segment import Segment, segment
from .train import train

__version__ = "0.1.0"

__all__ = [
                     "Actor",
                     "AnnotationError",
                     "Deadline",
                     "DistributionEntry",
                     "InputError",
                     "Letter",
                     "Metadata",
                     "ModelError",
                     "Obligation",
                     "Reference",
                     "Segment",
                     "Sentence",
                     "VnObligationsError",
                     "__version__",
                     "evaluate",
                     "extract",
                     "extract_file",
                     "find_references",
                     "load_model",
                     "matching_form",
                     "normalize",
                     "save_model",
                     "segment",
                     "train",
]
