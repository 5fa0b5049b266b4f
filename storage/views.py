"""The operator views: the stable SQL interface documented in docs/schema.md.

Operators and scripts query these, not the tables, so the tables may change under them.
A view's columns change only by adding new ones at the end.  Created by the migrations;
the SQL differs between SQLite and PostgreSQL only in how "now" is written.
"""

from __future__ import annotations

NOW_SQL = {
    "sqlite": "strftime('%Y-%m-%d %H:%M:%f', 'now')",
    "postgresql": "now()",
}

# First counted submission per (union, obligation), with how many were counted.
_FIRST = """
    SELECT s.union_id, s.obligation_key,
           MIN(m.received_at) AS first_received_at, COUNT(*) AS n
    FROM submissions s JOIN messages m ON m.id = s.message_id
    WHERE s.counted
    GROUP BY s.union_id, s.obligation_key
"""

V_COMPLIANCE = """
CREATE VIEW v_compliance AS
SELECT u.code AS union_code,
       u.name AS union_name,
       u.bloc AS bloc,
       o.key AS obligation,
       o.due_at AS due_at,
       CASE
         WHEN e.id IS NOT NULL THEN 'exempt'
         WHEN f.first_received_at IS NOT NULL AND f.first_received_at < o.due_at THEN 'on_time'
         WHEN f.first_received_at IS NOT NULL THEN 'late'
         WHEN o.due_at <= {now} THEN 'missing'
         ELSE 'pending'
       END AS status,
       f.first_received_at AS first_received_at,
       COALESCE(f.n, 0) AS submissions
FROM unions u
JOIN obligation_blocs ob ON ob.bloc = u.bloc
JOIN obligations o ON o.key = ob.obligation_key
LEFT JOIN exemptions e ON e.union_id = u.id AND e.obligation_key = o.key
LEFT JOIN ({first}) f ON f.union_id = u.id AND f.obligation_key = o.key
WHERE u.active AND (u.active_from IS NULL OR u.active_from <= o.last_day)
"""

V_SUBMISSIONS = """
CREATE VIEW v_submissions AS
SELECT m.message_id AS message_id,
       u.code AS union_code,
       u.name AS union_name,
       u.bloc AS bloc,
       s.obligation_key AS obligation,
       m.received_at AS received_at,
       CASE WHEN m.received_at < o.due_at THEN 1 ELSE 0 END AS on_time,
       s.version AS version,
       m.from_addr AS from_addr,
       m.subject AS subject,
       s.model_title AS model_title
FROM submissions s
JOIN messages m ON m.id = s.message_id
JOIN unions u ON u.id = s.union_id
JOIN obligations o ON o.key = s.obligation_key
WHERE s.counted
"""

V_TRIAGE = """
CREATE VIEW v_triage AS
SELECT m.message_id AS message_id,
       m.received_at AS received_at,
       m.from_addr AS from_addr,
       m.subject AS subject,
       t.reason AS reason
FROM triage_items t
JOIN messages m ON m.id = t.message_id
WHERE t.status = 'open'
"""

VIEW_NAMES = ("v_compliance", "v_submissions", "v_triage")


def create_view_statements(dialect: str) -> list[str]:
    """The CREATE VIEW statements for ``dialect`` (sqlite or postgresql)."""
    now = NOW_SQL.get(dialect, "CURRENT_TIMESTAMP")
    return [
        V_COMPLIANCE.format(now=now, first=_FIRST),
        V_SUBMISSIONS,
        V_TRIAGE,
    ]


def drop_view_statements() -> list[str]:
    return [f"DROP VIEW IF EXISTS {name}" for name in VIEW_NAMES]
