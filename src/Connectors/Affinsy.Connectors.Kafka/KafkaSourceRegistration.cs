using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Kafka;

/// <summary>Adds the Kafka source to a registry.</summary>
public static class KafkaSourceRegistration
{
    /// <summary>Registers <c>kafka</c>.</summary>
    public static SourceRegistry AddKafkaSource(this SourceRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(new KafkaSourcePlugin());
    }
}
