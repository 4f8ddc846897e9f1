"""Initial schema.

Patients, clinicians, sessions, sets, audits (with per-rep rows and findings), pain reports,
red-flag screenings, clinician overrides, decisions.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 23:04:04.943700
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clinicians",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinicians")),
        sa.UniqueConstraint("name", name=op.f("uq_clinicians_name")),
    )
    op.create_table(
        "patients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("baseline_pain", sa.Integer(), nullable=False),
        sa.Column("start_b", sa.String(length=4), nullable=False),
        sa.Column("start_s", sa.String(length=4), nullable=False),
        sa.Column("start_d", sa.String(length=4), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patients")),
        sa.UniqueConstraint("code", name=op.f("uq_patients_code")),
    )
    op.create_table(
        "audits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("exercise", sa.String(length=64), nullable=False),
        sa.Column("stage", sa.String(length=4), nullable=True),
        sa.Column("schema_version", sa.String(length=16), nullable=False),
        sa.Column("hamcoach_version", sa.String(length=32), nullable=False),
        sa.Column("view", sa.String(length=32), nullable=False),
        sa.Column("source_name", sa.String(length=260), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("good", sa.Integer(), nullable=False),
        sa.Column("good_left", sa.Integer(), nullable=False),
        sa.Column("good_right", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_audits_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audits")),
    )
    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audits_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinician_id"], ["clinicians.id"], name=op.f("fk_overrides_clinician_id_clinicians")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_overrides_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_overrides")),
    )
    with op.batch_alter_table("overrides", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_overrides_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "red_flag_screenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("cleared_at", sa.DateTime(), nullable=True),
        sa.Column("cleared_by_id", sa.Integer(), nullable=True),
        sa.Column("clear_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cleared_by_id"],
            ["clinicians.id"],
            name=op.f("fk_red_flag_screenings_cleared_by_id_clinicians"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_red_flag_screenings_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_red_flag_screenings")),
    )
    with op.batch_alter_table("red_flag_screenings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_red_flag_screenings_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("program_version", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("stop_reason", sa.Text(), nullable=False),
        sa.Column("pain_before", sa.Integer(), nullable=True),
        sa.Column("pain_after", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_sessions_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sessions_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "audit_reps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("rep_index", sa.Integer(), nullable=False),
        sa.Column("leg", sa.String(length=8), nullable=False),
        sa.Column("good", sa.Boolean(), nullable=False),
        sa.Column("start_s", sa.Float(), nullable=False),
        sa.Column("bottom_s", sa.Float(), nullable=False),
        sa.Column("end_s", sa.Float(), nullable=False),
        sa.Column("down_s", sa.Float(), nullable=False),
        sa.Column("pause_s", sa.Float(), nullable=False),
        sa.Column("up_s", sa.Float(), nullable=False),
        sa.Column("range_fraction", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audits.id"],
            name=op.f("fk_audit_reps_audit_id_audits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_reps")),
        sa.UniqueConstraint("audit_id", "rep_index", name=op.f("uq_audit_reps_audit_id")),
    )
    with op.batch_alter_table("audit_reps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_reps_audit_id"), ["audit_id"], unique=False)

    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("ladder", sa.String(length=1), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("stage", sa.String(length=4), nullable=False),
        sa.Column("next_stage", sa.String(length=4), nullable=False),
        sa.Column("load_kg", sa.Float(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("program_version", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_decisions_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decisions_session_id"), ["session_id"], unique=False)

    op.create_table(
        "pain_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("reported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_pain_reports_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_pain_reports_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pain_reports")),
    )
    with op.batch_alter_table("pain_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pain_reports_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("ladder", sa.String(length=1), nullable=False),
        sa.Column("stage", sa.String(length=4), nullable=False),
        sa.Column("exercise", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("good", sa.Integer(), nullable=False),
        sa.Column("reps_left", sa.Integer(), nullable=False),
        sa.Column("reps_right", sa.Integer(), nullable=False),
        sa.Column("good_left", sa.Integer(), nullable=False),
        sa.Column("good_right", sa.Integer(), nullable=False),
        sa.Column("load_kg", sa.Float(), nullable=True),
        sa.Column("pain", sa.Integer(), nullable=True),
        sa.Column("cramp", sa.Boolean(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["audits.id"], name=op.f("fk_sets_audit_id_audits"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_sets_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sets")),
        sa.UniqueConstraint("session_id", "position", name=op.f("uq_sets_session_id")),
    )
    with op.batch_alter_table("sets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sets_session_id"), ["session_id"], unique=False)

    op.create_table(
        "audit_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("check_id", sa.String(length=64), nullable=False),
        sa.Column("verdict", sa.String(length=8), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("threshold", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("frame", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["rep_id"],
            ["audit_reps.id"],
            name=op.f("fk_audit_findings_rep_id_audit_reps"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_findings")),
    )
    with op.batch_alter_table("audit_findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_findings_check_id"), ["check_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_findings_rep_id"), ["rep_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_findings_rep_id"))
        batch_op.drop_index(batch_op.f("ix_audit_findings_check_id"))

    op.drop_table("audit_findings")
    with op.batch_alter_table("sets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sets_session_id"))

    op.drop_table("sets")
    with op.batch_alter_table("pain_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pain_reports_patient_id"))

    op.drop_table("pain_reports")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decisions_session_id"))

    op.drop_table("decisions")
    with op.batch_alter_table("audit_reps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_reps_audit_id"))

    op.drop_table("audit_reps")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sessions_patient_id"))

    op.drop_table("sessions")
    with op.batch_alter_table("red_flag_screenings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_red_flag_screenings_patient_id"))

    op.drop_table("red_flag_screenings")
    with op.batch_alter_table("overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_overrides_patient_id"))

    op.drop_table("overrides")
    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audits_patient_id"))

    op.drop_table("audits")
    op.drop_table("patients")
    op.drop_table("clinicians")
