using PuppeteerSharp;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>
/// Headless Chromium from the system package, driven by PuppeteerSharp over the DevTools protocol. PuppeteerSharp
/// downloads a browser only when asked to (BrowserFetcher), which these tests never do; they point it at the
/// Debian <c>chromium</c> (or <c>AFFINSY_TEST_CHROMIUM</c>) and skip, saying why, where there is none.
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
    private readonly IBrowser _browser;

    private Browser(IBrowser browser) => _browser = browser;

    /// <summary>Starts Chromium, or skips the test when none is installed.</summary>
    public static async Task<Browser> StartAsync()
    {
        var path = Environment.GetEnvironmentVariable("AFFINSY_TEST_CHROMIUM") is { Length: > 0 } configured ? configured : Candidates.FirstOrDefault(File.Exists);
        if (path is null || !File.Exists(path))
        {
            Assert.Skip("no Chromium for the browser tests: install the Debian package (apt-get install chromium; .ci/run does) or set AFFINSY_TEST_CHROMIUM to a Chromium executable");
        }

        var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            // --no-sandbox: CI runs as root, where Chromium refuses its sandbox; the pages are our own.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
        });
        return new Browser(browser);
    }

    /// <summary>Opens a page and records every console error, script error and request it makes.</summary>
    public async Task<WatchedPage> OpenAsync(string url, int width = 1280, int height = 900)
    {
        var page = await _browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = height });
        var watched = new WatchedPage(page);
        await page.GoToAsync(url, new NavigationOptions { WaitUntil = [WaitUntilNavigation.Load] });
        return watched;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        await _browser.DisposeAsync();
    }
}

/// <summary>A page with what it logged and asked for since it opened.</summary>
internal sealed class WatchedPage
{
    public WatchedPage(IPage page)
    {
        Page = page;
        page.Console += (_, e) =>
        {
            if (e.Message.Type is ConsoleType.Error or ConsoleType.Warning)
            {
                lock (Errors)
                {
                    Errors.Add($"console {e.Message.Type}: {e.Message.Text}");
                }
            }
        };
        page.PageError += (_, e) => { lock (Errors) { Errors.Add("script error: " + e.Message); } };
        page.Request += (_, e) => { lock (Requests) { Requests.Add(e.Request.Url); } };
    }

    public IPage Page { get; }

    public List<string> Errors { get; } = [];

    public List<string> Requests { get; } = [];

    public Task<int> CountAsync(string selector) => Page.EvaluateFunctionAsync<int>("s => document.querySelectorAll(s).length", selector);

    public Task<string[]> TextsAsync(string selector) =>
        Page.EvaluateFunctionAsync<string[]>("s => Array.from(document.querySelectorAll(s)).map(e => e.textContent.trim())", selector);

    /// <summary>Keeps a full-page screenshot under TestResults/pages for a person to look at.</summary>
    public async Task ScreenshotAsync(string name)
    {
        var directory = Path.Combine(TestResultsDirectory(), "pages");
        Directory.CreateDirectory(directory);
        await Page.ScreenshotAsync(Path.Combine(directory, name + ".png"), new ScreenshotOptions { FullPage = true });
    }

    private static string TestResultsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Affinsy.Connect.sln")))
            {
                return Path.Combine(dir.FullName, "TestResults");
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "TestResults");
    }
}
