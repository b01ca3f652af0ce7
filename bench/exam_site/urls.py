from django.urls import path

from lms.urls import urlpatterns as product_urlpatterns

from .views import ceiling

# the ceiling first: the product's catch-all Wagtail pattern comes last in its list
urlpatterns = [path("bench/ceiling/", ceiling, name="bench_ceiling"), *product_urlpatterns]
