"""`dhc diff`: compare two drafts section by section, footnote by footnote, indicator by indicator.

Stages: `sides` (a data directory, a git revision or a draft file → a loaded Report and its
laid-out Document) → `compare` (match by stable key, then by similarity; align paragraphs;
word diff) → one `changeset.ChangeSet` → views (`views`: terminal, stat, json, md).
"""
