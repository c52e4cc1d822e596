"""Intake timings: a 50-page PDF read and searched end to end (text extraction with pypdf, repair, findings, per
company profiles), and matching one article against an automaton of 100,000 company names.

    .venv/bin/python bench/intake_bench.py

The PDF is made once per run from our own test articles (python-docx, then LibreOffice's headless converter when
/usr/bin/soffice is there; otherwise the PDF part is skipped with its reason). Targets: PDF < 5 s, < 0.5 s per
article with 100,000 names."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from zhaoshang.intake.dictionary import Name, build  # noqa: E402
from zhaoshang.intake.extract import find_all, profiles  # noqa: E402
from zhaoshang.intake.tests.registry import INVESTORS, test_dictionary  # noqa: E402
from zhaoshang.intake.text import file_text, repair  # noqa: E402
from zhaoshang.leads.names import core_name  # noqa: E402

ARTICLES = sorted((ROOT / "zhaoshang" / "intake" / "tests" / "articles").glob("*.txt"))
SYLLABLES = (
    "安邦宝诚达鼎丰福富光广国海翰恒宏华辉汇佳嘉建杰金锦骏凯康朗力联隆美明"
    "诺鹏平谱启瑞润森晟盛世拓威伟祥协鑫星旭亚扬耀裕远跃泽展振正志中卓"
)
FORMS = ["有限公司", "股份有限公司", "集团", "科技有限公司", "株式会社", "（香港）有限公司"]


def make_pdf(folder: Path, pages: int = 50) -> Path | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    from docx import Document
    from docx.enum.text import WD_BREAK

    doc = Document()
    texts = [p.read_text(encoding="utf-8") for p in ARTICLES]
    for page in range(pages):
        # About a page of text each: four articles, the page's last paragraph ending with a page break.
        for k in range(4):
            for line in texts[(page * 4 + k) % len(texts)].splitlines():
                if line.strip():
                    doc.add_paragraph(line)
        doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    source = folder / "intake-50.docx"
    doc.save(str(source))
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return folder / "intake-50.pdf"


def names(n: int) -> list[tuple[str, Name]]:
    rng = random.Random(20)  # noqa: S311 - made-up names, not secrets
    out = [(name, Name("investor", i, name, core_name(name))) for i, name in enumerate(INVESTORS)]
    seen = {x for x, _ in out}
    while len(out) < n:
        core = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice([2, 3, 3, 4])))
        name = core + rng.choice(FORMS)
        if name not in seen:
            seen.add(name)
            out.append((name, Name("investor", len(out), name, core)))
    return out


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="intake-bench-") as tmp:
        pdf = make_pdf(Path(tmp))
        if pdf is None:
            print("50-page PDF: skipped (LibreOffice soffice not found to make the PDF)")
        else:
            from pypdf import PdfReader

            pages = len(PdfReader(str(pdf)).pages)
            d = test_dictionary()
            start = time.perf_counter()
            text = repair(file_text(pdf.name, pdf.read_bytes()))
            findings = find_all(text, d)
            companies = profiles(text, findings)
            took = time.perf_counter() - start
            print(
                f"{pages}-page PDF ({len(text):,} characters): intake {took:.2f} s "
                f"({len(findings):,} findings, {len(companies)} companies; target < 5 s)"
            )
    start = time.perf_counter()
    big = build(names(100_000), [])
    built = time.perf_counter() - start
    texts = [repair(p.read_text(encoding="utf-8")) for p in ARTICLES]
    start = time.perf_counter()
    for t in texts:
        find_all(t, big)
    per_article = (time.perf_counter() - start) / len(texts)
    print(f"automaton of {big.size:,} names and aliases built in {built:.2f} s")
    print(f"matching against 100,000 names: {per_article * 1000:.1f} ms per article (target < 500 ms)")


if __name__ == "__main__":
    main()
