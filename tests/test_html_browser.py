"""The HTML view in a real browser: Debian's headless Chromium renders a seed letter.

The screenshot is kept as a test artifact in ``artifacts/`` at the repository
root (``artifacts/html-view-seed-004.png``, beside the page it shows); the DOM
Chromium builds from the page is read back and must hold every explicit actor
of the extraction, with its role, and every obligation as a table row.

``.ci/run`` installs Debian's ``chromium`` when it is missing; elsewhere the
test is skipped, saying why.
"""
from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from pathlib import Path

import pytest
from _htmltree import parse
from conftest import REPO

import vn_obligations as vo

SEED = REPO / "corpora" / "letters" / "seed-004.txt"
ARTIFACTS = REPO / "artifacts"
WIDTH, HEIGHT = 1280, 2400


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    if os.path.exists("/usr/bin/chromium"):
        return "/usr/bin/chromium"
    pytest.skip("Chromium is not installed (Debian package 'chromium'; .ci/run installs it)")


def _run(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    # the flags keep Chromium off the network (closed here) and out of the user's profile
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={profile}", *args]
    out = subprocess.run(cmd, capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr.decode(errors="replace")[-2000:]
    return out


def _png_info(data: bytes) -> tuple[int, int, int]:
    """Width, height and the number of distinct byte values of the decoded image data."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    return width, height, len(set(raw))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    browser = _chromium()
    tmp = tmp_path_factory.mktemp("browser")
    letter = vo.extract_file(SEED)
    page = tmp / "seed-004.html"
    page.write_text(letter.to_html(), "utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "html-view-seed-004.png"
    shot.unlink(missing_ok=True)
    _run(browser, tmp / "profile-shot", f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={shot}", page.as_uri())
    shutil.copy(page, ARTIFACTS / "html-view-seed-004.html")
    dom = _run(browser, tmp / "profile-dom", "--dump-dom", page.as_uri()).stdout.decode("utf-8")
    return letter, shot, dom


def test_screenshot_is_written_as_an_artifact(rendered):
    _, shot, _ = rendered
    assert shot.exists()
    data = shot.read_bytes()
    assert len(data) > 50_000, "a page full of highlighted text compresses to far more than this"
    width, height, distinct = _png_info(data)
    assert (width, height) == (WIDTH, HEIGHT)
    assert distinct > 100, "the screenshot is blank or nearly so"


def test_browser_dom_holds_every_explicit_actor_with_its_role(rendered):
    letter, _, dom = rendered
    doc = parse(dom)  # what Chromium built from the page, serialised back
    (div,) = doc.find_all("div", cls="letter-text")
    got = Counter((m.text(), m.attrs["data-role"]) for m in div.find_all("mark", cls="actor")
                  if "cont" not in m.classes)
    want = Counter((letter.text[a.start:a.end], a.role) for ob in letter.obligations for a in ob.actors
                   if a.source == "explicit" and a.start is not None)
    assert want, "seed-004 has explicit actors"
    assert got == want
    assert {"lead", "support"} <= {role for _, role in got}
    # each mark's role matches its class, and offsets point at its text
    for m in div.find_all("mark", cls="actor"):
        assert m.attrs["data-role"] in m.classes
        if "cont" not in m.classes:
            assert letter.text[int(m.attrs["data-start"]):int(m.attrs["data-end"])] == m.text()


def test_browser_dom_has_the_task_table_and_labelled_sentences(rendered):
    letter, _, dom = rendered
    doc = parse(dom)
    rows = doc.find_all("tr", cls="task")
    assert len(rows) == len(letter.obligations)
    for row, ob in zip(rows, letter.obligations, strict=True):
        leads = [n.text().split(" (")[0] for n in row.find_all("td", cls="lead")[0].find_all(data_role="lead")]
        assert leads == [a.name for a in ob.actors if a.role == "lead"] or ob.implicit
    (div,) = doc.find_all("div", cls="letter-text")
    labels = [n.attrs["data-label"] for n in div.find_all(cls="sent") if "cont" not in n.classes]
    assert labels == [s.label for s in letter.sentences]
    assert div.text() == letter.text
    assert doc.find_all("dd", data_field="issuer")[0].text() == letter.metadata.issuer
