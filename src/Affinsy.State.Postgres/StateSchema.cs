using Npgsql;

namespace Affinsy.State.Postgres;

/// <summary>
/// The tables the state backend keeps (all prefixed <c>affinsy_</c>, so they can share a database with anything else),
/// created when missing. Workers of a fleet start at the same time, and two concurrent <c>CREATE TABLE IF NOT EXISTS</c>
/// can still collide in the catalog, so creation runs in one transaction under a transaction-scoped advisory lock:
/// the first opener creates, the others wait and find everything there.
/// </summary>
internal static class StateSchema
{
    /// <summary>The advisory lock key every opener serializes schema creation on ("AFFINSY" in ASCII).</summary>
    public const long CreationLock = 0x41_46_46_49_4E_53_59;

    public const string Sql = """
        CREATE TABLE IF NOT EXISTS affinsy_checkpoints (
            pipeline   text PRIMARY KEY,
            value      text NOT NULL,
            updated_at timestamptz NOT NULL
        );

        CREATE TABLE IF NOT EXISTS affinsy_dead_letters (
            id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            pipeline        text NOT NULL,
            reason          text NOT NULL,
            position        text NOT NULL,
            original_record text NOT NULL,
            order_id        text NULL,
            at              timestamptz NOT NULL,
            details         text NULL
        );
        CREATE INDEX IF NOT EXISTS affinsy_dead_letters_by_pipeline ON affinsy_dead_letters (pipeline, id);
        -- One row per refusal (DeadLetterIdentity); rows written before letter ids existed keep NULL, which never conflicts.
        ALTER TABLE affinsy_dead_letters ADD COLUMN IF NOT EXISTS letter_id text NULL;
        ALTER TABLE affinsy_dead_letters ADD COLUMN IF NOT EXISTS resolved_at timestamptz NULL;
        CREATE UNIQUE INDEX IF NOT EXISTS affinsy_dead_letters_identity ON affinsy_dead_letters (pipeline, letter_id);
        CREATE INDEX IF NOT EXISTS affinsy_dead_letters_by_id ON affinsy_dead_letters (letter_id);

        CREATE TABLE IF NOT EXISTS affinsy_runs (
            run_id          text PRIMARY KEY,
            pipeline        text NOT NULL,
            worker          text NOT NULL,
            started_at      timestamptz NOT NULL,
            finished_at     timestamptz NULL,
            outcome         text NOT NULL,
            error           text NULL,
            orders_read     bigint NOT NULL,
            line_items_sent bigint NOT NULL,
            dead_lettered   bigint NOT NULL
        );
        CREATE INDEX IF NOT EXISTS affinsy_runs_by_pipeline ON affinsy_runs (pipeline, started_at DESC);
        ALTER TABLE affinsy_runs ADD COLUMN IF NOT EXISTS heartbeat_at timestamptz NULL;
        -- Orders skipped by design, by reason: the JSON object of SkipCounts ({"cancelled":276}); NULL before it existed.
        ALTER TABLE affinsy_runs ADD COLUMN IF NOT EXISTS skipped text NULL;

        CREATE TABLE IF NOT EXISTS affinsy_leases (
            pipeline   text PRIMARY KEY,
            holder     text NOT NULL,
            since      timestamptz NOT NULL,
            renewed_at timestamptz NOT NULL
        );

        CREATE TABLE IF NOT EXISTS affinsy_report_counters (
            pipeline text PRIMARY KEY,
            sent     bigint NOT NULL,
            due      boolean NOT NULL
        );

        CREATE TABLE IF NOT EXISTS affinsy_replayed_letters (
            pipeline    text NOT NULL,
            letter_id   text NOT NULL,
            replayed_at timestamptz NOT NULL,
            PRIMARY KEY (pipeline, letter_id)
        );

        CREATE TABLE IF NOT EXISTS affinsy_order_ledger (
            pipeline   text NOT NULL,
            dataset    text NOT NULL,
            order_id   text NOT NULL,
            hash       bigint NOT NULL,
            line_items integer NOT NULL,
            PRIMARY KEY (pipeline, dataset, order_id)
        );

        CREATE TABLE IF NOT EXISTS affinsy_reports (
            report_id    text PRIMARY KEY,
            pipeline     text NOT NULL,
            template     text NOT NULL,
            run_id       text NULL,
            triggered_at timestamptz NOT NULL,
            finished_at  timestamptz NULL,
            status       text NOT NULL,
            saved_to     text NULL
        );
        CREATE INDEX IF NOT EXISTS affinsy_reports_by_template ON affinsy_reports (pipeline, template, triggered_at DESC);
        """;

    /// <summary>Creates the state tables and Quartz's tables when missing, atomically and once across racing openers.</summary>
    public static async Task EnsureAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter<long> { TypedValue = CreationLock });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var create = new NpgsqlCommand(Sql + QuartzSchema.Sql, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
