from collections.abc import Iterator

import pytest
from captcha.conf import settings as captcha_settings


@pytest.fixture(autouse=True)
def challenge_test_mode(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The public form's challenge accepts the answer "PASSED" (django-simple-captcha's test mode), in tests only;
    any other wrong answer is still refused."""
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    yield
