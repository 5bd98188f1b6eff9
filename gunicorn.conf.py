"""gunicorn's settings for the portal (README "Production" and "Scaling"):

    .venv/bin/gunicorn -c gunicorn.conf.py portal.wsgi

Every value a deployer may change is an environment variable with the GUNICORN_ prefix
(gunicorn's own GUNICORN_CMD_ARGS still works and wins over this file).
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


# Only the reverse proxy on the same machine talks to gunicorn; a load balancer in front
# of several machines reaches it on a private address set here (GUNICORN_BIND=10.0.0.5:8000).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers: every request is short CPU work in Python plus a few queries (a step save
# is 6 queries, bench/assessment.py), so a request needs a core, not a thread waiting on
# I/O; threads would only share the GIL of one process. The slow work (PDFs) belongs to
# the task worker, not to this pool. Two workers a core plus one keeps the cores busy
# while one worker waits on the database; each worker holds at most one PostgreSQL
# connection at a time (the budget of README "Scaling").
worker_class = "sync"
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = 1

# A request that takes longer than this is a bug or a document rendered in the request
# (README "Printed documents"): the worker is killed and restarted rather than kept busy.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On a restart or a deploy (SIGHUP/SIGTERM) a worker finishes the request it is answering.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# A worker is replaced after this many requests (plus up to the jitter, so that workers
# started together are not all replaced together): memory a long-lived process gathers
# (WeasyPrint's fonts, the questionnaire cache of an edited framework) is given back.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Not preloaded: each worker imports Django itself, so `kill -HUP` (a deploy) loads new
# code, and no database connection or pool opened while importing is shared across fork.
preload_app = os.environ.get("GUNICORN_PRELOAD", "").lower() in {"1", "true", "yes"}

# Logs on stderr for systemd's journal. The access log has the client address the proxy
# passes on, the time taken in microseconds (%(D)s) and the worker's pid, so slow
# requests and an overloaded worker can be found; set GUNICORN_ACCESS_LOG=- to turn it on.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(D)sus pid=%(p)s'

# The proxy in front sets X-Forwarded-Proto; Django reads it (SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
