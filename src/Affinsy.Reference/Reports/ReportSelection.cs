namespace Affinsy.Reference.Reports;

/// <summary>
/// The orders a report reads, after the date filter and the customer scope, with the reference date
/// taken from the data.
/// </summary>
/// <param name="Orders">The selected orders, by order id (ordinal).</param>
/// <param name="ReferenceDate">
/// The latest UTC order date after the date filter and before the customer scope; null when no order
/// has a date. Reports measure time against it, never against the wall clock.
/// </param>
internal sealed record ReportSelection(IReadOnlyList<SelectedOrder> Orders, DateOnly? ReferenceDate)
{
    /// <summary>
    /// The MBA baskets: per order its distinct products, or per customer every product of its selected
    /// orders (orders without a customer_id form no customer basket). Each basket is sorted ordinally;
    /// baskets come by order id or customer id.
    /// </summary>
    internal IEnumerable<IReadOnlyList<string>> MbaBaskets(BasketScope scope) =>
        scope == BasketScope.Order ? Orders.Select(static o => o.Products) : CustomerBaskets();

    private IEnumerable<IReadOnlyList<string>> CustomerBaskets()
    {
        var byCustomer = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var order in Orders)
        {
            if (order.CustomerId is not { } customer)
            {
                continue;
            }

            if (!byCustomer.TryGetValue(customer, out var products))
            {
                products = new HashSet<string>(StringComparer.Ordinal);
                byCustomer.Add(customer, products);
            }

            products.UnionWith(order.Products);
        }

        var customers = byCustomer.Keys.ToArray();
        Array.Sort(customers, StringComparer.Ordinal);
        foreach (var customer in customers)
        {
            var basket = byCustomer[customer].ToArray();
            Array.Sort(basket, StringComparer.Ordinal);
            yield return basket;
        }
    }
}
