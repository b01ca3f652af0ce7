"""The certificate template that the metrology basics exam issues."""

from assessments.models import Exam
from certificates.models import CertificateTemplate


def certificate_template_seed(*, exam: Exam) -> CertificateTemplate:
    template, _ = CertificateTemplate.objects.get_or_create(
        title="Chứng chỉ năng lực Đo lường cơ bản",
        defaults={
            "body": "Đã hoàn thành khóa học và đạt bài sát hạch, được công nhận năng lực: "
            "{competencies}.",
            "issuer": "Bộ Khoa học và Công nghệ",
            "signatory_name": "Nguyễn Văn A",
            "signatory_title": "Giám đốc Trung tâm Bồi dưỡng",
            "validity_months": 36,
            "exam": exam,
        },
    )
    return template
