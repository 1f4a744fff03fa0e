"""Text escaped for XML as xml.sax.saxutils does it, without loading that package (it brings urllib and http)."""


def escape(text: str) -> str:
    """`&`, `<` and `>` as entities: what element text and double-quoted attributes need here."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
