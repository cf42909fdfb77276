using System.Globalization;
using System.Text;

namespace Affinsy.Emulators.Shopify;

/// <summary>The result of a <see cref="ForeignBulk"/> export: products and their variants, no orders at all.</summary>
internal static class ProductsBulkFile
{
    public const int Products = 20;

    /// <summary>Objects in the file: each product and its two variants.</summary>
    public const int Objects = Products * 3;

    public static void Write(Stream file)
    {
        var text = new StringBuilder();
        for (var p = 1; p <= Products; p++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{{\"id\":\"gid:\\/\\/shopify\\/Product\\/{p}\",\"title\":\"Product {p}\"}}\n");
            for (var v = 1; v <= 2; v++)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"{{\"id\":\"gid:\\/\\/shopify\\/ProductVariant\\/{(p * 10) + v}\",\"title\":\"Size {v}\",\"__parentId\":\"gid:\\/\\/shopify\\/Product\\/{p}\"}}\n");
            }
        }

        file.Write(Encoding.UTF8.GetBytes(text.ToString()));
    }
}
