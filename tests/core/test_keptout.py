"""Another office's kept-out-KEY.csv is untrusted input: only files and lines written as ours are read,
its text is cleaned as catalogue text is, this office's own file is skipped, and a flood is capped."""

from __future__ import annotations

from tui.core.sharing.hsds_read import BadRow
from tui.core.sharing.keptout import HEADER, file_bytes, file_name, read_others


def test_round_trip_and_own_file_skipped():
    rows = [BadRow("services.csv", 5, "assured_date", "ありえない日付です: '2099-13-45'", "t-2")]
    files = {file_name("aaaaaaaaaa"): file_bytes(rows), file_name("bbbbbbbbbb"): file_bytes(rows),
             "services.csv": b"id\n"}
    assert read_others(files, own_key="aaaaaaaaaa") == [("bbbbbbbbbb", rows[0])]
    assert read_others({file_name("cccccccccc"): file_bytes([])}, own_key="x") == []  # nothing kept out now


def test_hostile_files_and_lines_are_skipped_or_cleaned():
    header = ",".join(HEADER)
    files = {
        "kept-out-../../x.csv": f"{header}\nt-1,services.csv,2,name,bad\n".encode(),  # not a name we write
        file_name("dddddddddd"): b"\xff\xfe not utf-8",
        file_name("eeeeeeeeee"): b"id,why\nt-1,bad\n",  # another header
        file_name("ffffffffff"): (f"{header}\nt-1,services.csv,two,name,bad\n"  # row is not a number
                                  "t-2,services.csv,3,name,\x1b[31mred\x9b31m\n"  # terminal codes: cleaned
                                  "t-3,services.csv,4\n").encode(),  # short line
        file_name("1111111111"): (header + "\n" + "t-9,services.csv,2,name,x\n" * 5000).encode(),
    }
    found = read_others(files, own_key="")
    cleaned = [bad for office, bad in found if office == "ffffffffff"]
    assert [(bad.id, bad.row, bad.reason) for bad in cleaned] == [("t-2", 3, "red")]
    assert sum(1 for office, _ in found if office == "1111111111") == 1000  # a flood is capped
    assert {office for office, _ in found} == {"ffffffffff", "1111111111"}
