"""The forms of a rendered page, read the way a browser sees them: each form's
action and, for every named control, its kind and the values the page offers
(the current value of an input or textarea, every option of a select, the value
of each checkbox or radio). Formsets come with their management forms for free."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Control:
    name: str
    kind: str  # an <input>'s type, or "select", "select-multiple", "textarea"
    values: list[str] = field(default_factory=list)

    @property
    def is_many(self) -> bool:
        return self.kind in ("checkbox", "select-multiple")


@dataclass
class Form:
    action: str
    method: str
    controls: dict[str, Control] = field(default_factory=dict)

    def control(self, name: str, kind: str) -> Control:
        return self.controls.setdefault(name, Control(name, kind))


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._text: Control | None = None  # the textarea or option being read
        self._select: Control | None = None
        self._option_value: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None or not (a.get("name") or tag == "option"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind not in ("submit", "button", "image", "reset"):
                self._form.control(a["name"], kind).values.append(a.get("value", ""))
        elif tag == "textarea":
            self._text = self._form.control(a["name"], "textarea")
            self._text.values.append("")
        elif tag == "select":
            kind = "select-multiple" if "multiple" in a else "select"
            self._select = self._form.control(a["name"], kind)
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._select.values.append(a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.values[-1] += data
        elif self._select is not None and self._option_value is None and self._select.values:
            self._select.values[-1] += data.strip()  # an option without value= posts its text

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._text = None
        elif tag == "option":
            self._option_value = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def forms_read(html: str) -> list[Form]:
    reader = _Reader()
    reader.feed(html)
    return reader.forms
