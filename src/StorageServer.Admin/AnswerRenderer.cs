using System.Globalization;
using System.Text.Json;
using Humanizer;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace StorageServer.Admin.Cli;

/// <summary>
/// Shows a JSON answer to people: a list of objects as a table, an object as a two-column grid
/// (its lists of objects as tables below it), sizes and byte counts in KB/MB/GB, timestamps as
/// <c>2026-12-06 14:03 UTC</c>. <c>--json</c> prints the answer itself, for scripts.
/// </summary>
public static class AnswerRenderer
{
    public static IRenderable Render(JsonElement answer) => answer.ValueKind switch
    {
        JsonValueKind.Array when answer.GetArrayLength() == 0 => new Markup("[grey](none)[/]"),
        JsonValueKind.Array when answer.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Object) => Table(answer),
        JsonValueKind.Object => Object(answer),
        _ => new Text(Cell(null, answer)),
    };

    private static IRenderable Object(JsonElement answer)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        var nested = new List<IRenderable>();
        foreach (var property in answer.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array && property.Value.GetArrayLength() > 0 && property.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Object))
            {
                nested.Add(new Rule(Markup.Escape(property.Name)).LeftJustified());
                nested.Add(Table(property.Value));
                continue;
            }
            grid.AddRow(new Markup($"[bold]{Markup.Escape(property.Name)}[/]"), new Text(Cell(property.Name, property.Value)));
        }
        return nested.Count == 0 ? grid : new Rows([grid, .. nested]);
    }

    private static Table Table(JsonElement rows)
    {
        var columns = rows.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).Distinct(StringComparer.Ordinal).ToList();
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            var numeric = rows.EnumerateArray().Any(r => r.TryGetProperty(column, out var v) && v.ValueKind == JsonValueKind.Number);
            table.AddColumn(new TableColumn(Markup.Escape(column)) { Alignment = numeric ? Justify.Right : Justify.Left });
        }
        foreach (var row in rows.EnumerateArray())
        {
            table.AddRow(columns.Select(c => (IRenderable)new Text(row.TryGetProperty(c, out var value) ? Cell(c, value) : "")).ToArray());
        }
        return table;
    }

    /// <summary>One value as text; <paramref name="name"/> says how to read numbers and strings.</summary>
    public static string Cell(string? name, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return "—";
            case JsonValueKind.True:
                return "yes";
            case JsonValueKind.False:
                return "no";
            case JsonValueKind.Number when IsBytes(name) && value.TryGetInt64(out var bytes):
                return Size(bytes);
            case JsonValueKind.Number:
                return value.GetRawText();
            case JsonValueKind.String when value.TryGetDateTimeOffset(out var at) && value.GetString()!.Length >= 20:
                return at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
            case JsonValueKind.String:
                return value.GetString()!;
            case JsonValueKind.Object when value.EnumerateObject().All(p => p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)):
                return string.Join(", ", value.EnumerateObject().Select(p => $"{p.Name}={Cell(p.Name, p.Value)}"));
            case JsonValueKind.Array when value.EnumerateArray().All(e => e.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)):
                return string.Join(", ", value.EnumerateArray().Select(e => Cell(name, e)));
            default:
                return value.GetRawText();
        }
    }

    public static string Size(long bytes) => bytes < 1024 ? $"{bytes} B" : ByteSize.FromBytes(bytes).Humanize("0.#", CultureInfo.InvariantCulture);

    private static bool IsBytes(string? name) =>
        name is not null && (name.Equals("size", StringComparison.OrdinalIgnoreCase) || name.EndsWith("Bytes", StringComparison.Ordinal) || name.EndsWith("Size", StringComparison.Ordinal));
}
