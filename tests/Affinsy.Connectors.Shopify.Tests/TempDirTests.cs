using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;
using Affinsy.Emulators.Shopify;
using Affinsy.Sink.Pipelines;
using Affinsy.Testing;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary><c>temp_dir</c>: where a bulk result is reassembled, checked up front, emptied after every run.</summary>
public sealed class TempDirTests
{
    private static readonly DateTimeOffset Today = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_temp_dir_that_is_missing_a_file_or_unwritable_is_a_configuration_problem_at_its_yaml_path()
    {
        using var scratch = new TempDirectory();
        File.WriteAllText(scratch.File("a-file"), "x");

        foreach (var (path, says) in new[]
        {
            (scratch.File("missing"), "does not exist"),
            (scratch.File("a-file"), "is a file, not a directory"),
            ("/proc", "is not writable"), // nobody, root included, can create a file in /proc
        })
        {
            var error = Assert.Throws<ConfigurationException>(() => Parse($"temp_dir: {path}"));

            Assert.Contains("pipelines[0].source.temp_dir", error.Message, StringComparison.Ordinal);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains(says, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_writable_temp_dir_is_accepted_and_the_check_leaves_nothing_in_it()
    {
        using var scratch = new TempDirectory();

        var config = Parse($"temp_dir: {scratch.Path}");

        Assert.Empty(config.Warnings);
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch.Path));
    }

    [Fact]
    public async Task A_temp_dir_that_cannot_take_files_fails_the_sync_before_any_bulk_operation_and_moves_no_checkpoint()
    {
        await using var h = await ShopifyHarness.StartAsync();
        using var scratch = new TempDirectory();
        File.WriteAllText(scratch.File("not-a-dir"), "x");

        var failed = await h.SyncAsync(h.Options() with { TempDirectory = scratch.File("not-a-dir") });

        Assert.Equal(SyncOutcome.Failed, failed.Outcome);
        Assert.Contains(scratch.File("not-a-dir"), failed.Error, StringComparison.Ordinal);
        Assert.Contains("set temp_dir to a writable directory", failed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", failed.Error, StringComparison.Ordinal);
        Assert.Equal(0, h.Emulator.BulkOperationsStarted);
        Assert.Equal(new ShopifyCheckpoint(), await h.CheckpointAsync());
        Assert.Empty(h.Landed());
    }

    [Fact]
    public async Task A_spill_that_cannot_be_written_fails_clearly_keeps_the_operation_and_the_next_run_completes()
    {
        await using var h = await ShopifyHarness.StartAsync();
        using var scratch = new TempDirectory();
        h.Emulator.FailRequestsAfterNextBulkStart(50, 500);
        Assert.Equal(SyncOutcome.Failed, (await h.SyncAsync(h.Options() with { TempDirectory = scratch.Path })).Outcome);
        var before = await h.CheckpointAsync();
        Assert.NotNull(before.BulkOperationId);
        h.Emulator.ClearRequestFaults();

        // The directory became a file between runs: the resumed run cannot create its spill.
        Directory.Delete(scratch.Path);
        File.WriteAllText(scratch.Path, "x");
        try
        {
            var failed = await h.SyncAsync(h.Options() with { TempDirectory = scratch.Path });

            Assert.Equal(SyncOutcome.Failed, failed.Outcome);
            Assert.Contains($"to the temporary directory {scratch.Path} failed", failed.Error, StringComparison.Ordinal);
            Assert.Contains("run the sync again to download the same result", failed.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", failed.Error, StringComparison.Ordinal);
            Assert.Equal(before, await h.CheckpointAsync());
            Assert.Empty(h.Landed());
        }
        finally
        {
            File.Delete(scratch.Path);
            Directory.CreateDirectory(scratch.Path);
        }

        var rerun = await h.SyncAsync(h.Options() with { TempDirectory = scratch.Path });

        Assert.Equal(SyncOutcome.Completed, rerun.Outcome);
        Assert.Equal(1, h.Emulator.BulkOperationsStarted);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
    }

    [Fact]
    public async Task The_spill_is_removed_after_a_sync_and_after_a_failed_one()
    {
        await using var h = await ShopifyHarness.StartAsync();
        using var scratch = new TempDirectory();
        var options = h.Options() with { TempDirectory = scratch.Path };

        h.Emulator.CorruptNextBulkResult(7);
        Assert.Equal(SyncOutcome.Failed, (await h.SyncAsync(options)).Outcome);
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch.Path));

        h.Emulator.BreakNextBulkDownload();
        Assert.Equal(SyncOutcome.Failed, (await h.SyncAsync(options)).Outcome);
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch.Path));

        var completed = await h.SyncAsync(options);

        Assert.Equal(SyncOutcome.Completed, completed.Outcome);
        Assert.True(h.Emulator.BulkOperationsStarted >= 2);
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch.Path));
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
    }

    [Fact]
    public void A_partition_file_that_cannot_be_written_is_a_spill_failure_not_a_bad_result()
    {
        using var scratch = new TempDirectory();
        using var spill = new OrderSpill(10, scratch.Path);
        Directory.Delete(spill.Location);

        var error = Assert.Throws<SpillWriteException>(() => spill.Add("{\"id\":\"gid:\\/\\/shopify\\/Order\\/1\"}"u8, 1));

        Assert.IsType<DirectoryNotFoundException>(error.InnerException);
    }

    private static ConnectorsConfig Parse(string extra) =>
        ConnectorsConfigLoader.Parse(
            "pipelines:\n  - name: shop\n    dataset_id: shop\n    source:\n      type: shopify\n      shop: my-store.myshopify.com\n      access_token: ${SHOPIFY_TOKEN}\n      " + extra,
            "test.yaml", Path.GetTempPath(), new SourceRegistry().AddShopifySource(new VirtualClock(Today)),
            name => name == "SHOPIFY_TOKEN" ? "shpat_emulator" : null);
}
