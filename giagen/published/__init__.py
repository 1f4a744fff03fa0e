"""Published reports (pages, DOCX, PDF, text) read back into data, with where each thing came from."""
