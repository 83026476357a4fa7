"""Import and export: the Excel ledger (``gongkai ledger`` format) into and out of the
register, and every list as XLSX. No models of its own (import batches are
:class:`gongkai.web.appeals.models.ImportBatch`)."""
