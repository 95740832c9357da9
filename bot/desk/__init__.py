"""The desk of admins and chairs: one synchronous step per command, `(Desk, Request) -> items`.

Telegram stays outside: bot/handlers runs each step in a turn (bot/edge/turn.py) and sends
what it returns.
"""
