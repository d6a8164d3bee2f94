"""vn_obligations: who must do what, with whom, by when, in Vietnamese directive letters.

>>> import vn_obligations as vo
>>> letter = vo.extract(open("letter.txt", encoding="utf-8").read())  # doctest: +SKIP
>>> letter.metadata.issuer, [o.text for o in letter.obligations]      # doctest: +SKIP
"""
from .errors import AnnotationError, InputError, ModelError, VnObligationsError
from .letter import Actor, Deadline, DistributionEntry, Letter, Metadata, Obligation, Reference, Sentence
from .normalize import matching_form, normalize
from .pipeline import extract, extract_file
from .references import find_references
from .segment import Segment, segment

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
                     "extract",
                     "extract_file",
                     "find_references",
                     "matching_form",
                     "normalize",
                     "segment",
]
