"""Telling a text's language and direction from its characters, for Word's run properties."""

from __future__ import annotations

import pytest

from briefing.render.languages import Span, east_asian_language, is_rtl, spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("赤沢亮正", "zh-CN"),  # Han alone: the default
        ("赤沢亮正は東京で", "ja-JP"),  # kana
        ("한국 韓國", "ko-KR"),  # Hangul
        ("Plain English", "zh-CN"),
    ],
)
def test_east_asian_language_from_kana_and_hangul(text: str, expected: str) -> None:
    assert east_asian_language(text, "zh-CN") == expected


@pytest.mark.parametrize(
    ("text", "rtl"),
    [("שלום (Israel)", True), ("2026 مرحبا", True), ("Hello مرحبا", False), ("« 123 »", False)],
)
def test_direction_is_the_first_strong_letter(text: str, rtl: bool) -> None:
    assert is_rtl(text) is rtl


def test_spans_cut_where_the_script_changes_and_keep_every_character() -> None:
    text = "Minister 赤沢亮正 said مرحبا بالعالم 2026, ภาษาไทย and 日本語と한국어 𠀋!"
    cut = spans(text, east_asian_language(text, "zh-CN"))
    assert "".join(s.text for s in cut) == text
    assert cut == [
        Span("Minister "),
        Span("赤沢亮正", "ja-JP", "eastAsia"),  # the paragraph holds kana
        Span(" said "),
        Span("مرحبا بالعالم", "ar-SA", "cs", rtl=True),  # the space between stays in
        Span(" 2026, "),
        Span("ภาษาไทย", "th-TH", "cs"),
        Span(" and "),
        Span("日本語と", "ja-JP", "eastAsia"),
        Span("한국어", "ko-KR", "eastAsia"),
        Span(" ", "ja-JP", "eastAsia"),  # between East Asian letters
        Span("𠀋", "ja-JP", "eastAsia", ext_b=True),
        Span("!"),
    ]


def test_plain_text_is_one_span() -> None:
    assert spans("Café – “quoted” £5", "zh-CN") == [Span("Café – “quoted” £5")]
    assert spans("", "zh-CN") == []
