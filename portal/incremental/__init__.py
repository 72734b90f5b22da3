"""Incremental builds: what changed posts change, and the record that lets a fresh process know.

changes.py names, in the pages' own terms (render/deps.py), what a set of changed posts changes
and renders just that; record.py keeps beside the output what a build read and made, so that
the next ``build`` in a new process (a deploy after ``git pull``) does the same as the preview
does in memory, and begins with an outline (outline.py) read before the model is imported, so
that Pagefind starts on the parts of the index the changed posts will change; partial.py is
that build.
"""
