namespace Affinsy.Connectors.Kafka.Offsets;

/// <summary>
/// How far this consumer is behind on one partition it owns: the partition's high watermark (as last seen in a fetch
/// response) minus the position of the next message it will read. Measured on the consumer thread, without a broker
/// round trip.
/// </summary>
internal readonly record struct KafkaPartitionLag(string Topic, int Partition, long Lag);
