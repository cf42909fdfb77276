using System.Net;
using System.Net.Http.Headers;
using Affinsy.Core.Orders;

namespace Affinsy.Sink.Api;

/// <summary>The body of POST /data/orders, serialized into the request stream as it is sent.</summary>
internal sealed class OrdersContent : HttpContent
{
    private readonly string datasetId;
    private readonly IReadOnlyList<Order> orders;

    public OrdersContent(string datasetId, IReadOnlyList<Order> orders)
    {
        this.datasetId = datasetId;
        this.orders = orders;
        Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        OrderWireFormat.WriteRequestAsync(stream, datasetId, orders, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
