"""Certificate PDF rendering time (xhtml2pdf, DejaVu Sans, QR code) on one core.

Run: .venv/bin/python bench/bench_certificate_pdf.py [N]
Prints per-certificate render time (median, p95) and the PDF size; nothing is written to the
database (the certificate is an unsaved instance)."""

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.base")

import django  # noqa: E402

django.setup()

from certificates.models import Certificate, CertificateTemplate  # noqa: E402
from certificates.pdf import certificate_pdf_bytes  # noqa: E402
from certificates.services import certificate_body_html  # noqa: E402


def main(n: int) -> None:
    template = CertificateTemplate(
        title="Chứng chỉ năng lực Đo lường cơ bản",
        body="Được công nhận năng lực: {competencies}.",
        issuer="Bộ Khoa học và Công nghệ",
        signatory_name="Nguyễn Văn A",
        signatory_title="Giám đốc Trung tâm Bồi dưỡng",
    )
    certificate = Certificate(
        serial="CC-2026-000001",
        template=template,
        holder_name="Nguyễn Thị Thu Hương",
        position_name="Công chức phụ trách khoa học và công nghệ cấp xã",
        unit_name="Phường Ba Đình",
        competencies=[{"code": "MET-01", "title": "Quản lý phương tiện đo nhóm 2", "level": "2"}],
        issued_on=date(2026, 11, 23),
        valid_until=date(2029, 11, 23),
        verification_code="x" * 43,
    )
    context = {
        "certificate": certificate,
        "template": template,
        "body_html": certificate_body_html(certificate=certificate),
        "verify_url": "https://lms.example.gov.vn/verify/" + "x" * 43 + "/",
    }
    certificate_pdf_bytes(context=context)  # warm-up: font parsing is cached per process
    times, size = [], 0
    for _ in range(n):
        start = time.perf_counter()
        size = len(certificate_pdf_bytes(context=context))
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"renders: {n}")
    print(f"median: {statistics.median(times):.1f} ms")
    print(f"p95: {times[int(0.95 * (n - 1))]:.1f} ms")
    print(f"pdf size: {size / 1024:.1f} KiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
