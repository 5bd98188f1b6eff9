"""The password hasher: Argon2id with parameters measured on the production machine
(bench/password_hash.py, README "Security").

PBKDF2 at Django's 1,000,000 iterations cost 0.34 s of CPU per login: 200 people
logging in at a round's opening kept both cores busy for over half a minute. Argon2id
is memory-hard, so a cheaper setting still resists guessing on GPUs better than PBKDF2
does. The PBKDF2 hashers stay after it in PASSWORD_HASHERS, so an old hash still
verifies and is rewritten with Argon2 at that person's next login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    # Chosen by bench/password_hash.py: the most work within 0.1 s of CPU per login
    # here, with one lane (a sync worker gains nothing from threads on 2 shared cores).
    time_cost = 1
    memory_cost = 47_104  # KiB (46 MiB)
    parallelism = 1
