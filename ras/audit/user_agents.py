"""A short summary of a browser's User-Agent header: "Chrome 131 on Windows".

Enough to tell one device from another in the audit, without keeping the full header (which,
with an address, can single out a machine). A client we do not recognise (a script, say) keeps
the start of its header.
"""

import re

# Order matters: Edge and Opera also say Chrome, and Chrome also says Safari.
BROWSERS = (
    ("Edge", re.compile(r"Edg(?:e|A|iOS)?/(\d+)")),
    ("Opera", re.compile(r"(?:OPR|Opera)/(\d+)")),
    ("Samsung Internet", re.compile(r"SamsungBrowser/(\d+)")),
    ("Firefox", re.compile(r"(?:Firefox|FxiOS)/(\d+)")),
    ("Chrome", re.compile(r"(?:Chrome|CriOS|Chromium)/(\d+)")),
    ("Safari", re.compile(r"Version/(\d+)[.\d]* (?:Mobile/\S+ )?Safari/")),
)
SYSTEMS = (
    ("iOS", re.compile(r"iPhone|iPad|iPod")),
    ("Android", re.compile(r"Android")),
    ("Windows", re.compile(r"Windows")),
    ("macOS", re.compile(r"Macintosh|Mac OS X")),
    ("ChromeOS", re.compile(r"CrOS")),
    ("Linux", re.compile(r"Linux|X11")),
)
MAX_LENGTH = 100


def user_agent_summary(header: str) -> str:
    """The browser, its major version and the operating system, as far as the header says."""
    header = header.strip()
    if not header:
        return ""
    browser = next(
        (
            f"{name} {found.group(1)}"
            for name, pattern in BROWSERS
            if (found := pattern.search(header))
        ),
        "",
    )
    system = next((name for name, pattern in SYSTEMS if pattern.search(header)), "")
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return browser or system
    return f"Other: {header}"[:MAX_LENGTH]
