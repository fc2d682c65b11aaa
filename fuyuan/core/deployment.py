"""How the pages name the deployment (``FUYUAN_DEPLOYMENT_NAME``): its local rules and its forms' examples.

A local rule is the deployment's own once it runs here; the place that first devised it (黔南州“两提两核一直达”,
黔西南州“四必治败诉”) is named as the origin only, never as the rule's owner."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import lazy


def deployment_name() -> str:
    """The prefecture or city running the platform, or "" when the deployment has not named itself."""
    return str(getattr(settings, "FUYUAN_DEPLOYMENT_NAME", "") or "").strip() if settings.configured else ""


def local_rules() -> str:
    """What a local rule is called on the pages: "黔南州规定", or "本地规定" for an unnamed deployment."""
    name = deployment_name()
    return f"{name}规定" if name else "本地规定"


def example_agency(kind: str = "自然资源局") -> str:
    """An agency's full name as a form's example: "黔南州自然资源局", or "××县自然资源局" for an unnamed deployment."""
    return f"{deployment_name() or '××县'}{kind}"


example_agency_lazy = lazy(example_agency, str)
