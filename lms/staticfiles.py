"""The compressed static files storage (settings.STATICFILES_STORAGE_COMPRESSED): production's,
and the embedded mode's when STATIC_COMPRESSED is on (`make run`)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class CompressedManifestStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage: `collectstatic` writes each file under a name carrying a hash of
    its content, with .gz and .br copies beside it; WhiteNoise serves the copy the browser
    accepts and marks the hashed names cacheable for a year (immutable).

    Django's own storage gives the unhashed name under DEBUG, which the embedded mode runs
    with; that name is only cacheable for WHITENOISE_MAX_AGE (0 under DEBUG), so every page
    would ask for its CSS and JS again. Here `{% static %}` always gives the hashed name (a
    file missing from the manifest is an error, as in production)."""

    def url(self, name, force=False):
        return super().url(name, force=True)
