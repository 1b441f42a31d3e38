"""Reading import files as a stream: the encoding is judged on a sample and checked to the
end, and orders come out one at a time with their line numbers."""

from __future__ import annotations

from pathlib import Path

from channels.importing.files import SAMPLE, detect_encoding, read_file

HEADER = "external_id;channel;sku;quantity;ship_city\r\n"


def test_a_windows_1252_letter_after_the_sample_is_still_read_right(tmp_path: Path) -> None:
    plain = "".join(f"A-{i};web;MUG-01;1;Roma\r\n" for i in range(SAMPLE // 20))
    path = tmp_path / "late.csv"
    path.write_bytes((HEADER + plain + "Z-1;web;MUG-01;1;Città\r\n").encode("cp1252"))
    assert path.stat().st_size > SAMPLE
    encoding = detect_encoding(path)
    assert encoding == "cp1252"
    *_, last = read_file(path, encoding)
    assert last.data is not None and last.data["shipping_address"]["city"] == "Città"
    assert last.line == plain.count("\n") + 2


def test_utf8_with_and_without_bom_and_json_lines(tmp_path: Path) -> None:
    utf8 = tmp_path / "utf8.csv"
    utf8.write_bytes((HEADER + "U-1;web;MUG-01;2;Città di Castello\r\n").encode())
    bom = tmp_path / "bom.csv"
    bom.write_bytes((HEADER + "U-1;web;MUG-01;2;Città\r\n").encode("utf-8-sig"))
    assert (detect_encoding(utf8), detect_encoding(bom)) == ("utf-8", "utf-8-sig")
    [order] = read_file(bom, "utf-8-sig")
    assert order.data is not None and order.data["lines"] == [{"sku": "MUG-01", "quantity": 2}]
    lines = tmp_path / "orders.jsonl"
    lines.write_text('\n{"external_id": "J-1"}\nnot json\n', encoding="utf-8")
    found = list(read_file(lines, detect_encoding(lines)))
    assert [(o.line, o.data) for o in found] == [(2, {"external_id": "J-1"}), (3, None)]
