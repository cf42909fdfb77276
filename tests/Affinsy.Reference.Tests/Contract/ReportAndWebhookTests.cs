using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Affinsy.Reference.Config;
using Affinsy.Reference.Storage;
using Affinsy.Testing;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Affinsy.Reference.Tests.Contract;

public sealed class ReportAndWebhookTests : ServerTestBase
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly string Store = Orders.Array(
        Orders.One("1", "alice", "2025-01-10T09:00:00Z", ("Tea", 3, 1), ("Cup", 2, 2)),
        Orders.One("2", "alice", "2025-03-01T09:00:00Z", ("Tea", 3, 1)),
        Orders.One("3", "bob", "2025-02-01T09:00:00Z", ("Pot", 20, 1), ("Tea", 3, 1)),
        Orders.One("4", "carol", "2025-03-02T09:00:00Z", ("Cup", 2, 1)),
        Orders.One("5", null, "2025-03-03T09:00:00Z", ("Tea", 3, 1), ("Cup", 2, 1)));

    private const string WebhookSettings = """
        users: [{ id: u, plan: enterprise, keys: [afn_webhook_user] }]
        webhooks: { initial_backoff_ms: 20, max_attempts: 5 }
        """;

    [Fact]
    public async Task Templates_list_all_seven_with_their_default_params()
    {
        var server = await StartAsync();
        using var api = new ApiCall(server);

        var answer = await api.Get("templates");

        var names = answer.Json.GetProperty("templates").EnumerateArray().Select(t => t.GetProperty("template").GetString()).ToList();
        Assert.Equal(["standard_mba", "first_order", "repeat_purchase", "high_value_baskets", "churning_analysis", "standard_rfm", "new_customer_cohort"], names);
    }

    [Fact]
    public async Task A_report_on_an_unknown_dataset_is_404_and_an_invalid_one_400_with_paths()
    {
        var server = await StartAsync();
        using var api = new ApiCall(server);
        await api.PushAsync("s", Store);

        var unknown = await api.Post("reports", """{"dataset_id":"nope","template":"standard_rfm"}""");
        var invalid = await api.Post("reports", """{"dataset_id":"s","template":"standard_mba","params":{"min_support":0}}""");
        var badTemplate = await api.Post("reports", """{"dataset_id":"s","template":"nope"}""");

        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Equal("params.min_support", invalid.Json.GetProperty("details")[0].GetProperty("path").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badTemplate.Status);
        Assert.Equal("template", badTemplate.Json.GetProperty("details")[0].GetProperty("path").GetString());
    }

    [Fact]
    public async Task A_completed_report_sends_a_webhook_signed_with_the_creating_keys_hash()
    {
        await using var receiver = await WebhookReceiver.StartAsync(TestContext.Current.CancellationToken);
        var server = await StartAsync(Users(WebhookSettings));
        using var api = new ApiCall(server, "afn_webhook_user");
        await api.PushAsync("s", Store);

        var created = await api.Post("reports", $$"""{"dataset_id":"s","template":"standard_rfm","webhook_url":"{{receiver.Url}}"}""");
        await receiver.WhenReceivedAsync(1).WaitAsync(Patience, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, created.Status);
        var reportId = created.Json.GetProperty("report_id").GetString()!;
        Assert.StartsWith("rep_", reportId, StringComparison.Ordinal);
        Assert.Equal("Processing", created.Json.GetProperty("status").GetString());
        var hook = Assert.Single(receiver.Received);
        Assert.Equal(ExpectedSignature("afn_webhook_user", hook.Body), hook.Headers["X-Affinsy-Signature"]);
        Assert.True(Guid.TryParse(hook.Headers["X-Affinsy-Delivery"], out _));
        Assert.StartsWith("application/json", hook.Headers["Content-Type"], StringComparison.Ordinal);
        var payload = JsonDocument.Parse(hook.Body).RootElement;
        Assert.Equal("report.completed", payload.GetProperty("event").GetString());
        Assert.Equal(reportId, payload.GetProperty("report_id").GetString());
        Assert.Equal("RFM", payload.GetProperty("report_type").GetString());
        Assert.Equal("Completed", payload.GetProperty("status").GetString());
        Assert.True(DateTimeOffset.TryParse(payload.GetProperty("timestamp").GetString(), out _));

        var report = (await api.Get($"reports/{reportId}")).Json;
        Assert.Equal("Completed", report.GetProperty("status").GetString());
        Assert.Equal("standard_rfm", report.GetProperty("template").GetString());
        Assert.Equal(5, report.GetProperty("params").GetProperty("bins").GetInt32());
        var results = report.GetProperty("results");
        Assert.Equal("2025-03-03", results.GetProperty("reference_date").GetString());
        Assert.Equal(3, results.GetProperty("customers").GetInt32());
    }

    [Fact]
    public async Task A_failed_delivery_is_retried_with_the_same_delivery_id_and_body()
    {
        await using var receiver = await WebhookReceiver.StartAsync(TestContext.Current.CancellationToken);
        receiver.AnswerNext(500, 503);
        var server = await StartAsync(Users(WebhookSettings));
        using var api = new ApiCall(server, "afn_webhook_user");
        await api.PushAsync("s", Store);

        await api.Post("reports", $$"""{"dataset_id":"s","template":"standard_rfm","webhook_url":"{{receiver.Url}}"}""");
        await receiver.WhenReceivedAsync(3).WaitAsync(Patience, TestContext.Current.CancellationToken);

        var attempts = receiver.Received;
        Assert.Equal([500, 503, 200], attempts.Select(a => a.AnsweredStatus));
        Assert.Single(attempts.Select(a => a.Headers["X-Affinsy-Delivery"]).Distinct());
        Assert.All(attempts, a => Assert.Equal(attempts[0].Body, a.Body));
        Assert.All(attempts, a => Assert.Equal(ExpectedSignature("afn_webhook_user", a.Body), a.Headers["X-Affinsy-Signature"]));
    }

    [Fact]
    public async Task Reports_filter_by_dataset_and_status_without_results()
    {
        await using var receiver = await WebhookReceiver.StartAsync(TestContext.Current.CancellationToken);
        var server = await StartAsync();
        using var api = new ApiCall(server);
        await api.PushAsync("s", Store);
        await api.PushAsync("t", Store);
        await api.Post("reports", $$"""{"dataset_id":"s","template":"standard_rfm","webhook_url":"{{receiver.Url}}"}""");
        await api.Post("reports", $$"""{"dataset_id":"t","report_type":"RFM","webhook_url":"{{receiver.Url}}"}""");
        await receiver.WhenReceivedAsync(2).WaitAsync(Patience, TestContext.Current.CancellationToken);

        var forS = await api.Get("reports?dataset_id=s&status=Completed");
        var badStatus = await api.Get("reports?status=Done");

        var only = Assert.Single(forS.Json.GetProperty("reports").EnumerateArray());
        Assert.Equal("s", only.GetProperty("dataset_id").GetString());
        Assert.False(only.TryGetProperty("results", out _));
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.Status);
    }

    [Fact]
    public async Task A_report_interrupted_by_a_restart_is_run_again_and_still_sends_its_webhook()
    {
        using var dir = new TempDirectory();
        await using var receiver = await WebhookReceiver.StartAsync(TestContext.Current.CancellationToken);
        var settings = Users(WebhookSettings);
        var first = await StartAsync(settings, dir.Path);
        using (var api = new ApiCall(first, "afn_webhook_user"))
        {
            await api.PushAsync("s", Store);
        }

        // What a crash mid-report leaves behind: a stored report still Processing.
        await first.Store.InsertReportAsync(new StoredReport
        {
            ReportId = "rep_interrupted",
            Owner = "u",
            KeyHash = KeyHash.Of("afn_webhook_user"),
            DatasetId = "s",
            ReportType = "RFM",
            Name = "RFM report",
            Status = ReportStatus.Processing,
            ParamsJson = """{"customer_scope":"all","bins":5}""",
            FiltersJson = "{}",
            WebhookUrl = receiver.Url.ToString(),
            CreatedAt = DateTimeOffset.UnixEpoch,
        }, TestContext.Current.CancellationToken);
        await first.DisposeAsync();

        var second = await StartAsync(settings, dir.Path);
        await receiver.WhenReceivedAsync(1).WaitAsync(Patience, TestContext.Current.CancellationToken);
        using var again = new ApiCall(second, "afn_webhook_user");

        var report = (await again.Get("reports/rep_interrupted")).Json;
        Assert.Equal("Completed", report.GetProperty("status").GetString());
        Assert.Equal(ExpectedSignature("afn_webhook_user", receiver.Received[0].Body), receiver.Received[0].Headers["X-Affinsy-Signature"]);
    }

    [Fact]
    public async Task Results_stored_as_text_by_an_earlier_server_are_served_as_the_same_document()
    {
        using var dir = new TempDirectory();
        await using var receiver = await WebhookReceiver.StartAsync(TestContext.Current.CancellationToken);
        var server = await StartAsync(Users(WebhookSettings), dir.Path);
        using var api = new ApiCall(server, "afn_webhook_user");
        await api.PushAsync("s", Store);
        var id = (await api.Post("reports", $$"""{"dataset_id":"s","template":"standard_rfm","webhook_url":"{{receiver.Url}}"}""")).Json.GetProperty("report_id").GetString();
        await receiver.WhenReceivedAsync(1).WaitAsync(Patience, TestContext.Current.CancellationToken);
        var fromBlob = await api.Get($"reports/{id}");
        var resultsText = fromBlob.Json.GetProperty("results").GetRawText();

        // Servers before the deflated BLOB stored the results JSON as TEXT, in the same column.
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(dir.Path, "reference.db")};Pooling=False"))
        {
            db.Open();
            using var stored = db.CreateCommand();
            stored.CommandText = "SELECT typeof(results), length(results) FROM reports";
            using (var r = stored.ExecuteReader())
            {
                Assert.True(r.Read());
                Assert.Equal("blob", r.GetString(0));
                Assert.True(r.GetInt64(1) < Encoding.UTF8.GetByteCount(resultsText), "the stored results are deflated");
            }

            using var toText = db.CreateCommand();
            toText.CommandText = "UPDATE reports SET results = $text";
            toText.Parameters.AddWithValue("$text", resultsText);
            Assert.Equal(1, toText.ExecuteNonQuery());
        }

        var fromText = await api.Get($"reports/{id}");

        Assert.Equal(fromBlob.Body, fromText.Body);
        var results = fromText.Json.GetProperty("results");
        Assert.Equal(3, results.GetProperty("customers").GetInt32());
        Assert.Equal(3, results.GetProperty("customer_scores").GetArrayLength());
    }

    /// <summary>The contract's signature, computed here independently of the server's code.</summary>
    private static string ExpectedSignature(string apiKey, byte[] body)
    {
        var keyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(keyHash));
        return "sha256=" + Convert.ToHexStringLower(hmac.ComputeHash(body));
    }
}
