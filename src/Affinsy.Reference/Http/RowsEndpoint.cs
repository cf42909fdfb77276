using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Affinsy.Reference.Storage;
using Microsoft.AspNetCore.Http;

namespace Affinsy.Reference.Http;

/// <summary>
/// <c>GET /api/v1/datasets/{id}/rows?cursor=&amp;limit=</c>, reference-only (not part of Affinsy's API): the dataset's
/// stored rows as JSON Lines, in storage order, so tests and benchmarks compare stored data through the API rather than
/// the SQLite schema. A page that may have more ends with the <c>X-Next-Cursor</c> header and a <c>Link: rel="next"</c>;
/// the last page has neither. The cursor is opaque (a storage position) and stays valid while rows are added.
/// </summary>
internal sealed class RowsEndpoint(ReferenceStore store)
{
    public const int DefaultLimit = 1_000;
    public const int MaxLimit = 10_000;

    public async Task HandleAsync(HttpContext ctx, string datasetId)
    {
        var query = ctx.Request.Query;
        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            await Respond.Error(ctx, 400, $"limit must be a whole number from 1 to {MaxLimit}, not '{limitText}'.");
            return;
        }

        RowPosition? after = null;
        if (query.TryGetValue("cursor", out var cursorText) && !string.IsNullOrEmpty(cursorText))
        {
            if (Decode(cursorText.ToString()) is not { } position)
            {
                await Respond.Error(ctx, 400, "cursor is not one this endpoint returned: pass the X-Next-Cursor of the previous page, or none to start.");
                return;
            }

            after = position;
        }

        var owner = ((Caller)ctx.Items[ApiGate.CallerItem]!).User.Id;
        if (store.ReadRows(owner, datasetId, after, limit) is not { } page)
        {
            await Respond.Error(ctx, 404, $"Dataset '{datasetId}' not found.");
            return;
        }

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/jsonl; charset=utf-8";
        if (page.Next is { } next)
        {
            var cursor = Encode(next);
            ctx.Response.Headers["X-Next-Cursor"] = cursor;
            ctx.Response.Headers.Link = $"<{ctx.Request.PathBase}{ctx.Request.Path}?cursor={cursor}&limit={limit}>; rel=\"next\"";
        }

        // Lines gather in one buffer written out every 64 KiB: a page never sits whole in memory as text.
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        await using var writer = new Utf8JsonWriter(buffer);
        foreach (var line in page.Lines)
        {
            var wire = new StoredRowLine(
                line.OrderId, line.ProductName, line.UnitPrice, line.Quantity, line.CustomerId,
                line.OrderDate is { } placed ? ReferenceStore.Format(placed) : null);
            JsonSerializer.Serialize(writer, wire, ReferenceJsonContext.Default.StoredRowLine);
            writer.Flush();
            buffer.Write("\n"u8);
            writer.Reset(buffer);
            if (buffer.WrittenCount >= 1 << 16)
            {
                await ctx.Response.Body.WriteAsync(buffer.WrittenMemory, ctx.RequestAborted);
                buffer.ResetWrittenCount();
            }
        }

        await ctx.Response.Body.WriteAsync(buffer.WrittenMemory, ctx.RequestAborted);
    }

    private static string Encode(RowPosition position) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{position.Order}.{position.Product}")));

    private static RowPosition? Decode(string cursor)
    {
        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor)).Split('.');
            return parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var order)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var product)
                ? new RowPosition(order, product)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
