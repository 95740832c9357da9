"""`thidua demo`: a whole reporting round played offline against the fake Bot API.

The real bot (handlers, database, long polling) and its scheduler talk over HTTP to
`FakeTelegram` on 127.0.0.1. A compressed clock walks the mid-year period from its opening to
past its deadline: the group hears the opening, five focal points join and submit (one of them
late), the chair and vice-chair get their daily digest, reminders reach only those who owe,
the board and the cluster summary are posted. Two acts follow: the mid-year conference (the
invitation, two delegations registered, a reminder to the others, the check-in in the group) and
the year's end (every unit registers next year's targets, the chair sends the pledge for
signing; at the year-end conference /next reaches the item that announces next year's chair and
vice-chair, and two units sign). Everything is then checked in the database and in what the fake
received.

The modules: `recorder` (printing and the transcript), `officers` (the cast, what they type,
playing one of them), `script` (each officer's steps), `stage` (clock, timetable, set-up, the
group), `processes` (the bot and the scheduler), `play` (the scenes in order), `verification`
(the final checks), `acts_setup`, `acts`, `play_acts` and `acts_checks` (the same for the later
acts), `run` (all of it, from `thidua demo`).
"""

from bot.demo.officers import OFFICERS, DemoFailure
from bot.demo.recorder import wants_color
from bot.demo.run import EXAMPLE, run_demo

__all__ = ["EXAMPLE", "OFFICERS", "DemoFailure", "run_demo", "wants_color"]
