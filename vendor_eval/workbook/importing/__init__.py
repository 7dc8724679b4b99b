"""RawBook → validated Evaluation: cells, tables, the Criteria/Categories/Scores sheets,
default-model matching and warnings, every problem collected before failing as a whole."""
