"""The outputs: DOCX, HTML and PDF of a composed report, through the one Jinja environment."""
