using System.Collections.Concurrent;
using Affinsy.State.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;
using Xunit;

namespace Affinsy.State.Tests;

/// <summary>
/// Two workers (schedulers with different instance ids) clustered on one database through
/// <see cref="ClusteredJobStore.UseAffinsyClusteredStore"/>: every fire of a trigger runs on exactly one of them, and
/// when one shuts down the other runs the following fires.
/// </summary>
public sealed class QuartzClusterTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_fire_runs_once_across_the_cluster_and_the_survivor_takes_over()
    {
        var connectionString = await postgres.CreateDatabaseOrSkipAsync(Ct);
        await using (await PostgresStateBackend.OpenAsync(connectionString, TimeProvider.System, Ct))
        {
            // Creates the qrtz_ tables the job store validates at start.
        }

        var fires = new FireLog();
        var workers = await Task.WhenAll(StartWorkerAsync(connectionString, "worker-a", fires), StartWorkerAsync(connectionString, "worker-b", fires));
        var (first, second) = (workers[0], workers[1]);
        try
        {
            var job = JobBuilder.Create<RecordingJob>().WithIdentity("sync-orders").Build();
            var trigger = TriggerBuilder.Create()
                .WithIdentity("sync-orders-schedule")
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(Interval).RepeatForever())
                .Build();
            await first.ScheduleJob(job, trigger, cancellationToken: Ct);

            await fires.WaitForAsync(4).WaitAsync(Generous, Ct);
            await first.Shutdown(waitForJobsToComplete: true, Ct);
            var beforeShutdown = fires.Count;
            await fires.WaitForAsync(beforeShutdown + 3).WaitAsync(Generous, Ct);
            await second.Shutdown(waitForJobsToComplete: true, Ct);

            var all = fires.Snapshot();
            Assert.Equal(all.Count, all.Select(f => f.ScheduledAt).Distinct().Count());
            var scheduled = all.Select(f => f.ScheduledAt).Order().ToList();
            Assert.All(scheduled.Zip(scheduled.Skip(1)), pair => Assert.Equal(Interval, pair.Second - pair.First));
            Assert.All(all.Skip(beforeShutdown), f => Assert.Equal("worker-b", f.Worker));
            Assert.DoesNotContain(all, f => f.Recovering);
            Assert.Equal(1, fires.MostAtOnce);
        }
        finally
        {
            await first.Shutdown(waitForJobsToComplete: false, CancellationToken.None);
            await second.Shutdown(waitForJobsToComplete: false, CancellationToken.None);
        }
    }

    [Fact]
    public async Task When_a_worker_dies_mid_run_another_reruns_that_fire_and_runs_the_next_ones()
    {
        var connectionString = await postgres.CreateDatabaseOrSkipAsync(Ct);
        await QuartzSchema.EnsureAsync(connectionString, Ct);
        var direct = new NpgsqlConnectionStringBuilder(connectionString);
        using var proxy = new SeverableProxy(direct.Host!, direct.Port);
        var throughProxy = new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 2 }.ConnectionString;
        var fires = new FireLog { Stalls = "worker-a" };
        var doomed = await StartWorkerAsync(throughProxy, "worker-a", fires);
        IScheduler? survivor = null;
        try
        {
            var job = JobBuilder.Create<RecordingJob>().WithIdentity("sync-orders").RequestRecovery().Build();
            var trigger = TriggerBuilder.Create()
                .WithIdentity("sync-orders-schedule")
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(Interval).RepeatForever())
                .Build();
            await doomed.ScheduleJob(job, trigger, cancellationToken: Ct);
            await fires.WaitForAsync(1).WaitAsync(Generous, Ct);
            survivor = await StartWorkerAsync(connectionString, "worker-b", fires);

            proxy.Sever();
            await fires.WaitUntilAsync(f => f.Any(x => x.Recovering) && f.Count(x => x.Worker == "worker-b" && !x.Recovering) >= 2).WaitAsync(Generous, Ct);

            var all = fires.Snapshot();
            Assert.Single(all, f => f.Worker == "worker-a");
            var recovery = Assert.Single(all, f => f.Recovering);
            Assert.Equal(("worker-b", "sync-orders-schedule"), (recovery.Worker, recovery.Recovers));
            var regular = all.Where(f => !f.Recovering).Select(f => f.ScheduledAt).ToList();
            Assert.Equal(regular.Count, regular.Distinct().Count());
            Assert.Equal(1, fires.MostAtOnce);
        }
        finally
        {
            fires.Release();
            if (survivor is not null)
            {
                await survivor.Shutdown(waitForJobsToComplete: false, CancellationToken.None);
            }

            // The dead worker's scheduler cannot reach its database any more; do not wait on it for long.
            try
            {
                await doomed.Shutdown(waitForJobsToComplete: false, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            }
            catch (Exception e) when (e is TimeoutException or SchedulerException or NpgsqlException)
            {
                // Left to the end of the test run.
            }
        }
    }

    [Fact]
    public async Task A_job_store_table_missing_a_column_stops_the_worker_at_start_not_at_a_firing()
    {
        var connectionString = await postgres.CreateDatabaseOrSkipAsync(Ct);
        await QuartzSchema.EnsureAsync(connectionString, Ct);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            await using var drop = new NpgsqlCommand("ALTER TABLE qrtz_triggers DROP COLUMN fixed_delay", connection);
            await drop.ExecuteNonQueryAsync(Ct);
        }

        var e = await Assert.ThrowsAsync<SchedulerException>(() => StartWorkerAsync(connectionString, "worker-a", new FireLog()));

        Assert.Contains("fixed_delay", e.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<IScheduler> StartWorkerAsync(string connectionString, string instanceId, FireLog fires)
    {
        var factory = QuartzSchedulerBuilder.Create(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = "affinsy";
                o.InstanceId = instanceId;
            });
            q.UseDefaultThreadPool(2);
            q.UseAffinsyClusteredStore(connectionString, TimeSpan.FromSeconds(1));
            q.Services.AddSingleton(fires);
        }).Build();
        var scheduler = await factory.GetScheduler(Ct);
        await scheduler.Start(Ct);
        return scheduler;
    }

    /// <summary>Runs of the job, as seen by both workers.</summary>
    internal sealed class FireLog
    {
        private readonly ConcurrentQueue<Fire> _fires = new();
        private readonly Lock _lock = new();
        private readonly List<(Func<IReadOnlyList<Fire>, bool> Done, TaskCompletionSource Reached)> _waiters = [];
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _running;
        private int _mostAtOnce;

        public int Count => _fires.Count;

        public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

        public IDisposable Enter()
        {
            var now = Interlocked.Increment(ref _running);
            int seen;
            while (now > (seen = Volatile.Read(ref _mostAtOnce)) && Interlocked.CompareExchange(ref _mostAtOnce, now, seen) != seen)
            {
            }

            return new Exit(this);
        }

        /// <summary>The worker whose runs do not return until <see cref="Release"/> (as if it died mid-run), if any.</summary>
        public string? Stalls { get; init; }

        public void Record(Fire fire)
        {
            _fires.Enqueue(fire);
            lock (_lock)
            {
                var now = Snapshot();
                foreach (var waiter in _waiters.Where(w => w.Done(now)))
                {
                    waiter.Reached.TrySetResult();
                }
            }
        }

        public Task StallAsync(CancellationToken cancellationToken) => _release.Task.WaitAsync(cancellationToken);

        public void Release() => _release.TrySetResult();

        public Task WaitForAsync(int count) => WaitUntilAsync(fires => fires.Count >= count);

        public Task WaitUntilAsync(Func<IReadOnlyList<Fire>, bool> done)
        {
            lock (_lock)
            {
                var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((done, reached));
                if (done(Snapshot()))
                {
                    reached.TrySetResult();
                }

                return reached.Task;
            }
        }

        public IReadOnlyList<Fire> Snapshot() => [.. _fires];

        private sealed class Exit(FireLog log) : IDisposable
        {
            public void Dispose() => Interlocked.Decrement(ref log._running);
        }
    }

    /// <summary>One run of the job: which worker, for which scheduled time, and whether it was a recovery.</summary>
    /// <param name="Recovers">For a recovery run, the trigger whose interrupted firing it re-runs.</param>
    internal sealed record Fire(string Worker, DateTimeOffset ScheduledAt, bool Recovering, string? Recovers = null);

    [DisallowConcurrentExecution]
    internal sealed class RecordingJob(FireLog fires) : IJob
    {
        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
        {
            var worker = context.Scheduler.SchedulerInstanceId;
            var fire = new Fire(worker, context.ScheduledFireTimeUtc ?? context.FireTimeUtc, context.Recovering, context.Recovering ? context.RecoveringTriggerKey?.Name : null);
            if (worker == fires.Stalls)
            {
                // A dead worker's run never ends and no longer counts as running: it is recorded, then hangs.
                fires.Record(fire);
                await fires.StallAsync(cancellationToken);
                return;
            }

            using (fires.Enter())
            {
                fires.Record(fire);
            }
        }
    }
}
