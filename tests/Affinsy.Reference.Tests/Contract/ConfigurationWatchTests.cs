using Microsoft.Extensions.Configuration;
using Xunit;

namespace Affinsy.Reference.Tests.Contract;

public sealed class ConfigurationWatchTests : ServerTestBase
{
    [Fact]
    public async Task The_server_reads_appsettings_once_and_watches_no_file()
    {
        var server = await StartAsync();

        // A watched JSON source is a recursive FileSystemWatcher on the working directory, woken by every write beneath
        // it, the store's own files included.
        var files = ((IConfigurationRoot)server.Configuration).Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, f.Source.Path));
    }
}
