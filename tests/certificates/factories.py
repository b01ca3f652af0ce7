import factory

from certificates.models import CertificateTemplate


class CertificateTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificateTemplate

    title = "Chứng chỉ Đo lường cơ bản"
    body = "Được công nhận năng lực: {competencies}."
    issuer = "Bộ Khoa học và Công nghệ"
    signatory_name = "Nguyễn Văn A"
    signatory_title = "Giám đốc"
    validity_months = 36
