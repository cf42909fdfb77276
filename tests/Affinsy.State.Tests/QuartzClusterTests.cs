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
            Assert.Equal(1, fires.MostAtOnce);
        }
        finally
        {
            await first.Shutdown(waitForJobsToComplete: false, CancellationToken.None);
            await second.Shutdown(waitForJobsToComplete: false, CancellationToken.None);
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
        private readonly ConcurrentQueue<(string Worker, DateTimeOffset ScheduledAt)> _fires = new();
        private readonly Lock _lock = new();
        private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
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

        public void Record(string worker, DateTimeOffset scheduledAt)
        {
            _fires.Enqueue((worker, scheduledAt));
            lock (_lock)
            {
                foreach (var waiter in _waiters.Where(w => _fires.Count >= w.Count))
                {
                    waiter.Reached.TrySetResult();
                }
            }
        }

        public Task WaitForAsync(int count)
        {
            lock (_lock)
            {
                var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((count, reached));
                if (_fires.Count >= count)
                {
                    reached.TrySetResult();
                }

                return reached.Task;
            }
        }

        public IReadOnlyList<(string Worker, DateTimeOffset ScheduledAt)> Snapshot() => [.. _fires];

        private sealed class Exit(FireLog log) : IDisposable
        {
            public void Dispose() => Interlocked.Decrement(ref log._running);
        }
    }

    [DisallowConcurrentExecution]
    internal sealed class RecordingJob(FireLog fires) : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
        {
            using (fires.Enter())
            {
                fires.Record(context.Scheduler.SchedulerInstanceId, context.ScheduledFireTimeUtc ?? context.FireTimeUtc);
            }

            return ValueTask.CompletedTask;
        }
    }
}
