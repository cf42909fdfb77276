using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Affinsy.Reference;
using Affinsy.Reference.Config;

using Xunit;

namespace Affinsy.Reference.Tests.Contract;

/// <summary>Raw HTTP against a running reference server: the tests see exactly what a client sees.</summary>
internal sealed class ApiCall(ReferenceServer server, string? key = ReferenceSettings.LocalDevKey) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = server.ApiBase };

    public Task<Answer> SendAsync(HttpMethod method, string path, string? json = null, string? asKey = null) =>
        SendBytesAsync(method, path, json is null ? null : Encoding.UTF8.GetBytes(json), asKey);

    /// <summary>Posts raw bytes: bodies that are not valid UTF-8 cannot travel as a string.</summary>
    public Task<Answer> PostBytes(string path, byte[] body) => SendBytesAsync(HttpMethod.Post, path, body, null);

    private async Task<Answer> SendBytesAsync(HttpMethod method, string path, byte[]? body, string? asKey)
    {
        using var request = new HttpRequestMessage(method, path);
        var k = asKey ?? key;
        if (k is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", k);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new Answer(response.StatusCode, headers, text);
    }

    public Task<Answer> Get(string path, string? asKey = null) => SendAsync(HttpMethod.Get, path, null, asKey);

    public Task<Answer> Post(string path, string json, string? asKey = null) => SendAsync(HttpMethod.Post, path, json, asKey);

    public Task<Answer> PushAsync(string dataset, string ordersJson, string? asKey = null) =>
        Post("data/orders", $$"""{"dataset_id":"{{dataset}}","orders":{{ordersJson}}}""", asKey);

    public void Dispose() => _http.Dispose();
}

internal sealed record Answer(HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public int Code => (int)Status;

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}
