"""What the bot posts on its own: its words, the progress board, reminders queued to the outbox.

Both the chat (a chair's `/board`, `/remind`) and the scheduler's tick use these; neither
imports the other.
"""
