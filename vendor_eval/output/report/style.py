"""The award report's style sheet (WeasyPrint CSS): A4 pages numbered "Page n of N", a
table of contents with page numbers, table headers repeated on every page a table spans,
and nothing that needs colour to be read (docs/report.md §2)."""

from __future__ import annotations

__all__ = ["CSS"]

CSS = """
@page {
  size: A4;
  margin: 18mm 16mm 20mm 16mm;
  @top-left { content: string(report-title); font-size: 8pt; color: #444; }
  @top-right { content: "Award report"; font-size: 8pt; color: #444; }
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; }
}
@page :first { @top-left { content: none; } @top-right { content: none; } }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 9.5pt;
       line-height: 1.35; color: #000; }
h1 { font-size: 22pt; margin: 0 0 6mm 0; string-set: report-title content(); }
h2 { font-size: 14pt; border-bottom: 1.5pt solid #000; padding-bottom: 1mm;
     margin: 0 0 3mm 0; break-after: avoid; }
h3 { font-size: 11pt; margin: 5mm 0 1.5mm 0; break-after: avoid; }
section.part { break-before: page; }
section.title-page { padding-top: 50mm; }
.kicker { font-size: 11pt; letter-spacing: 1pt; text-transform: uppercase; margin: 0 0 3mm 0; }
nav.toc ol { list-style: none; padding: 0; margin: 0; }
nav.toc li { margin: 0 0 2mm 0; }
nav.toc a { color: #000; text-decoration: none; }
nav.toc a::after { content: leader(". ") target-counter(attr(href), page); }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm 0; font-size: 8.5pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th { text-align: left; border-bottom: 1pt solid #000; border-top: 1pt solid #000;
     padding: 1mm 1.5mm; background: #e8e8e8; }
td { border-bottom: 0.4pt solid #888; padding: 0.8mm 1.5mm; vertical-align: top; }
table.facts { width: auto; margin-top: 8mm; font-size: 10.5pt; }
table.facts th { background: none; border: none; padding: 1mm 6mm 1mm 0; vertical-align: top; }
table.facts td { border: none; padding: 1mm 0; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.out td { font-style: italic; }
img.chart { display: block; max-width: 100%; max-height: 225mm; margin: 2mm auto 4mm auto; }
.chart-missing { border: 1pt dashed #000; padding: 6mm; margin: 2mm 0 4mm 0;
                 text-align: center; font-style: italic; }
p.verdict { border-left: 3pt solid #000; padding: 1mm 0 1mm 3mm; font-weight: bold; }
.vendor { break-inside: avoid; }
.vendor ul { margin: 0.5mm 0 1.5mm 0; padding-left: 5mm; }
.label { font-weight: bold; }
.note { color: #333; font-size: 8.5pt; }
table.signoff { margin-top: 1mm; font-size: 10pt; break-inside: avoid; }
table.signoff th { background: none; border: none; width: 28%; padding: 7mm 3mm 1mm 0; }
table.signoff td { border: none; border-bottom: 0.8pt solid #000; padding: 7mm 0 1mm 0; }
code, .hash { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; word-break: break-all; }
"""
