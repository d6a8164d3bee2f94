"""vn_obligations: who must do what, with whom, by when, in Vietnamese directive letters.

>>> import vn_obligations as vo
>>> letter = vo.extract(open("letter.txt", encoding="utf-8").read())  # doctest: +SKIP
>>> letter.metadata.issuer, [o.text for o in letter.obligations]      # doctest: +SKIP
"""
from .batch import Failure, extract_many, iter_extract
from .classify import load_model, save_model
from .errors import AnnotationError, InputError, ModelError, VnObligationsError
from .evaluate import evaluate
from .letter import Actor, Deadline, DistributionEntry, Letter, Metadata, Obligation, Reference, Sentence
from .normalize import matching_form, normalize
from .pipeline import extract, extract_file
from .references import find_references
from .segment import Segment, segment
from .training import train

__version__ = "0.1.0"


def load_spacy(model=None, config=None):
    """The pipeline as a spaCy ``Language``; see :mod:`vn_obligations.spacy_pipeline` (imports spaCy on call)."""
    from .spacy_pipeline import load_spacy as _load_spacy

    return _load_spacy(model, config)


def extract_dataset(ds, text_column="text", num_proc=None, batch_size=8, **kwargs):
    """Extraction mapped over a ``datasets.Dataset``; see :mod:`vn_obligations.datasets_api`."""
    from .datasets_api import extract_dataset as _extract_dataset

    return _extract_dataset(ds, text_column=text_column, num_proc=num_proc, batch_size=batch_size, **kwargs)


__all__ = [
                     "Actor",
                     "AnnotationError",
                     "Deadline",
                     "DistributionEntry",
                     "Failure",
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
                     "extract_dataset",
                     "extract_file",
                     "extract_many",
                     "find_references",
                     "iter_extract",
                     "load_model",
                     "load_spacy",
                     "matching_form",
                     "normalize",
                     "save_model",
                     "segment",
                     "train",
]
