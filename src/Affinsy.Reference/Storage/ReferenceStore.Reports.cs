using Microsoft.Data.Sqlite;

namespace Affinsy.Reference.Storage;

public sealed partial class ReferenceStore
{
    private const string ReportColumns =
        "report_id, owner, key_hash, dataset_id, report_type, name, template, status, params, filters, webhook_url, created_at, completed_at, error, results";

    internal static string NewReportId() => NewId("rep_");

    internal Task InsertReportAsync(StoredReport report, CancellationToken ct) => WriteAsync((c, tx) =>
    {
        using var cmd = Command(c, $"INSERT INTO reports ({ReportColumns}) VALUES ($id, $o, $kh, $d, $t, $n, $tpl, $s, $p, $f, $w, $ca, NULL, NULL, NULL)", tx);
        cmd.Parameters.AddWithValue("$id", report.ReportId);
        cmd.Parameters.AddWithValue("$o", report.Owner);
        cmd.Parameters.AddWithValue("$kh", report.KeyHash);
        cmd.Parameters.AddWithValue("$d", report.DatasetId);
        cmd.Parameters.AddWithValue("$t", report.ReportType);
        cmd.Parameters.AddWithValue("$n", report.Name);
        cmd.Parameters.AddWithValue("$tpl", Db(report.Template));
        cmd.Parameters.AddWithValue("$s", report.Status);
        cmd.Parameters.AddWithValue("$p", report.ParamsJson);
        cmd.Parameters.AddWithValue("$f", report.FiltersJson);
        cmd.Parameters.AddWithValue("$w", Db(report.WebhookUrl));
        cmd.Parameters.AddWithValue("$ca", report.CreatedAt.ToUnixTimeMilliseconds());
        cmd.ExecuteNonQuery();
        return true;
    }, ct);

    /// <summary>The owner's report, or null (another user's report is invisible).</summary>
    internal StoredReport? GetReport(string owner, string reportId) => Read(c =>
    {
        using var cmd = Command(c, $"SELECT {ReportColumns} FROM reports WHERE owner = $o AND report_id = $id");
        cmd.Parameters.AddWithValue("$o", owner);
        cmd.Parameters.AddWithValue("$id", reportId);
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadReport(r, withResults: true) : null;
    });

    /// <summary>A report by id regardless of owner: for the background runner only.</summary>
    internal StoredReport? GetReportForRun(string reportId) => Read(c =>
    {
        using var cmd = Command(c, $"SELECT {ReportColumns} FROM reports WHERE report_id = $id");
        cmd.Parameters.AddWithValue("$id", reportId);
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadReport(r, withResults: false) : null;
    });

    internal IReadOnlyList<StoredReport> ListReports(string owner, string? datasetId, string? status) => Read(c =>
    {
        using var cmd = Command(c, $"""
            SELECT {ReportColumns} FROM reports
            WHERE owner = $o AND ($d IS NULL OR dataset_id = $d) AND ($s IS NULL OR status = $s)
            ORDER BY created_at, report_id
            """);
        cmd.Parameters.AddWithValue("$o", owner);
        cmd.Parameters.AddWithValue("$d", Db(datasetId));
        cmd.Parameters.AddWithValue("$s", Db(status));
        using var r = cmd.ExecuteReader();
        var list = new List<StoredReport>();
        while (r.Read())
        {
            list.Add(ReadReport(r, withResults: false));
        }

        return (IReadOnlyList<StoredReport>)list;
    });

    /// <summary>Reports that were running when the server stopped: re-run at start.</summary>
    internal IReadOnlyList<string> ProcessingReportIds() => Read(c =>
    {
        using var cmd = Command(c, "SELECT report_id FROM reports WHERE status = 'Processing' ORDER BY created_at");
        using var r = cmd.ExecuteReader();
        var ids = new List<string>();
        while (r.Read())
        {
            ids.Add(r.GetString(0));
        }

        return (IReadOnlyList<string>)ids;
    });

    /// <summary>
    /// Ends a report and, when it has a webhook, records the delivery owed in the same transaction. The results
    /// (UTF-8 JSON) are stored as a deflated BLOB (<see cref="StoredResults"/>; the column is declared TEXT, which keeps
    /// BLOB values as they are), so neither this write nor the GET that serves them goes through a string.
    /// </summary>
    internal Task FinishReportAsync(string reportId, string status, byte[]? results, string? error, PendingDelivery? delivery, CancellationToken ct)
    {
        var packed = results is null ? null : StoredResults.Pack(results); // outside the writer lock
        return WriteAsync((c, tx) =>
        {
            using (var cmd = Command(c, "UPDATE reports SET status = $s, results = $r, error = $e, completed_at = $t WHERE report_id = $id", tx))
            {
                cmd.Parameters.AddWithValue("$s", status);
                cmd.Parameters.Add("$r", SqliteType.Blob).Value = Db(packed);
                cmd.Parameters.AddWithValue("$e", Db(error));
                cmd.Parameters.AddWithValue("$t", Now());
                cmd.Parameters.AddWithValue("$id", reportId);
                cmd.ExecuteNonQuery();
            }

            if (delivery is not null)
            {
                using var cmd = Command(c, "INSERT INTO webhook_deliveries (delivery_id, report_id, url, body, signature, attempts, status) VALUES ($id, $r, $u, $b, $s, 0, 'pending')", tx);
                cmd.Parameters.AddWithValue("$id", delivery.DeliveryId);
                cmd.Parameters.AddWithValue("$r", delivery.ReportId);
                cmd.Parameters.AddWithValue("$u", delivery.Url);
                cmd.Parameters.AddWithValue("$b", delivery.Body);
                cmd.Parameters.AddWithValue("$s", delivery.Signature);
                cmd.ExecuteNonQuery();
            }

            return true;
        }, ct);
    }

    internal IReadOnlyList<PendingDelivery> PendingDeliveries() => Read(c =>
    {
        using var cmd = Command(c, "SELECT delivery_id, report_id, url, body, signature, attempts FROM webhook_deliveries WHERE status = 'pending'");
        using var r = cmd.ExecuteReader();
        var list = new List<PendingDelivery>();
        while (r.Read())
        {
            list.Add(new PendingDelivery(r.GetString(0), r.GetString(1), r.GetString(2), (byte[])r[3], r.GetString(4), r.GetInt32(5)));
        }

        return (IReadOnlyList<PendingDelivery>)list;
    });

    /// <summary>Records an attempt; status becomes delivered or failed when done, else stays pending.</summary>
    internal Task RecordDeliveryAttemptAsync(string deliveryId, int attempts, string status, string? lastError, CancellationToken ct) =>
        WriteAsync((c, tx) =>
        {
            using var cmd = Command(c, "UPDATE webhook_deliveries SET attempts = $a, status = $s, last_error = $e WHERE delivery_id = $id", tx);
            cmd.Parameters.AddWithValue("$a", attempts);
            cmd.Parameters.AddWithValue("$s", status);
            cmd.Parameters.AddWithValue("$e", Db(lastError));
            cmd.Parameters.AddWithValue("$id", deliveryId);
            return cmd.ExecuteNonQuery();
        }, ct);

    private static StoredReport ReadReport(SqliteDataReader r, bool withResults) => new()
    {
        ReportId = r.GetString(0),
        Owner = r.GetString(1),
        KeyHash = r.GetString(2),
        DatasetId = r.GetString(3),
        ReportType = r.GetString(4),
        Name = r.GetString(5),
        Template = NullableString(r, 6),
        Status = r.GetString(7),
        ParamsJson = r.GetString(8),
        FiltersJson = r.GetString(9),
        WebhookUrl = NullableString(r, 10),
        CreatedAt = FromMs(r.GetInt64(11)),
        CompletedAt = NullableLong(r, 12) is { } t ? FromMs(t) : null,
        Error = NullableString(r, 13),
        // Results stored as TEXT (before the deflated BLOB) read as their UTF-8 bytes.
        Results = withResults && !r.IsDBNull(14) ? StoredResults.Read(r.GetFieldValue<byte[]>(14), r.GetFieldType(14) == typeof(byte[])) : null,
    };
}
