"""The CSS inliner: rules become style attributes with CSS precedence; the rest of the document is untouched."""

from matchmaker.mail.inline_css import inline_css, parse_css


def test_rules_are_inlined_with_precedence_and_inline_styles_win():
    html = (
        "<html><head><style>p { color: red; margin: 0 } .note { color: blue } p.note { font-weight: bold }"
        '</style></head><body><p>a</p><p class="note extra">b</p><p class="note" style="color: green">c</p>'
        "</body></html>"
    )
    out = inline_css(html)
    assert "<style" not in out
    assert '<p style="color: red; margin: 0">a</p>' in out
    assert '<p class="note extra" style="color: blue; margin: 0; font-weight: bold">b</p>' in out
    assert '<p class="note" style="color: green; margin: 0; font-weight: bold">c</p>' in out


def test_rules_that_cannot_be_inlined_stay_in_a_style_block():
    html = (
        "<html><head><style>a { color: red } td a { color: blue } @media (max-width: 600px) { .x { width: 100% } }"
        '</style></head><body><a href="#">x</a></body></html>'
    )
    out = inline_css(html)
    assert '<a href="#" style="color: red">x</a>' in out
    kept = out.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "td a {" in kept and "@media (max-width: 600px)" in kept
    assert out.index("<style>") < out.index("</head>")


def test_text_entities_comments_and_attributes_survive():
    html = (
        "<!doctype html><html><head><style>td { padding: 4px }</style></head><body><!-- keep -->"
        '<table role="presentation"><tr><td>Fran&ccedil;ais &amp; 한국어 &#x27;q&#x27;</td></tr></table>'
        '<a href="https://example.org/?a=1&amp;b=&quot;2&quot;">lien</a><br><img alt="" src="data:,"></body></html>'
    )
    out = inline_css(html)
    assert out.startswith("<!doctype html>") and "<!-- keep -->" in out
    assert '<td style="padding: 4px">Fran&ccedil;ais &amp; 한국어 &#x27;q&#x27;</td>' in out
    assert 'href="https://example.org/?a=1&amp;b=&quot;2&quot;"' in out
    assert "<br>" in out and '<img alt="" src="data:,">' in out


def test_without_style_block_nothing_changes():
    html = '<p class="x">unchanged &amp; safe</p>'
    assert inline_css(html) == html


def test_parse_css_ignores_comments_and_keeps_order():
    rules, kept = parse_css("/* p { color: red } */ .a, h1 { color: blue; } .a { color: green }")
    assert [(r.tag, sorted(r.classes), r.declarations) for r in rules] == [
        (None, ["a"], (("color", "blue"),)),
        ("h1", [], (("color", "blue"),)),
        (None, ["a"], (("color", "green"),)),
    ]
    assert kept == []
