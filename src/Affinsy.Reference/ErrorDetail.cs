namespace Affinsy.Reference;

/// <summary>One validation problem, as the contract's <c>details</c> array carries it.</summary>
/// <param name="Path">Where in the request, e.g. <c>orders[3].line_items[0].quantity</c> or <c>params.min_support</c>.</param>
/// <param name="Message">What is wrong, e.g. "must be greater than 0".</param>
internal sealed record ErrorDetail(string Path, string Message);
