"""Accounts: login throttling, sessions that can be ended on every device, logout.

See README, "Security". The throttle helpers in ``portal.accounts.throttle`` are for
every form that checks a secret (the login, and later an activation code).
"""
