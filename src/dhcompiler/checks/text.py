"""Rules on Vietnamese text: normalisation, spelling, spacing, punctuation, capitals."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from dhcompiler.checks.context import CheckContext
from dhcompiler.checks.registry import Hit, rule
from dhcompiler.load import Loc


@rule("DH401", "nfc", "text")
def text_not_nfc(ctx: CheckContext) -> Iterator[Hit]:
    """Văn bản phải ở dạng Unicode NFC (dựng sẵn).

    Chữ gõ bằng một số bộ gõ đến ở dạng tổ hợp (NFD): trông giống hệt nhưng so sánh,
    tìm kiếm và sắp xếp sai.

    Sai:  ``quyết`` gõ thành ``quye`` + dấu mũ + dấu sắc (ba ký tự tổ hợp)
    Đúng: ``quyết`` (một ký tự dựng sẵn “ế”)
    """
    for source in ctx.report.sources:
        text = source.text
        if text.isascii() or unicodedata.is_normalized("NFC", text):
            continue
        for line_no, line in enumerate(text.split("\n"), start=1):
            if not unicodedata.is_normalized("NFC", line):
                column = next((i for i, c in enumerate(line) if unicodedata.combining(c)), 0)
                yield Hit(Loc(source, line_no, column + 1),
                          "Văn bản không ở dạng Unicode NFC (chữ tổ hợp); hãy chuẩn hóa sang NFC "
                          "(ví dụ: lưu lại bằng trình soạn thảo có chức năng chuẩn hóa Unicode).")
