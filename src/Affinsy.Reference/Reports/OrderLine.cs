namespace Affinsy.Reference.Reports;

/// <summary>
/// One stored row of a dataset, as report computation reads it: the unit of storage is
/// (dataset, order_id, product_name).
/// </summary>
public readonly record struct OrderLine(
    string OrderId,
    string? CustomerId,
    DateTimeOffset? OrderDate,
    string ProductName,
    double UnitPrice,
    double Quantity);
