"""The password hasher: Argon2id (argon2-cffi), as Django's documentation recommends, at OWASP's parameters.

Django's own ``Argon2PasswordHasher`` takes 100 MiB and 8 lanes per hash: about a quarter of a second of CPU on
this machine, as much as the PBKDF2 it replaces (bench/bench_login.py), and 100 MiB for each of the log-ins a
morning's arrival runs at once. The OWASP Password Storage Cheat Sheet (Argon2id): "a minimum configuration of
19 MiB of memory, an iteration count of 2, and 1 degree of parallelism". A stored hash with other parameters (a
PBKDF2 one, or Argon2 with Django's defaults) is rewritten with these at the person's next log-in (Django's
``must_update``)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
