import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fuyuan.settings")
application = get_wsgi_application()

from django.db import connection  # noqa: E402

from fuyuan.core.startup import key_mismatch  # noqa: E402  (needs the apps loaded above)

# A server (gunicorn) must not start with keys that do not open the personal data already stored (core.startup).
# The connection is closed again, so that no worker forked from a preloading master inherits it.
reason = key_mismatch()
connection.close()
if reason:
    raise ImproperlyConfigured(reason)
