"""Page images among the uploaded files, made into reports as ``gongkai batch`` makes them
(:func:`gongkai.files.in_folder`): a ZIP folder holding only page images is one scanned report;
beside other files, ``某局2024_p1.png``, ``某局2024_p2.png`` … are one. The job stores one file
per report, so each such group is stored as one image-only PDF of its pages
(:func:`gongkai.parse.image_pdf.image_pdf`: JPEG pages as they are), named after the group.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ...errors import ParseError
from ...files import Pages, group_images, in_folder
from ...parse.image_pdf import image_pdf


def page_reports(
    images: Sequence[tuple[str, bytes]],
    *,
    folders: bool,
    others: Sequence[str] = (),
    root: str = "扫描件",
) -> list[tuple[str, bytes]]:
    """``(name, bytes)`` of the reports that page images make: a group becomes ``<name>.pdf``
    of its pages, a lone image stays as it is. ``images``: each image's path (inside its ZIP,
    with ``folders``; else its own name) and bytes, in upload order; ``others``: the paths of
    the ZIP's other report files, which decide whether a folder holds only page images;
    ``root``: what to call a report made of the images at the ZIP's top level. A
    group with a broken page stays as its separate images, so that the broken one becomes an
    error row naming it and nothing is lost."""
    # Paths here are names inside a ZIP, never looked up on disk.
    data = {Path(name): blob for name, blob in images}
    if folders:
        by_folder: dict[Path, list[Path]] = {}
        for p in [*data, *(Path(o) for o in others)]:
            by_folder.setdefault(p.parent, []).append(p)
        sources = [
            s
            for here, files in by_folder.items()
            for _, s in in_folder(here, files)
            if isinstance(s, Pages) or s in data
        ]
    else:
        sources = list(group_images(list(data)))
    out: list[tuple[str, bytes]] = []
    for source in sources:
        if not isinstance(source, Pages):
            out.append((source.name, data[source]))
            continue
        pages = [(p.name, data[p]) for p in source.pages]
        if len(pages) == 1:  # a folder with one image: the image is the report, as it is
            out.extend(pages)
            continue
        title = f"{source.title or root}.pdf"
        try:
            out.append((title, image_pdf(pages, title)))
        except ParseError:
            out.extend(pages)
    return out
