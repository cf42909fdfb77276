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
        await gate.WaitAsync(TestContext.Current.CancellationToken);

        var second = gate.WaitAsync(TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await second;

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
}
