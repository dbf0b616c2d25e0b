"""The explorer (Textual). ``run_app`` starts it; ``app.MisalignApp`` wires the ``services.Services`` every
screen gets (the corpus, the database lanes, the reviewer workspace, ``copy``).

Database work never runs on the UI thread: a screen (a ``services.ServiceScreen``) calls ``run_job``, which
queues the work on one of a few long-lived DuckDB lanes (``lanes``) and posts the result — or a
``JobFailed`` — back as a message stamped with the generation it was asked for.
"""
