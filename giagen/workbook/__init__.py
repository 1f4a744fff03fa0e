"""The clerk's workbook: where everything stands in it, written, read back cell by cell, copied many times."""
