using System.Globalization;
using System.Text.Json;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Affinsy.Core.State;

namespace Affinsy.Sink.Replay;

/// <summary>
/// Letters the pipeline itself wrote with the order as the API's JSON, whatever the source: refused by Affinsy
/// (<c>POST /data/orders to dataset X</c>) or too large for one request (<c>order X</c>), as <c>PipelineRun</c> writes
/// them. A replay reads the order back from that JSON: the source's mapping already ran when it was refused.
/// </summary>
internal static class OrderLetters
{
    /// <summary>How the position of a letter Affinsy refused starts.</summary>
    public const string RefusedByAffinsyPrefix = "POST /data/orders to dataset ";

    /// <summary>The position of an order Affinsy refused (the pipeline writes it; <see cref="HoldsOrder"/> reads it).</summary>
    public static string RefusedByAffinsyPosition(string datasetId) => RefusedByAffinsyPrefix + datasetId;

    /// <summary>The position of an order too large for one request (the pipeline writes it; <see cref="HoldsOrder"/> reads it).</summary>
    public static string TooLargePosition(string orderId) => "order " + orderId;

    /// <summary>True when the letter holds an order as the API's JSON, written by the pipeline rather than a source.</summary>
    public static bool HoldsOrder(DeadLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var json = letter.OriginalRecord.StartsWith('{');
        return json && (letter.Position.StartsWith(RefusedByAffinsyPrefix, StringComparison.Ordinal)
            || (letter.OrderId is { } id && letter.Position == TooLargePosition(id)));
    }

    /// <summary>The stored order as a draft with the letter as its origin.</summary>
    public static RecordReplay Read(DeadLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        try
        {
            using var document = JsonDocument.Parse(letter.OriginalRecord);
            var root = document.RootElement;
            var draft = new OrderDraft(Text(root, "order_id"))
            {
                CustomerId = Text(root, "customer_id"),
                OrderDate = Text(root, "order_date") is { } date ? DateTimeOffset.Parse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null,
                Origin = RecordOrigin.Of(letter.Position, letter.OriginalRecord),
            };
            foreach (var line in root.GetProperty("line_items").EnumerateArray())
            {
                draft.AddLine(Text(line, "product_name"), line.GetProperty("unit_price").GetDecimal(), line.GetProperty("quantity").GetDecimal());
            }

            return new RecordReplay(new OrderBatch([draft], [], null));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return RecordReplay.Cannot($"the stored order is not the API's order JSON ({e.Message}); fix the order at the source and sync again");
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : null;
}
