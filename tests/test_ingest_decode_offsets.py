"""An undecodable file's rejection names its bad byte where it is: with a UTF-8 byte-order
mark the decoder reads the data after the mark, so its offset counts from there (a file
"<mark>ab\\xe9" was "byte 0xbf at offset 2", the mark's last byte, not 0xe9 at 5)."""

from __future__ import annotations

import pytest

from bot.corpus.reload import decode


@pytest.mark.parametrize(("data", "byte", "offset"), [
    (b"ab\xe9 cd", 0xE9, 2),
    (b"\xef\xbb\xbfab\xe9 cd", 0xE9, 5),
])
def test_the_bad_byte_and_its_offset_are_the_files(data: bytes, byte: int, offset: int) -> None:
    with pytest.raises(Exception) as err:
        decode(data)
    assert str(err.value).startswith(
        f"undecodable: not UTF-8 (byte 0x{byte:02x} at offset {offset}), line 1: save it as UTF-8")
    assert data[offset] == byte
