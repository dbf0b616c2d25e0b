"""The explorer (Textual). ``run_app`` starts it; ``MisalignApp.copy`` is the one way screens copy text.

Database work never runs on the UI thread: screens start thread workers that call ``MisalignApp.db``
(a few long-lived DuckDB lanes) and post their results back as messages.
"""
