using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Kafka;

/// <summary>Adds the Kafka source to a registry.</summary>
public static class KafkaSourceRegistration
{
    /// <summary>
    /// Registers <c>kafka</c>. Its <c>format:</c> takes Kafka's own formats and every format in
    /// <see cref="SourceRegistry.MessageFormats"/> when a pipeline is bound, registered before or after this call.
    /// </summary>
    public static SourceRegistry AddKafkaSource(this SourceRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(new KafkaSourcePlugin(registry.MessageFormats));
    }
}
