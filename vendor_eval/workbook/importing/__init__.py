"""RawBook → validated Evaluation: cells, tables, the Vendors/Criteria/Categories/Scores
sheets, default-model matching, evaluation-matrix recognition and warnings, every problem
collected (with its reason code) before failing as a whole."""
