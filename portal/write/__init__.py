"""Write: pages -> the output folder, guarded and swapped in whole; the search index."""
