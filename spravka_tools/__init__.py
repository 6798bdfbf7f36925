"""Spravka's tools: the `spravka` command, benchmarks, deploy planner, report, knowledge build, local server.

Nothing here is deployed; the runtime package `spravka` (under functions/) never imports this one.
"""
