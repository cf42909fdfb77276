using Affinsy.Connectors.Shopify.Api;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// The directory a bulk result is reassembled in (<c>temp_dir</c>, else the system temporary directory): checked when
/// the configuration is validated, and again before an export starts, so a directory that cannot take the files fails
/// the sync before Shopify is asked for anything and before any checkpoint moves.
/// </summary>
internal static class SpillDirectory
{
    /// <summary>
    /// The temporary disk a bulk export needs, as measured (benchmark <c>shopify --orders 1000000 --mode bulk --throttle none
    /// --fixtures process</c>: temp_disk_mb 2348.3 for 1,000,000 seeded orders, 880,041 of them sent); every message and the README say this figure.
    /// </summary>
    public const string SizeHint = "about 2.35 GB (2,348 MB) per million orders";

    /// <summary>Why files cannot be created in <paramref name="directory"/>, or null when they can.</summary>
    public static string? Problem(string directory)
    {
        if (File.Exists(directory))
        {
            return "is a file, not a directory";
        }

        if (!Directory.Exists(directory))
        {
            return "does not exist (create it, or leave temp_dir out to use the system temporary directory)";
        }

        try
        {
            using var probe = new FileStream(Path.Combine(directory, $".affinsy-write-check-{Guid.NewGuid():N}"),
                FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            probe.WriteByte(0);
            probe.Flush();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"is not writable ({e.Message})";
        }
    }

    /// <summary>Fails the sync with what to do when files cannot be created in <paramref name="parent"/>.</summary>
    public static void Check(string parent, string shop)
    {
        if (Problem(parent) is { } problem)
        {
            throw new ShopifyApiException(
                $"The temporary directory for Shopify bulk results of shop {shop}, {parent}, {problem}. "
                + $"No bulk export was started and nothing was sent; set temp_dir to a writable directory with room for the result ({SizeHint}).");
        }
    }

    /// <summary>The message for a spill that failed while the result was written (disk full, directory removed).</summary>
    public static string WriteFailed(string directory, string operation, string shop, Exception e) =>
        $"Writing the result of Shopify bulk operation {operation} for shop {shop} to the temporary directory {directory} failed ({e.Message}). "
        + $"Free space there or set temp_dir to a directory with room for the result ({SizeHint}). "
        + "Nothing from it was sent; run the sync again to download the same result.";
}
