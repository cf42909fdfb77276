using Affinsy.Core.Configuration;

namespace Affinsy.Connectors.Files;

/// <summary>YAML keys shared by the file sources.</summary>
internal static class FileSourceBinding
{
    public static readonly string[] BatchKeys = ["batch_max_orders", "batch_max_line_items"];

    public static int MaxOrders(ConfigSection section) => section.GetInt("batch_max_orders", 2_000, 1, 100_000);

    public static int MaxLineItems(ConfigSection section) => section.GetInt("batch_max_line_items", 10_000, 1, 100_000);
}
