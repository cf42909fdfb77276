using Affinsy.Connectors.Shopify.Mapping;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>Orders deliberately not sent during one sync, by reason, for the closing log line.</summary>
internal sealed class SkipCounter
{
    public long Cancelled { get; private set; }

    public long Test { get; private set; }

    public long NothingLeft { get; private set; }

    public void Add(ShopifySkip skip)
    {
        switch (skip)
        {
            case ShopifySkip.Cancelled:
                Cancelled++;
                break;
            case ShopifySkip.Test:
                Test++;
                break;
            case ShopifySkip.NothingLeft:
                NothingLeft++;
                break;
        }
    }
}
