"""Messenger bots: one channel-neutral dialog (dialog.py) and thin adapters (telegram.py, viber.py)."""
