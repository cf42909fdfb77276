using Npgsql;

namespace Affinsy.State.Postgres;

/// <summary>
/// The tables Quartz.NET 4's clustered ADO.NET job store reads and writes (prefix <c>qrtz_</c>), in PostgreSQL, created
/// when missing by <see cref="PostgresStateBackend.OpenAsync"/> (under the same lock as the state tables) or by
/// <see cref="EnsureAsync"/>. The job store is configured to validate them at start-up
/// (<c>SchemaProvisioning.Validate</c>), so a column this script lacks fails the worker's start, not a firing.
/// Times are .NET ticks in <c>bigint</c>, job data is the serializer's bytes in <c>bytea</c>; the primary keys lead
/// with <c>sched_name</c> because several schedulers may share the tables.
/// </summary>
public static class QuartzSchema
{
    /// <summary>The table prefix the job store is configured with.</summary>
    public const string TablePrefix = "qrtz_";

    internal const string Sql = """

        CREATE TABLE IF NOT EXISTS qrtz_job_details (
            sched_name        text NOT NULL,
            job_name          text NOT NULL,
            job_group         text NOT NULL,
            description       text NULL,
            job_class_name    text NOT NULL,
            is_durable        boolean NOT NULL,
            is_nonconcurrent  boolean NOT NULL,
            is_update_data    boolean NOT NULL,
            requests_recovery boolean NOT NULL,
            job_data          bytea NULL,
            CONSTRAINT qrtz_job_details_pk PRIMARY KEY (sched_name, job_name, job_group)
        );

        CREATE TABLE IF NOT EXISTS qrtz_triggers (
            sched_name              text NOT NULL,
            trigger_name            text NOT NULL,
            trigger_group           text NOT NULL,
            job_name                text NOT NULL,
            job_group               text NOT NULL,
            description             text NULL,
            next_fire_time          bigint NULL,
            prev_fire_time          bigint NULL,
            priority                integer NULL,
            trigger_state           text NOT NULL,
            trigger_type            text NOT NULL,
            start_time              bigint NOT NULL,
            end_time                bigint NULL,
            calendar_name           text NULL,
            misfire_instr           smallint NULL,
            misfire_orig_fire_time  bigint NULL,
            misfire_threshold       bigint NULL,
            execution_group         varchar(200) NULL,
            preferred_node          varchar(200) NULL,
            preferred_node_auto     boolean NOT NULL DEFAULT false,
            retry_policy            varchar(250) NULL,
            retry_attempt           integer NULL,
            continues_trigger_name  text NULL,
            continues_trigger_group text NULL,
            continuation_condition  integer NULL,
            overlap_policy          integer NULL,
            pause_reason            varchar(250) NULL,
            paused_by               varchar(200) NULL,
            paused_at               bigint NULL,
            fixed_delay             boolean NULL,
            job_data                bytea NULL,
            CONSTRAINT qrtz_triggers_pk PRIMARY KEY (sched_name, trigger_name, trigger_group),
            CONSTRAINT qrtz_triggers_job_fk FOREIGN KEY (sched_name, job_name, job_group)
                REFERENCES qrtz_job_details (sched_name, job_name, job_group)
        );
        CREATE INDEX IF NOT EXISTS qrtz_triggers_by_job ON qrtz_triggers (sched_name, job_name, job_group);
        CREATE INDEX IF NOT EXISTS qrtz_triggers_by_group ON qrtz_triggers (sched_name, trigger_group, trigger_name);
        CREATE INDEX IF NOT EXISTS qrtz_triggers_by_calendar ON qrtz_triggers (sched_name, calendar_name);
        CREATE INDEX IF NOT EXISTS qrtz_triggers_due ON qrtz_triggers (sched_name, trigger_state, next_fire_time, priority DESC, misfire_instr);

        CREATE TABLE IF NOT EXISTS qrtz_simple_triggers (
            sched_name      text NOT NULL,
            trigger_name    text NOT NULL,
            trigger_group   text NOT NULL,
            repeat_count    bigint NOT NULL,
            repeat_interval bigint NOT NULL,
            times_triggered bigint NOT NULL,
            CONSTRAINT qrtz_simple_triggers_pk PRIMARY KEY (sched_name, trigger_name, trigger_group),
            CONSTRAINT qrtz_simple_triggers_fk FOREIGN KEY (sched_name, trigger_name, trigger_group)
                REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
        );

        CREATE TABLE IF NOT EXISTS qrtz_cron_triggers (
            sched_name      text NOT NULL,
            trigger_name    text NOT NULL,
            trigger_group   text NOT NULL,
            cron_expression text NOT NULL,
            time_zone_id    text NULL,
            CONSTRAINT qrtz_cron_triggers_pk PRIMARY KEY (sched_name, trigger_name, trigger_group),
            CONSTRAINT qrtz_cron_triggers_fk FOREIGN KEY (sched_name, trigger_name, trigger_group)
                REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
        );

        CREATE TABLE IF NOT EXISTS qrtz_simprop_triggers (
            sched_name    text NOT NULL,
            trigger_name  text NOT NULL,
            trigger_group text NOT NULL,
            str_prop_1    text NULL,
            str_prop_2    text NULL,
            str_prop_3    text NULL,
            int_prop_1    integer NULL,
            int_prop_2    integer NULL,
            long_prop_1   bigint NULL,
            long_prop_2   bigint NULL,
            dec_prop_1    numeric NULL,
            dec_prop_2    numeric NULL,
            bool_prop_1   boolean NULL,
            bool_prop_2   boolean NULL,
            time_zone_id  text NULL,
            CONSTRAINT qrtz_simprop_triggers_pk PRIMARY KEY (sched_name, trigger_name, trigger_group),
            CONSTRAINT qrtz_simprop_triggers_fk FOREIGN KEY (sched_name, trigger_name, trigger_group)
                REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
        );

        CREATE TABLE IF NOT EXISTS qrtz_blob_triggers (
            sched_name    text NOT NULL,
            trigger_name  text NOT NULL,
            trigger_group text NOT NULL,
            blob_data     bytea NULL,
            CONSTRAINT qrtz_blob_triggers_pk PRIMARY KEY (sched_name, trigger_name, trigger_group),
            CONSTRAINT qrtz_blob_triggers_fk FOREIGN KEY (sched_name, trigger_name, trigger_group)
                REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
        );

        CREATE TABLE IF NOT EXISTS qrtz_calendars (
            sched_name    text NOT NULL,
            calendar_name text NOT NULL,
            calendar      bytea NOT NULL,
            CONSTRAINT qrtz_calendars_pk PRIMARY KEY (sched_name, calendar_name)
        );

        CREATE TABLE IF NOT EXISTS qrtz_paused_trigger_grps (
            sched_name    text NOT NULL,
            trigger_group text NOT NULL,
            pause_reason  varchar(250) NULL,
            paused_by     varchar(200) NULL,
            paused_at     bigint NULL,
            CONSTRAINT qrtz_paused_trigger_grps_pk PRIMARY KEY (sched_name, trigger_group)
        );

        CREATE TABLE IF NOT EXISTS qrtz_paused_job_grps (
            sched_name   text NOT NULL,
            job_group    text NOT NULL,
            pause_reason varchar(250) NULL,
            paused_by    varchar(200) NULL,
            paused_at    bigint NULL,
            CONSTRAINT qrtz_paused_job_grps_pk PRIMARY KEY (sched_name, job_group)
        );

        CREATE TABLE IF NOT EXISTS qrtz_fired_triggers (
            sched_name               text NOT NULL,
            entry_id                 text NOT NULL,
            trigger_name             text NOT NULL,
            trigger_group            text NOT NULL,
            instance_name            text NOT NULL,
            fired_time               bigint NOT NULL,
            sched_time               bigint NOT NULL,
            priority                 integer NOT NULL,
            state                    text NOT NULL,
            job_name                 text NULL,
            job_group                text NULL,
            is_nonconcurrent         boolean NOT NULL,
            requests_recovery        boolean NULL,
            execution_group          varchar(200) NULL,
            progress                 integer NULL,
            progress_message         varchar(250) NULL,
            interrupt_requested_time bigint NULL,
            CONSTRAINT qrtz_fired_triggers_pk PRIMARY KEY (sched_name, entry_id)
        );
        CREATE INDEX IF NOT EXISTS qrtz_fired_triggers_recovery ON qrtz_fired_triggers (sched_name, instance_name, requests_recovery);
        CREATE INDEX IF NOT EXISTS qrtz_fired_triggers_by_job ON qrtz_fired_triggers (sched_name, job_name, job_group);
        CREATE INDEX IF NOT EXISTS qrtz_fired_triggers_by_trigger ON qrtz_fired_triggers (sched_name, trigger_name, trigger_group);

        CREATE TABLE IF NOT EXISTS qrtz_scheduler_state (
            sched_name        text NOT NULL,
            instance_name     text NOT NULL,
            last_checkin_time bigint NOT NULL,
            checkin_interval  bigint NOT NULL,
            quartz_version    varchar(20) NULL,
            CONSTRAINT qrtz_scheduler_state_pk PRIMARY KEY (sched_name, instance_name)
        );

        CREATE TABLE IF NOT EXISTS qrtz_locks (
            sched_name text NOT NULL,
            lock_name  text NOT NULL,
            CONSTRAINT qrtz_locks_pk PRIMARY KEY (sched_name, lock_name)
        );
        """;

    /// <summary>
    /// Creates Quartz's tables (and the state tables beside them) when missing, under the advisory lock every opener
    /// takes, so it is safe while other workers start. <see cref="PostgresStateBackend.OpenAsync"/> already does this.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string is malformed (the message never quotes it).</exception>
    /// <exception cref="Affinsy.Core.State.StateStoreUnavailableException">The server is unreachable, refuses the login, or lacks the database.</exception>
    public static async Task EnsureAsync(string connectionString, CancellationToken cancellationToken)
    {
        var at = PostgresLocation.Of(PostgresLocation.Parse(connectionString));
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            await StateSchema.EnsureAsync(dataSource, cancellationToken);
        }
        catch (Exception e) when (PostgresFailure.Explain(e, at) is { } explained)
        {
            throw explained;
        }
    }
}
