using System.Threading.Channels;
using Affinsy.Host.Worker;
using Microsoft.Extensions.Time.Testing;
using Quartz;
using Xunit;

namespace Affinsy.Host.Tests;

/// <summary>The pipelines' cron triggers under Quartz with a fake clock: downtime does not cause a burst of catch-up syncs.</summary>
public sealed class ScheduleMisfireTests
{
    private static readonly Channel<DateTimeOffset?> Fired = Channel.CreateUnbounded<DateTimeOffset?>();

    private sealed class RecordingJob : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
            Fired.Writer.WriteAsync(context.ScheduledFireTimeUtc, cancellationToken);
    }

    [Fact]
    public async Task Slots_missed_while_the_worker_was_down_fire_once_and_the_schedule_resumes_at_the_next_slot()
    {
        var ct = TestContext.Current.CancellationToken;
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(500);
        var time = new FakeTimeProvider(start);
        var scheduler = await QuartzSchedulerBuilder.Create(q =>
        {
            q.UseTimeProvider(time);
            q.UseInMemoryStore(_ => { });
            q.ConfigureScheduler(s => s.InstanceName = "misfire-" + Guid.NewGuid().ToString("N"));
        }).BuildScheduler(ct);
        try
        {
            var job = JobBuilder.Create<RecordingJob>().WithIdentity(JobKeys.Sync("shop")).StoreDurably(true).Build();
            await scheduler.AddJob(job, AddJobOptions.Replacing, ct);
            await scheduler.ScheduleTrigger(ScheduleRegistration.CronTrigger(JobKeys.SyncSchedule("shop"), job.Key, "0/1 * * * * ?", time), TriggerConflict.Throw, ct);

            // Three one-second slots pass while nothing runs (the worker is down; shorter than Quartz's default
            // misfire threshold, which would otherwise replay each of them), then it starts.
            time.Advance(TimeSpan.FromSeconds(3));
            await scheduler.Start(ct);
            await Fired.Reader.ReadAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct);

            // Fired once for the whole gap; the next firing is the next future slot, not the next missed one.
            var trigger = await scheduler.GetTrigger(JobKeys.SyncSchedule("shop"), ct);
            Assert.Equal(start.AddSeconds(3.5), trigger!.NextFireTimeUtc);
            Assert.False(Fired.Reader.TryRead(out _));
        }
        finally
        {
            await scheduler.Shutdown(false, CancellationToken.None);
        }
    }
}
