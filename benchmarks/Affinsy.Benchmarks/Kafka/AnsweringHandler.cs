namespace Affinsy.Benchmarks;

/// <summary>Stands in for the server: drains the request body, answers an empty successful import.</summary>
internal sealed class AnsweringHandler : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            await request.Content.CopyToAsync(Stream.Null, cancellationToken);
        }

        return new HttpResponseMessage(System.Net.HttpStatusCode.OK)
        {
            Content = new StringContent("""{"import_id":"imp_1","dataset_id":"bench","status":"completed","orders_received":0,"line_items_received":0,"inserted":0,"updated":0,"rejected":0,"warning":null}""", System.Text.Encoding.UTF8, "application/json"),
        };
    }
}
