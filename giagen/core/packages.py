"""What a zip package (XLSX, DOCX) may claim before it is opened, and its XML parsed safely."""

from __future__ import annotations

import functools

# What a package may claim before anything is parsed: a filled report is a few hundred KB.
MAX_MEMBER = 40 * 1024 * 1024  # bytes, uncompressed, of any one part
MAX_TOTAL = 120 * 1024 * 1024  # bytes, uncompressed, of all parts read
MAX_RATIO = 250  # uncompressed / compressed, for parts over 1 MB


@functools.cache
def xml_parser():
    """lxml's parser that resolves no entity, loads no DTD and reaches no network."""
    # lazy: lxml (~15 ms) only when XML is parsed, not at every start
    from lxml import etree

    # what defusedxml guards against cannot happen
    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)
