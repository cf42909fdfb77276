namespace Affinsy.Core.Sources.Messages;

/// <summary>
/// The message formats a process knows, by name. It lives beside the source plugins in <see cref="SourceRegistry"/>
/// so that the one registration a connector makes (<c>registry.AddShopifySource()</c>) can contribute its format
/// too, and a message source looks formats up when it binds, whatever the order of the registrations.
/// Filled while the process starts, read afterwards.
/// </summary>
public sealed class MessageFormatRegistry
{
    private readonly Dictionary<string, IOrderMessageFormat> _formats = new(StringComparer.Ordinal);

    /// <summary>Registered format names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _formats.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Every registered format, sorted by name.</summary>
    public IReadOnlyList<IOrderMessageFormat> All => [.. _formats.Values.OrderBy(f => f.Name, StringComparer.Ordinal)];

    /// <summary>Registers a format; a name can be registered once.</summary>
    public MessageFormatRegistry Add(IOrderMessageFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (!_formats.TryAdd(format.Name, format))
        {
            throw new InvalidOperationException($"Message format '{format.Name}' is already registered.");
        }

        return this;
    }

    /// <summary>The format registered under <paramref name="name"/>, if any.</summary>
    public bool TryGet(string name, out IOrderMessageFormat format) => _formats.TryGetValue(name, out format!);
}
