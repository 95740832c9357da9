"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-21 20:07:56.716788
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.storage.types

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "auditevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("entity_key", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auditevent")),
    )
    with op.batch_alter_table("auditevent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auditevent_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_auditevent_entity_key"), ["entity_key"], unique=False)

    op.create_table(
        "cluster",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cluster")),
        sa.UniqueConstraint("code", name=op.f("uq_cluster_code")),
    )
    op.create_table(
        "handledupdate",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("handled_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_handledupdate")),
    )
    op.create_table(
        "outboxmessage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("method", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", bot.storage.types.UTCDateTime(), nullable=False),
        sa.Column("created_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.Column("sent_at", bot.storage.types.UTCDateTime(), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("telegram_message_id", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outboxmessage")),
        sa.UniqueConstraint("key", name=op.f("uq_outboxmessage_key")),
    )
    with op.batch_alter_table("outboxmessage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outboxmessage_chat_id"), ["chat_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outboxmessage_status"), ["status"], unique=False)

    op.create_table(
        "period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("covers_from", sa.Date(), nullable=True),
        sa.Column("covers_to", sa.Date(), nullable=True),
        sa.Column("opens_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.Column("deadline_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.Column("lock_after_minutes", sa.Integer(), nullable=False),
        sa.Column("reminder_offsets", sa.JSON(), nullable=False),
        sa.Column("digest_time", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
        sa.Column("quiet_hours", sqlmodel.sql.sqltypes.AutoString(length=11), nullable=True),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period")),
        sa.UniqueConstraint("code", name=op.f("uq_period_code")),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("full_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("active_submission_id", sa.Integer(), nullable=True),
        sa.Column("unreachable_at", bot.storage.types.UTCDateTime(), nullable=True),
        sa.Column("created_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("telegram_id", name=op.f("uq_person_telegram_id")),
    )
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        sa.UniqueConstraint("code", name=op.f("uq_unit_code")),
    )
    op.create_table(
        "clusterleadership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("chair_unit_id", sa.Integer(), nullable=True),
        sa.Column("vice_chair_unit_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["chair_unit_id"], ["unit.id"], name=op.f("fk_clusterleadership_chair_unit_id_unit")
        ),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["cluster.id"], name=op.f("fk_clusterleadership_cluster_id_cluster")
        ),
        sa.ForeignKeyConstraint(
            ["vice_chair_unit_id"],
            ["unit.id"],
            name=op.f("fk_clusterleadership_vice_chair_unit_id_unit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clusterleadership")),
        sa.UniqueConstraint(
            "cluster_id", "year", name=op.f("uq_clusterleadership_cluster_id_year")
        ),
    )
    op.create_table(
        "clusterunit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["cluster.id"], name=op.f("fk_clusterunit_cluster_id_cluster")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_clusterunit_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clusterunit")),
        sa.UniqueConstraint(
            "cluster_id", "unit_id", name=op.f("uq_clusterunit_cluster_id_unit_id")
        ),
    )
    with op.batch_alter_table("clusterunit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clusterunit_cluster_id"), ["cluster_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_clusterunit_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "groupchat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.Column("bound_at", bot.storage.types.UTCDateTime(), nullable=True),
        sa.Column("unreachable_at", bot.storage.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["cluster.id"], name=op.f("fk_groupchat_cluster_id_cluster")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_groupchat")),
        sa.UniqueConstraint("chat_id", name=op.f("uq_groupchat_chat_id")),
    )
    with op.batch_alter_table("groupchat", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_groupchat_cluster_id"), ["cluster_id"], unique=False)

    op.create_table(
        "invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.Column("used_at", bot.storage.types.UTCDateTime(), nullable=True),
        sa.Column("used_by_person_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_invite_unit_id_unit")),
        sa.ForeignKeyConstraint(
            ["used_by_person_id"], ["person.id"], name=op.f("fk_invite_used_by_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invite_token_hash")),
    )
    op.create_table(
        "membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", bot.storage.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_membership_person_id_person")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_membership_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
        sa.UniqueConstraint("person_id", "unit_id", name=op.f("uq_membership_person_id_unit_id")),
    )
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_membership_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_membership_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "periodcluster",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["cluster.id"], name=op.f("fk_periodcluster_cluster_id_cluster")
        ),
        sa.ForeignKeyConstraint(
            ["period_id"], ["period.id"], name=op.f("fk_periodcluster_period_id_period")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_periodcluster")),
        sa.UniqueConstraint(
            "period_id", "cluster_id", name=op.f("uq_periodcluster_period_id_cluster_id")
        ),
    )
    with op.batch_alter_table("periodcluster", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_periodcluster_cluster_id"), ["cluster_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_periodcluster_period_id"), ["period_id"], unique=False)

    op.create_table(
        "pledge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["cluster.id"], name=op.f("fk_pledge_cluster_id_cluster")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge")),
        sa.UniqueConstraint("cluster_id", "year", name=op.f("uq_pledge_cluster_id_year")),
    )
    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pledge_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("unit_label", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("better", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        sa.Column("min_value", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("max_value", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("integer", sa.Boolean(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledge.id"], name=op.f("fk_indicator_pledge_id_pledge")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
        sa.UniqueConstraint("pledge_id", "code", name=op.f("uq_indicator_pledge_id_code")),
    )
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_pledge_id"), ["pledge_id"], unique=False)

    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("started_by_person_id", sa.Integer(), nullable=True),
        sa.Column("submitted_by_person_id", sa.Integer(), nullable=True),
        sa.Column("created_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.Column("submitted_at", bot.storage.types.UTCDateTime(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("cursor_indicator_id", sa.Integer(), nullable=True),
        sa.Column("pending", sa.JSON(), nullable=True),
        sa.Column("returned_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["cursor_indicator_id"],
            ["indicator.id"],
            name=op.f("fk_submission_cursor_indicator_id_indicator"),
        ),
        sa.ForeignKeyConstraint(
            ["period_id"], ["period.id"], name=op.f("fk_submission_period_id_period")
        ),
        sa.ForeignKeyConstraint(
            ["started_by_person_id"],
            ["person.id"],
            name=op.f("fk_submission_started_by_person_id_person"),
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_person_id"],
            ["person.id"],
            name=op.f("fk_submission_submitted_by_person_id_person"),
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_submission_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
        sa.UniqueConstraint(
            "period_id",
            "unit_id",
            "revision",
            name=op.f("uq_submission_period_id_unit_id_revision"),
        ),
    )
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submission_period_id"), ["period_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_submission_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"], ["indicator.id"], name=op.f("fk_target_indicator_id_indicator")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_target_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target")),
        sa.UniqueConstraint("indicator_id", "unit_id", name=op.f("uq_target_indicator_id_unit_id")),
    )
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_indicator_id"), ["indicator_id"], unique=False)

    op.create_table(
        "answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("raw_text", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("value_number", sa.Float(), nullable=True),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("explanation", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("file_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("file_size", sa.Integer(), nullable=True),
        sa.Column("answered_by_person_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answered_by_person_id"],
            ["person.id"],
            name=op.f("fk_answer_answered_by_person_id_person"),
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"], ["indicator.id"], name=op.f("fk_answer_indicator_id_indicator")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submission.id"], name=op.f("fk_answer_submission_id_submission")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer")),
        sa.UniqueConstraint(
            "submission_id", "indicator_id", name=op.f("uq_answer_submission_id_indicator_id")
        ),
    )
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_answer_submission_id"), ["submission_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_submission_id"))

    op.drop_table("answer")
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_indicator_id"))

    op.drop_table("target")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_unit_id"))
        batch_op.drop_index(batch_op.f("ix_submission_period_id"))

    op.drop_table("submission")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_pledge_id"))

    op.drop_table("indicator")
    op.drop_table("pledge")
    with op.batch_alter_table("periodcluster", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_periodcluster_period_id"))
        batch_op.drop_index(batch_op.f("ix_periodcluster_cluster_id"))

    op.drop_table("periodcluster")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_membership_unit_id"))
        batch_op.drop_index(batch_op.f("ix_membership_person_id"))

    op.drop_table("membership")
    op.drop_table("invite")
    with op.batch_alter_table("groupchat", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_groupchat_cluster_id"))

    op.drop_table("groupchat")
    with op.batch_alter_table("clusterunit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clusterunit_unit_id"))
        batch_op.drop_index(batch_op.f("ix_clusterunit_cluster_id"))

    op.drop_table("clusterunit")
    op.drop_table("clusterleadership")
    op.drop_table("unit")
    op.drop_table("person")
    op.drop_table("period")
    with op.batch_alter_table("outboxmessage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outboxmessage_status"))
        batch_op.drop_index(batch_op.f("ix_outboxmessage_chat_id"))

    op.drop_table("outboxmessage")
    op.drop_table("handledupdate")
    op.drop_table("cluster")
    with op.batch_alter_table("auditevent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auditevent_entity_key"))
        batch_op.drop_index(batch_op.f("ix_auditevent_action"))

    op.drop_table("auditevent")
