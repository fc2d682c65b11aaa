"""Masking personal data (ID numbers, phones) in lists and pages for roles that do not need it whole."""


def mask_phone(phone: str) -> str:
    """139****1234 (nothing for no number; **** for a number too short to keep both ends)."""
    phone = phone.strip()
    if not phone:
        return ""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else "****"


def mask_id_number(number: str) -> str:
    """5201**********1234."""
    number = number.strip()
    if not number:
        return ""
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}" if len(number) > 8 else "****"
