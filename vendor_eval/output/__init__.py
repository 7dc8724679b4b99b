"""Formatting only, never computing: terminal text and CSV (:mod:`.text`) and the Excel
ranking workbook (:mod:`.excel`)."""
