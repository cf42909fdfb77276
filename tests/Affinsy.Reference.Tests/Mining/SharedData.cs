namespace Affinsy.Reference.Tests.Mining;

/// <summary>Finds data sets kept outside the repository, in a <c>shared/data</c> folder beside it (or above it).</summary>
internal static class SharedData
{
    public static string? Find(string fileName)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
