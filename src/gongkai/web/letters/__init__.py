"""Letters (告知书、答复书) issued from a case's events: DOCX from docxtpl templates, wording
from dated data files, 文号 from a per-body, per-year counter (see ``docs/web.md``, Letters)."""
