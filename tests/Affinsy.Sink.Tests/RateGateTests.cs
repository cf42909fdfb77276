using Affinsy.Sink.Sending;
using Microsoft.Extensions.Time.Testing;

namespace Affinsy.Sink.Tests;

public sealed class RateGateTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_request_over_the_limit_waits_until_the_first_answer_leaves_the_window()
    {
        var time = new FakeTimeProvider();
        var gate = new RateGate(3, Minute, time);
        var token = TestContext.Current.CancellationToken;
        for (var i = 0; i < 3; i++)
        {
            gate.Complete(await gate.AcquireAsync(token), remaining: null, retryAfter: null);
            time.Advance(TimeSpan.FromSeconds(10));
        }

        var fourth = gate.AcquireAsync(token).AsTask();
        time.Advance(TimeSpan.FromSeconds(29)); // 59 s after the first answer
        Assert.False(fourth.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        await fourth;
        Assert.Equal(1, gate.Waits);
    }

    [Fact]
    public async Task A_slot_in_flight_counts_until_answered_and_then_for_a_whole_window()
    {
        var time = new FakeTimeProvider();
        var gate = new RateGate(1, Minute, time);
        var token = TestContext.Current.CancellationToken;
        var first = await gate.AcquireAsync(token);

        var second = gate.AcquireAsync(token).AsTask();
        time.Advance(TimeSpan.FromMinutes(5)); // still in flight: time alone frees nothing
        Assert.False(second.IsCompleted);

        gate.Complete(first, null, null);
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await second;
    }

    [Fact]
    public async Task Remaining_zero_from_the_server_closes_the_gate_for_a_window_even_with_our_own_budget_left()
    {
        var time = new FakeTimeProvider();
        var gate = new RateGate(60, Minute, time);
        var token = TestContext.Current.CancellationToken;
        gate.Complete(await gate.AcquireAsync(token), remaining: 0, retryAfter: null);

        var next = gate.AcquireAsync(token).AsTask();
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await next;
    }

    [Fact]
    public async Task Remaining_lower_than_ours_leaves_only_what_the_server_says_is_left()
    {
        var time = new FakeTimeProvider();
        var gate = new RateGate(60, Minute, time);
        var token = TestContext.Current.CancellationToken;
        gate.Complete(await gate.AcquireAsync(token), remaining: 2, retryAfter: null);

        await gate.AcquireAsync(token);
        await gate.AcquireAsync(token);
        var third = gate.AcquireAsync(token).AsTask();
        Assert.False(third.IsCompleted);
    }

    [Fact]
    public async Task Retry_after_closes_the_gate_for_that_long()
    {
        var time = new FakeTimeProvider();
        var gate = new RateGate(60, Minute, time);
        var token = TestContext.Current.CancellationToken;
        gate.Complete(await gate.AcquireAsync(token), remaining: null, retryAfter: TimeSpan.FromSeconds(7));

        var next = gate.AcquireAsync(token).AsTask();
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await next;
    }
}
