"""The site's home page and the pages under it that are not courses."""

from wagtail.models import Page, Site

from cms.models import HomePage


def site_home_seed() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title="Bồi dưỡng năng lực KH&CN cấp xã",
                slug="trang-chu",
                intro="<p>Học, thi và nhận chứng chỉ năng lực khoa học và công nghệ cho cán bộ "
                "cấp xã, phường, đặc khu.</p>",
            )
        )
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site:
            site.root_page = home
            site.site_name = "Năng lực KH&CN cơ sở"
            site.save()
        else:
            Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
        # Wagtail's "Welcome" placeholder page is not part of the product
        if old_root and old_root.specific_class is Page and old_root.pk != home.pk:
            old_root.delete()
    return home


def child_page_seed(parent: Page, model, slug: str, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = parent.add_child(instance=model(slug=slug, **fields))
        page.save_revision().publish()
    return page
