"""Model fields for personal data at rest (see ``fuyuan.core.crypto`` for the scheme and the statutes behind it).

``EncryptedCharField`` behaves as a ``CharField`` in Python and in forms (``max_length`` is the plaintext's),
and stores AES-GCM ciphertext in a wider column. It cannot be filtered on by value (the ciphertext of the
same number differs every time): a model that needs equality adds a ``BlindIndexField(source=...)`` beside it
and filters on that, through ``index_of``::

    applicant_id_number = EncryptedCharField("申请人身份证号", max_length=18, blank=True)
    applicant_id_number_index = BlindIndexField(source="applicant_id_number", kind="id_number")

    Dispute.objects.filter(applicant_id_number_index=blind_index_of(Dispute, "applicant_id_number_index", number))
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.lookups import Exact, IsNull

from fuyuan.core import crypto


class EncryptedCharField(models.CharField):
    """A short text stored encrypted (AES-256-GCM, associated data: ``app_label.Model.field``)."""

    description = "Encrypted text (up to %(max_length)s characters)"

    @property
    def context(self) -> str:
        return f"{self.model._meta.label}.{self.name}"

    def plaintext(self, stored: str) -> str:
        return crypto.decrypt(stored, context=self.context)

    def ciphertext(self, value: str) -> str:
        return crypto.encrypt(value, context=self.context)

    def db_type(self, connection: BaseDatabaseWrapper) -> str | None:
        # The column holds the stored form, longer than the plaintext ``max_length`` forms and validators check.
        return models.CharField(max_length=crypto.stored_length(self.max_length or 0)).db_type(connection)

    def cast_db_type(self, connection: BaseDatabaseWrapper) -> str | None:
        return self.db_type(connection)

    def from_db_value(self, value: str | None, expression: Any, connection: BaseDatabaseWrapper) -> str | None:
        return None if value is None else self.plaintext(value)

    def get_db_prep_value(self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False) -> Any:
        value = super().get_db_prep_value(value, connection, prepared)
        if value is None or crypto.is_encrypted(value):
            return value
        return self.ciphertext(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return _EmptyOnlyExact
        raise FieldError(
            f"{self.model._meta.label}.{self.name} is encrypted and cannot be searched with __{lookup_name}; "
            "filter on its BlindIndexField instead"
        )

    def get_transform(self, lookup_name: str) -> Any:
        return None


class _EmptyOnlyExact(Exact):
    """``field=""`` (no value given) works: empty values are stored empty. Any other value cannot match."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.target.model._meta.label}.{self.lhs.target.name} is encrypted: an equality filter on a "
                "value cannot match; filter on its BlindIndexField instead"
            )
        return super().get_prep_lookup()


class BlindIndexField(models.CharField):
    """HMAC-SHA256 of the normalised value of the ``source`` field, kept current on every save (``pre_save``;
    ``core.bulk.insert_rows`` computes it too). Empty when the source is empty."""

    def __init__(self, *args: Any, source: str, kind: str, **kwargs: Any) -> None:
        if kind not in crypto.NORMALISERS:
            raise ValueError(f"unknown blind index kind {kind!r}")
        self.source, self.kind = source, kind
        if not args:
            kwargs.setdefault("verbose_name", "盲索引")
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"], kwargs["kind"] = self.source, self.kind
        for key, default in (("max_length", 64), ("editable", False), ("blank", True), ("default", "")):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        if kwargs.get("db_index") is True:
            kwargs.pop("db_index")
        else:
            kwargs["db_index"] = False
        return name, path, args, kwargs

    def index_of(self, value: str | None) -> str:
        return crypto.blind_index(value or "", self.kind)

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.index_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def blind_index_of(model: type[models.Model], name: str, value: str) -> str:
    """The value of ``model``'s blind index ``name`` for ``value``: what to filter that column on."""
    field = model._meta.get_field(name)
    if not isinstance(field, BlindIndexField):
        raise TypeError(f"{model._meta.label}.{name} is not a BlindIndexField")
    return field.index_of(value)
