"""Reconsideration (行政复议) and litigation (行政诉讼) cases of a body, for table 四; and the
record of Excel ledger imports (:class:`~.models.ImportBatch`)."""
