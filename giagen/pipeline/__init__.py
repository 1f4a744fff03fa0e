"""Files to findings and documents, for every command alike: load, check, render, compare, collect."""
