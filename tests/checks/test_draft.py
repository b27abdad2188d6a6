"""`dhc check` on the project's own data: the seed's real defects, and nothing else, from the
structure, text and configuration rules (the README lists them as a worked example)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from conftest import DATA
from dhcompiler.checks.run import check_data_dir
from dhcompiler.findings import Finding

LEAD = "1-2-ket-qua-cong-tac-lanh-dao.yaml"
BUILD = "1-4-ket-qua-cong-tac-xay-dung.yaml"
ASSESS = "1-6-danh-gia-chung.yaml"
TASKS = "2-2-nhiem-vu-giai-phap-phat-trien.yaml"
WORK = "2-4-nhiem-vu-giai-phap-cong-tac.yaml"

# (code, file, the word at the reported column) — for a double space or a space before a full
# stop, the word before it (without its footnote mark).
EXPECTED = Counter(
    {
        ("DH411", LEAD, "thường"): 1,  # bồi thường thường giải phóng mặt bằng (info: see DH411)
        ("DH403", BUILD, "phát"): 1,  # về phát triển phát triển tổ chức đảng
        ("DH404", "00-thuyet-minh-chu-de.yaml", "hung"): 1,  # hung cường → hùng cường
        ("DH404", TASKS, "dây"): 2,  # dây truyền → dây chuyền
        ("DH404", LEAD, "stend"): 1,  # stend → stent (data/dictionary.yaml)
        ("DH405", LEAD, "-"): 1,  # giai đoạn 2021 -  2025
        ("DH405", LEAD, "cường;"): 1,  # tăng cường;  hoàn thành
        ("DH405", LEAD, "}};"): 1,  # xóm, tổ dân phố văn hoá đạt {{ … }};  cơ quan
        ("DH405", BUILD, "có"): 1,  # trong đó có  23 đồng chí
        ("DH405", ASSESS, "tư"): 1,  # thu hút đầu tư  những dự án lớn
        ("DH406", LEAD, "cao"): 1,  # hiệu quả kinh tế cao[^…] .
        ("DH408", LEAD, "nhân"): 1,  # heading “… nâng cao đời sống nhân dân”
        ("DH409", LEAD, "lợi"): 1,  # phường Thắng lợi (đường Thắng Lợi elsewhere)
        ("DH410", LEAD, "VietGap"): 1,  # VietGap beside VietGAP
        ("DH410", BUILD, "Covid-19"): 1,  # Covid-19 ×3 beside COVID-19 ×3
        ("DH410", ASSESS, "Covid-19"): 2,
        # hoá, uỷ, khoá: 26 old-style tone marks in a document that writes hóa, ủy, khóa 100 times
        ("DH402", LEAD, "hoá"): 14,
        ("DH402", BUILD, "Uỷ"): 2,
        ("DH402", ASSESS, "uỷ"): 1,
        ("DH402", ASSESS, "Uỷ"): 1,
        ("DH402", "2-0-phan-thu-hai.yaml", "hoá"): 1,
        ("DH402", TASKS, "hoá"): 2,
        ("DH402", WORK, "uỷ"): 2,
        ("DH402", WORK, "Uỷ"): 1,
        ("DH402", WORK, "khoá"): 1,
        ("DH402", WORK, "hoá"): 1,
    }
)


def described(finding: Finding) -> tuple[str, str, str]:
    line = Path(finding.path).read_text(encoding="utf-8").split("\n")[finding.line - 1]
    if finding.code in ("DH405", "DH406"):
        before = line[: finding.column - 1].rstrip().split(" ")[-1]
        return finding.code, Path(finding.path).name, re.sub(r"\[\^[^\]]*\]$", "", before)
    word = re.match(r"[\w-]+", line[finding.column - 1 :])
    return finding.code, Path(finding.path).name, word.group() if word else "?"


def test_check_on_the_projects_data_exits_0_with_the_seeds_real_defects():
    result = check_data_dir(DATA)
    assert result.return_code == 0
    ours = [f for f in result.findings if f.code[2] in "045"]
    assert all(f.severity.value == ("info" if f.code == "DH411" else "warning") for f in ours)
    assert Counter(described(f) for f in ours) == EXPECTED
