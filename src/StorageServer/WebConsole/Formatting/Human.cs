using System.Globalization;
using System.Text.Encodings.Web;
using Humanizer;
using Microsoft.AspNetCore.Html;

namespace StorageServer.WebConsole.Formatting;

/// <summary>Sizes and dates as people read them; the exact value stays in the markup (title, datetime).</summary>
public static class Human
{
    public static string Size(long bytes) => bytes < 1024 ? $"{bytes} B" : ByteSize.FromBytes(bytes).Humanize("0.#", CultureInfo.InvariantCulture);

    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary><c>2026-12-06 14:03 UTC (3 hours ago)</c> in a <c>time</c> element; a dash when there is no date.</summary>
    public static IHtmlContent When(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } value)
        {
            return new HtmlString("<span aria-label=\"never\">—</span>");
        }
        var utc = value.ToUniversalTime();
        var iso = utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var text = utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
        var relative = HtmlEncoder.Default.Encode(Relative(utc, now));
        return new HtmlString($"<time datetime=\"{iso}\" title=\"{utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC\">{text}</time> <span class=\"ago\">({relative})</span>");
    }

    public static string Relative(DateTimeOffset at, DateTimeOffset now) => at.Humanize(now, CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span) => span.Humanize(2, CultureInfo.InvariantCulture);

    /// <summary>The first 12 hex digits of an object id; the whole id is in the title and for screen readers.</summary>
    public static IHtmlContent Oid(string oid) =>
        new HtmlString($"<code class=\"oid\" title=\"{HtmlEncoder.Default.Encode(oid)}\">{HtmlEncoder.Default.Encode(oid.Length > 12 ? oid[..12] + "…" : oid)}</code>");
}
