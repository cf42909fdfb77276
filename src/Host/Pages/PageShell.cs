using System.Text;

namespace Affinsy.Host.Pages;

/// <summary>
/// The document around every page: inline styles and script only, and a Content-Security-Policy that lets the
/// page load nothing from anywhere (no fonts, images, scripts or fetches), so it works from <c>file://</c>,
/// offline, and cannot leak what it shows.
/// </summary>
internal static class PageShell
{
    private const string Policy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

    /// <param name="title">Plain text (encoded here).</param>
    /// <param name="body">Finished HTML.</param>
    /// <param name="refreshSeconds">When set, the page reloads itself this often (the worker's status page).</param>
    public static string Document(string title, string body, int? refreshSeconds = null)
    {
        var html = new StringBuilder(body.Length + PageAssets.Css.Length + PageAssets.Script.Length + 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(Policy).Append("\">")
            .Append("<meta name=\"generator\" content=\"affinsy-connect\">");
        if (refreshSeconds is { } seconds)
        {
            html.Append("<meta http-equiv=\"refresh\" content=\"").Append(seconds).Append("\">");
        }

        html.Append("<title>").Append(Html.E(title)).Append("</title><style>").Append(PageAssets.Css).Append("</style></head><body>")
            .Append("<main>").Append(body).Append("</main>")
            .Append("<footer>Made by affinsy-connect. This page loads nothing from the network.</footer>")
            .Append("<script>").Append(PageAssets.Script).Append("</script></body></html>\n");
        return html.ToString();
    }
}
