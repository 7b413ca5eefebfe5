#!/usr/bin/env python3
"""Extracts the one-word terms of OpenThesaurus (Debian package openthesaurus-de-text,
LGPL-2.1) into data/reference/openthesaurus_de.txt: one synonym set per line, terms
separated by ';', annotations like "(ugs.)" removed, multi-word terms dropped.

    apt-get install openthesaurus-de-text
    scripts/openthesaurus-extract.py /usr/share/openthesaurus-de/openthesaurus.txt > data/reference/openthesaurus_de.txt
"""
import re
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/openthesaurus-de/openthesaurus.txt"
print("# One-word terms of OpenThesaurus (www.openthesaurus.de), LGPL-2.1, see SOURCES.md.")
for line in open(src, encoding="utf-8"):
    if line.startswith("#"):
        continue
    terms = []
    for raw in line.strip().split(";"):
        t = re.sub(r"\([^)]*\)", "", raw).strip()
        if t and re.fullmatch(r"[A-Za-zÄÖÜäöüß][A-Za-zÄÖÜäöüß-]*", t) and len(t) >= 2:
            terms.append(t)
    if terms:
        print(";".join(dict.fromkeys(terms)))
