"""Search results in the library pane: matched words in bold, not in brackets."""

from __future__ import annotations

import pytest
from ui_helpers import WAIT_MS, wait_idle

from ui.rich_text import HIGHLIGHT, HTML_ROLE, emphasised, plain

pytestmark = pytest.mark.gui


def test_marks_become_bold_html_and_plain_text_loses_them() -> None:
    text = f"a <tag> & {HIGHLIGHT[0]}steel{HIGHLIGHT[1]}\nnext"
    assert emphasised(text) == "a &lt;tag&gt; &amp; <b>steel</b><br>next"
    assert plain(text) == "a <tag> & steel\nnext"


def test_search_results_show_every_matched_word_in_bold(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    pane = demo_window.workspace.library_pane
    wait_idle(qtbot, demo_window)
    pane.search.setText("export controls ")
    qtbot.waitUntil(lambda: pane.results.count() > 0, timeout=WAIT_MS)
    rows = [pane.results.item(i) for i in range(pane.results.count())]
    wanted = {"<b>export</b>", "<b>controls</b>"}
    both = [r for r in rows if wanted <= set_of_bold(r.data(HTML_ROLE))]
    assert both, [r.data(HTML_ROLE) for r in rows]
    for row in rows:
        assert "[" not in row.text() and HIGHLIGHT[0] not in row.text()
    index = pane.results.indexFromItem(both[0])
    assert pane.results.visualRect(index).height() > pane.fontMetrics().height()  # two lines
    assert not pane.results.grab().isNull()  # the delegate paints


def set_of_bold(markup: str) -> set[str]:
    return {part.split("</b>")[0].join(("<b>", "</b>")) for part in markup.split("<b>")[1:]}
