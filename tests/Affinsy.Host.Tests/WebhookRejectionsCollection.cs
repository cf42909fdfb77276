using Xunit;

namespace Affinsy.Host.Tests;

/// <summary>
/// Test classes that make the webhook receiver refuse deliveries: <c>affinsy.webhook_rejections</c> is counted per
/// process, so they run one after the other and a class counting rejections sees only its own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WebhookRejectionsCollection
{
    public const string Name = "webhook rejections";
}
