using Affinsy.Connectors.WooCommerce.Api;
using Microsoft.Extensions.Time.Testing;

namespace Affinsy.Connectors.WooCommerce.Tests;

public sealed class RequestGateTests
{
    [Fact]
    public async Task Request_starts_are_spaced_by_the_cap_and_widen_after_each_429_up_to_double()
    {
        var time = new FakeTimeProvider();
        var gate = new RequestGate(4, time);
        (await gate.WaitAsync(TestContext.Current.CancellationToken)).Dispose();

        var second = gate.WaitAsync(TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        (await second).Dispose();

        gate.Throttled();
        Assert.Equal(TimeSpan.FromMilliseconds(275), gate.Interval);
        for (var i = 0; i < 20; i++)
        {
            gate.Throttled();
        }

        Assert.Equal(TimeSpan.FromMilliseconds(500), gate.Interval);
    }

    [Fact]
    public void Without_a_cap_requests_are_never_held()
    {
        var gate = new RequestGate(null, new FakeTimeProvider());

        for (var i = 0; i < 3; i++)
        {
            Assert.True(gate.WaitAsync(TestContext.Current.CancellationToken).IsCompletedSuccessfully);
        }

        gate.Throttled();
        Assert.Equal(TimeSpan.Zero, gate.Interval);
    }

    [Fact]
    public async Task Requests_waiting_together_take_consecutive_slots_without_waiting_for_each_others_answers()
    {
        var time = new FakeTimeProvider();
        var gate = new RequestGate(10, time);
        var waiting = Enumerable.Range(0, 3).Select(_ => gate.WaitAsync(TestContext.Current.CancellationToken)).ToList();

        Assert.True(waiting[0].IsCompletedSuccessfully);
        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(waiting[1].IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await waiting[1];
        time.Advance(TimeSpan.FromMilliseconds(100));
        await waiting[2];

        // None of the three has been answered: at 10/s, three in flight is within the window.
        Assert.All(waiting, w => Assert.True(w.IsCompletedSuccessfully));
    }

    [Fact]
    public async Task The_request_that_completes_a_window_waits_for_the_first_ones_answer_plus_the_window()
    {
        var time = new FakeTimeProvider();
        var gate = new RequestGate(2, time);
        var first = await gate.WaitAsync(TestContext.Current.CancellationToken);
        var secondWait = gate.WaitAsync(TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromMilliseconds(500));
        using var second = await secondWait;

        // At 2/s, the third request shares a window with the first: the first's answer arrives late (at 800 ms),
        // as a slow request's does, so the host may have counted it up to then.
        var third = gate.WaitAsync(TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromMilliseconds(300));
        first.Dispose();
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        (await third).Dispose();
        Assert.Equal(TimeSpan.FromSeconds(1), gate.Window);
    }

    [Fact]
    public async Task A_timer_that_fires_early_does_not_start_a_request_before_its_slot()
    {
        var time = new EarlyTimers(TimeSpan.FromMilliseconds(1));
        var gate = new RequestGate(4, time);
        (await gate.WaitAsync(TestContext.Current.CancellationToken)).Dispose();

        var second = gate.WaitAsync(TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        (await second).Dispose();
    }

    /// <summary>Fires every timer a little before it is due, as .NET's millisecond-tick timers can.</summary>
    private sealed class EarlyTimers(TimeSpan early) : FakeTimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            base.CreateTimer(callback, state, dueTime > early ? dueTime - early : dueTime, period);
    }
}
