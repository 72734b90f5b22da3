"""Load: content/ → validated, typed records (model.records.Content), or every problem found.

``load()`` (content.py) is the stage; ``Memo`` (memo.py) what the preview keeps between loads;
``IMAGE_SUFFIXES`` (walk.py) the files under updates/ that are pictures, not posts.
"""

from portal.load.content import load
from portal.load.memo import Memo
from portal.load.walk import IMAGE_SUFFIXES

__all__ = ["IMAGE_SUFFIXES", "Memo", "load"]
