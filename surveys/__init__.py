"""The domain: models and the operations on them.

Nothing here imports Flask or reads a request; operations take a SQLAlchemy
``Session`` and plain values, so the web app, the CLI, the scheduler and the
benchmarks all share them.
"""
