"""The chair's digest from the tick: once a day at the digest time, to the chair's and the
vice-chair's people, while a period or a conference of the cluster is open; nothing when
nothing came in.

Each digest covers what came in up to that day's digest time, from where the last one sent
stopped (`_until` in its payload): the same window whatever the tick it goes out at (after
quiet hours, after a restart, after a conversation), and nothing counted twice. A chair or
vice-chair in the middle of answering questions gets it once they pause (`HOLD` without an
answer): a long message between a question and its answer would push the question out of sight.
Key: `digest:<cluster>:<person>:<day>`; the tick note `digest-done:<cluster>:<day>` once the
day's are all out or there was nothing to tell.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from bot.domain.due import QuietHours, parse_quiet_hours
from bot.domain.i18n import person_locale
from bot.domain.periods import Phase, phase
from bot.notices.budget import Budget
from bot.notices.digest_reads import DigestReads
from bot.notices.digest_texts import ConferenceNews, Digest, PeriodNews, digest_text
from bot.notices.recipients import Reached, clusters_of
from bot.storage.conference_tables import Conference, Delegate
from bot.storage.conferences import RegistrationState, due_conferences, registration_states
from bot.storage.digest import (
    registrations_between,
    unusual_answers,
)
from bot.storage.models import Cluster, OutboxMessage, Period
from bot.storage.outbox import enqueue
from bot.storage.progress import UnitProgress
from bot.storage.tick_notes import note, noted
from bot.storage.types import require_id

__all__ = ["DEFAULT_DIGEST_TIME", "HOLD", "plan_digests"]

DEFAULT_DIGEST_TIME = "08:00"
HOLD = timedelta(minutes=10)  # no answer for this long: the conversation has paused


def plan_digests(
    session: Session,
    *,
    now: datetime,
    locale: str,
    quiet: QuietHours | None,
    budget: Budget | None = None,
    progress: dict[int, dict[int, list[UnitProgress]]] | None = None,
) -> int:
    """Queue the digests due now (`progress`: period id -> cluster id -> its units' progress,
    as the tick read it); the number newly queued.

    Once a cluster's digests of the day are all out (or there was nothing to tell), a tick
    note says so: the ticks of the rest of the day look it up in one query for every cluster.
    """
    opened = _open_by_cluster(session, now)
    clusters = session.exec(select(Cluster).where(col(Cluster.id).in_(list(opened)))).all()
    digests = [_ClusterDigest(session, c, *opened[require_id(c)], now) for c in clusters]
    due = [(digest, until) for digest in digests if (until := digest.due_until(quiet))]
    done = noted(session, [digest.done_key(until) for digest, until in due])
    due = [(digest, until) for digest, until in due if digest.done_key(until) not in done]
    reads = DigestReads(
        session,
        [require_id(digest.cluster) for digest, _ in due],
        years=sorted({year for digest, _ in due for year in digest.years}),
        answering_since=now - HOLD,
        progress=progress,
    )
    budget = budget or Budget(None)
    queued, finished = 0, []
    for digest, until in due:
        if budget.allow():  # the rest: next tick
            count, all_out = digest.plan(reads, locale, until)
            queued += count
            finished += [digest.done_key(until)] if all_out else []
    note(session, finished)
    return queued


def _open_by_cluster(
    session: Session, now: datetime
) -> dict[int, tuple[list[Period], list[Conference]]]:
    """Cluster id -> its periods open for submissions and its conferences open for answers."""
    found: dict[int, tuple[list[Period], list[Conference]]] = {}
    periods = session.exec(
        select(Period).where(col(Period.opens_at) <= now, col(Period.state) != "locked")
    ).all()
    for period in periods:
        if phase(period, now) in (Phase.OPEN, Phase.LATE):
            for cluster in clusters_of(session, require_id(period)):
                found.setdefault(require_id(cluster), ([], []))[0].append(period)
    for conference in due_conferences(session, now=now):
        found.setdefault(conference.cluster_id, ([], []))[1].append(conference)
    return found


class _ClusterDigest:
    """One cluster's digests at one tick."""

    def __init__(
        self,
        session: Session,
        cluster: Cluster,
        periods: Sequence[Period],
        conferences: Sequence[Conference],
        now: datetime,
    ) -> None:
        self.session, self.cluster, self.now = session, cluster, now
        self.periods, self.conferences = periods, conferences
        self.timezone = periods[0].timezone if periods else conferences[0].timezone

    @property
    def years(self) -> set[int]:
        """The years whose chair and vice-chair get the digest."""
        return {p.year for p in self.periods} | {self.now.astimezone(ZoneInfo(self.timezone)).year}

    def due_until(self, quiet: QuietHours | None) -> datetime | None:
        """Today's digest moment once it has come (outside quiet hours); None before."""
        tz = ZoneInfo(self.timezone)
        until = self._digest_moment(tz)
        quiet = self._quiet(quiet)
        if self.now < until or (
            quiet is not None and quiet.contains(self.now.astimezone(tz).time())
        ):
            return None
        return until

    def done_key(self, until: datetime) -> str:
        """The key noted when every digest of the day is out, or there was nothing to tell."""
        day = until.astimezone(ZoneInfo(self.timezone)).date().isoformat()
        return f"digest-done:{self.cluster.id}:{day}"

    def plan(self, reads: DigestReads, locale: str, until: datetime) -> tuple[int, bool]:
        """One digest per chair person for the day of `until`: the number newly queued, and
        whether that is all of the day's (nobody held back in a conversation)."""
        day = until.astimezone(ZoneInfo(self.timezone)).date().isoformat()
        news: dict[datetime, Digest] = {}
        queued = 0
        recipients = reads.recipients(require_id(self.cluster), sorted(self.years))
        busy = reads.busy & {p.id for p in recipients}
        for person in recipients:
            if person.id in busy:
                continue  # a later tick sends it, with the same window
            key = f"digest:{self.cluster.id}:{person.id}:{day}"
            last_key, last_until = self._last(person)
            since = last_until or until - timedelta(days=1)
            if since >= until or last_key == key:  # today's, if queued, is the last one
                continue
            digest = news.get(since) or news.setdefault(since, self._digest(reads, since, until))
            if not digest.changed:
                continue
            text = digest_text(digest, person_locale(person.language, locale))
            payload = {"text": text, "_until": until.isoformat()}
            queued += enqueue(
                self.session,
                key=key,
                chat_id=person.telegram_id,
                payload=payload,
                not_before=self.now,
            )
        return queued, not busy

    def _digest_moment(self, tz: ZoneInfo) -> datetime:
        """Today's digest time: the earliest of the periods' (08:00 without one)."""
        clocks = [p.digest_time for p in self.periods if p.digest_time] or [DEFAULT_DIGEST_TIME]
        clock = time.fromisoformat(min(clocks))
        return datetime.combine(self.now.astimezone(tz).date(), clock, tzinfo=tz)

    def _quiet(self, default: QuietHours | None) -> QuietHours | None:
        own = next((p.quiet_hours for p in self.periods if p.quiet_hours), None)
        return parse_quiet_hours(own) if own else default

    def _last(self, person: Reached) -> tuple[str | None, datetime | None]:
        """The key of the person's last digest of this cluster, and where it stopped."""
        # By chat first: the key's prefix alone is a scan of the outbox on most databases.
        last = self.session.exec(
            select(OutboxMessage.key, OutboxMessage.payload)
            .where(OutboxMessage.chat_id == person.telegram_id)
            .where(col(OutboxMessage.key).startswith(f"digest:{self.cluster.id}:{person.id}:"))
            .order_by(col(OutboxMessage.id).desc())
        ).first()
        if last is None:
            return None, None
        until = last[1].get("_until")
        return last[0], datetime.fromisoformat(until) if isinstance(until, str) else None

    def _digest(self, reads: DigestReads, since: datetime, until: datetime) -> Digest:
        return Digest(
            cluster=self.cluster.name,
            cluster_kind=self.cluster.kind,
            timezone=self.timezone,
            since=since,
            until=until,
            periods=[self._period_news(reads, p, since, until) for p in self.periods],
            conferences=[self._conference_news(reads, c, since, until) for c in self.conferences],
            next_deadline=self._next_deadline(),
            now=self.now,
        )

    def _period_news(
        self, reads: DigestReads, period: Period, since: datetime, until: datetime
    ) -> PeriodNews:
        names = reads.units[require_id(self.cluster)]
        window = reads.window(require_id(period), since, until)
        submitted, returned = ([s for s in rows if s.unit_id in names] for rows in window)
        progress = reads.progress(period, require_id(self.cluster))
        return PeriodNews(
            name=period.name,
            submitted=[(names[s.unit_id], s.revision, s.late) for s in submitted],
            returned=[(names[s.unit_id], s.returned_reason or "") for s in returned],
            unusual=[
                (names[u.unit_id], u.indicator, u.value, u.explanation)
                for u in unusual_answers(self.session, submitted)
            ],
            missing=[unit.name for unit in progress if unit.owes],
            total=len(progress),
        )

    def _conference_news(
        self, reads: DigestReads, conference: Conference, since: datetime, until: datetime
    ) -> ConferenceNews:
        names = reads.units[require_id(self.cluster)]
        answers = registrations_between(
            self.session, conference_id=require_id(conference), since=since, until=until
        )
        latest = {row.unit_id: row for row in answers}  # a unit that changed its answer: the last
        states = registration_states(self.session, conference=conference)
        return ConferenceNews(
            name=conference.name,
            registered=[
                (
                    names.get(unit_id, str(unit_id)),
                    self._delegates(row.id) if row.attends else None,
                )
                for unit_id, row in latest.items()
            ],
            unanswered=[s.unit_name for s in states if s.state is RegistrationState.NONE],
            total=len(states),
        )

    def _delegates(self, registration_id: int | None) -> int:
        query = select(func.count(col(Delegate.id))).where(
            Delegate.registration_id == registration_id
        )
        return int(self.session.exec(query).one())

    def _next_deadline(self) -> tuple[str, str, datetime] | None:
        coming = [
            ("period", p.name, p.deadline_at) for p in self.periods if p.deadline_at > self.now
        ]
        coming += [("rsvp", c.name, c.rsvp_by) for c in self.conferences if c.rsvp_by > self.now]
        return min(coming, key=lambda item: item[2]) if coming else None
