"""A small CSS inliner for email HTML: many mail clients ignore ``<style>``, so its rules become ``style`` attributes.

Supported selectors are the ones email templates need: ``tag``, ``.class``, ``tag.class.other`` and comma lists.
Rules it cannot inline (``@media``, descendant selectors, pseudo-classes) stay in a ``<style>`` block for the
clients that read one. Inline ``style`` attributes written in the template win over rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)
SIMPLE_SELECTOR_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9]*)?((?:\.[A-Za-z_][\w-]*)*)$")
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(frozen=True)
class Rule:
    """One simple selector and its declarations, with what decides precedence."""

    tag: str | None
    classes: frozenset[str]
    declarations: tuple[tuple[str, str], ...]
    order: int

    @property
    def specificity(self) -> tuple[int, int, int]:
        """Classes weigh more than a tag name; later rules win ties."""
        return (len(self.classes), 1 if self.tag else 0, self.order)

    def matches(self, tag: str, classes: set[str]) -> bool:
        """Whether an element with this tag and classes is selected."""
        return (self.tag is None or self.tag == tag) and self.classes <= classes


def parse_declarations(text: str) -> list[tuple[str, str]]:
    """``"color: red; margin:0"`` → ``[("color", "red"), ("margin", "0")]``."""
    out = []
    for part in text.split(";"):
        if ":" in part:
            prop, value = part.split(":", 1)
            prop, value = prop.strip().lower(), value.strip()
            if prop and value:
                out.append((prop, value))
    return out


def _split_blocks(css: str) -> list[tuple[str, str]]:
    """Split a stylesheet into (prelude, body) pairs, keeping nested at-rule bodies whole."""
    blocks, i, n = [], 0, len(css)
    while i < n:
        open_at = css.find("{", i)
        if open_at < 0:
            break
        depth, j = 1, open_at + 1
        while j < n and depth:
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        blocks.append((css[i:open_at].strip(), css[open_at + 1 : j - 1]))
        i = j
    return blocks


def parse_css(css: str) -> tuple[list[Rule], list[str]]:
    """Return the inlinable rules and the text of the rules that must stay in a ``<style>`` block."""
    rules: list[Rule] = []
    kept: list[str] = []
    for prelude, body in _split_blocks(COMMENT_RE.sub("", css)):
        if prelude.startswith("@"):
            kept.append(f"{prelude} {{{body}}}")
            continue
        declarations = tuple(parse_declarations(body))
        for selector in (s.strip() for s in prelude.split(",")):
            match = SIMPLE_SELECTOR_RE.match(selector)
            if not selector or not match:
                kept.append(f"{selector} {{{body}}}")
                continue
            tag, classes = match.group(1), match.group(2)
            rules.append(
                Rule(
                    tag.lower() if tag else None,
                    frozenset(c for c in classes.split(".") if c),
                    declarations,
                    len(rules),
                )
            )
    return rules, kept


class _Inliner(HTMLParser):
    """Re-emits the document unchanged except for ``style`` attributes and ``<style>`` blocks."""

    def __init__(self, rules: list[Rule]):
        super().__init__(convert_charrefs=False)
        self.rules = sorted(rules, key=lambda r: r.specificity)
        self.out: list[str] = []
        self.in_style = False

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        classes = set()
        inline = ""
        for name, value in attrs:
            if name == "class" and value:
                classes.update(value.split())
            elif name == "style" and value:
                inline = value
        merged: dict[str, str] = {}
        for rule in self.rules:
            if rule.matches(tag, classes):
                merged.update(rule.declarations)
        merged.update(parse_declarations(inline))
        parts = []
        for name, value in attrs:
            if name == "style":
                continue
            parts.append(name if value is None else f'{name}="{escape(value, quote=True)}"')
        if merged:
            style = "; ".join(f"{p}: {v}" for p, v in merged.items())
            parts.append(f'style="{escape(style, quote=True)}"')
        return (" " + " ".join(parts)) if parts else ""

    def handle_starttag(self, tag, attrs):
        if tag == "style":
            self.in_style = True
            return
        self.out.append(f"<{tag}{self._attrs(tag, attrs)}>")

    def handle_startendtag(self, tag, attrs):
        self.out.append(
            f"<{tag}{self._attrs(tag, attrs)}>" if tag in VOID_TAGS else f"<{tag}{self._attrs(tag, attrs)} />"
        )

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if not self.in_style:
            self.out.append(data)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]>")

    def handle_pi(self, data):
        self.out.append(f"<?{data}>")


STYLE_BLOCK_RE = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)


def inline_css(html: str) -> str:
    """Move the rules of every ``<style>`` block into ``style`` attributes; keep what cannot be inlined."""
    css = "\n".join(STYLE_BLOCK_RE.findall(html))
    if not css.strip():
        return html
    rules, kept = parse_css(css)
    parser = _Inliner(rules)
    parser.feed(html)
    parser.close()
    result = "".join(parser.out)
    if kept:
        block = "<style>\n" + "\n".join(kept) + "\n</style>"
        result = result.replace("</head>", block + "</head>", 1) if "</head>" in result else block + result
    return result
