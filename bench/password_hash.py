"""What one login costs in CPU with each password hasher, to choose Argon2's parameters.

    DEBUG=1 .venv/bin/python bench/password_hash.py [--runs 7]

For PBKDF2 (Django's default, 1,000,000 iterations) and Argon2id with a range of time
costs, memory costs and lanes, it hashes a password once and then checks it ``--runs``
times — what a login does — reporting the median CPU seconds of the whole process
(``time.process_time``: every lane's thread counts, since a sync worker's lanes run on
the machine's cores), the wall time, and the memory each check holds. No database.

The portal's choice (``portal.hashers.PortalArgon2PasswordHasher``) is the row marked
``*``: the strongest setting within 0.1 s of CPU per login on this machine, with
memory a 2-worker server can hold for a round's opening (many logins at once).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import bench._common  # noqa: F401  (settings from the environment)

# (time cost, memory cost in KiB, lanes)
ARGON2_CANDIDATES = [
    (2, 102_400, 8),  # Django's defaults
    (2, 65_536, 1),
    (1, 65_536, 1),
    (3, 32_768, 1),
    (1, 47_104, 1),  # OWASP's first Argon2id recommendation
    (2, 19_456, 1),  # OWASP's second
]


def measure(hasher, runs: int) -> tuple[float, float]:
    """Median (CPU seconds, wall seconds) of checking a password with ``hasher``."""
    encoded = hasher.encode("plaipongpang-staff", hasher.salt())
    cpu, wall = [], []
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        assert hasher.verify("plaipongpang-staff", encoded)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return statistics.median(cpu), statistics.median(wall)


def argon2_with(time_cost: int, memory_cost: int, parallelism: int):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    return type(
        "Candidate",
        (Argon2PasswordHasher,),
        {"time_cost": time_cost, "memory_cost": memory_cost, "parallelism": parallelism},
    )()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from portal.hashers import PortalArgon2PasswordHasher

    chosen = PortalArgon2PasswordHasher
    print(
        f"{platform.processor() or platform.machine()}, {platform.python_version()}, "
        f"median of {args.runs} checks"
    )
    print(f"{'hasher':<34} {'CPU s':>7} {'wall s':>7} {'memory':>8}")
    cpu, wall = measure(PBKDF2PasswordHasher(), args.runs)
    print(f"{'PBKDF2-SHA256, 1,000,000 iterations':<34} {cpu:7.3f} {wall:7.3f} {'-':>8}")
    for t, m, p in ARGON2_CANDIDATES:
        cpu, wall = measure(argon2_with(t, m, p), args.runs)
        mark = (
            "*" if (t, m, p) == (chosen.time_cost, chosen.memory_cost, chosen.parallelism) else " "
        )
        label = f"{mark}Argon2id t={t} m={m // 1024} MiB p={p}"
        print(f"{label:<34} {cpu:7.3f} {wall:7.3f} {m / 1024:6.0f} MiB")


if __name__ == "__main__":
    main()
