using System.CommandLine;
using System.Text;

namespace GitHooks.Help;

/// <summary>
/// <c>git storage --help</c> never reaches us: git turns it into <c>git help storage</c>, which runs
/// <c>man git-storage</c>. So install writes a man page rendered from the command tree next to the
/// <c>git-storage</c> executable on PATH, where man-db looks (<c>&lt;dir&gt;/man</c>, or
/// <c>&lt;dir&gt;/../share/man</c> for a <c>bin</c> directory). Without it man says
/// "No manual entry for git-storage".
/// </summary>
public static class ManPage
{
    public static string Render(RootCommand root)
    {
        var page = new StringBuilder();
        page.Append(".TH GIT-STORAGE 1 \"\" \"git storage\" \"Git Manual\"\n");
        page.Append(".SH NAME\ngit-storage \\- ").Append(Escape(root.Description ?? "git storage")).Append('\n');
        page.Append(".SH SYNOPSIS\n.B git storage\n\\fI<command>\\fR [\\fI<options>\\fR]\n.br\n.B git storage help\n[\\fI<command>\\fR]\n");
        page.Append(".SH COMMANDS\n");
        foreach (var command in root.Subcommands.Where(c => !c.Hidden))
        {
            AppendCommand(page, command, "git storage " + command.Name);
            foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
            {
                AppendCommand(page, sub, $"git storage {command.Name} {sub.Name}");
            }
        }
        page.Append(".SH SEE ALSO\n\\fBgit storage help <command>\\fR for one command's usage; git-lfs(1), whose pointer format, cache and protocol git storage shares.\n");
        return page.ToString();
    }

    /// <summary>Writes the page where man finds it for the first <c>git-storage</c> on PATH; returns its path, or null when there is no such place.</summary>
    public static string? Install(RootCommand root, string? pathVariable)
    {
        if (Directory(pathVariable) is not { } directory)
        {
            return null;
        }
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            var target = Path.Combine(directory, "git-storage.1");
            var content = Render(root);
            if (File.Exists(target) && File.ReadAllText(target) == content)
            {
                return target;
            }
            var temp = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllText(temp, content, new UTF8Encoding(false));
            File.Move(temp, target, overwrite: true);
            return target;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // A read-only install location: 'git storage help' still works.
        }
    }

    private static string? Directory(string? pathVariable)
    {
        var bin = (pathVariable ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "git-storage")));
        if (bin is null)
        {
            return null;
        }
        bin = Path.GetFullPath(bin);
        return Path.GetFileName(bin.TrimEnd(Path.DirectorySeparatorChar)) == "bin"
            ? Path.Combine(Path.GetDirectoryName(bin.TrimEnd(Path.DirectorySeparatorChar))!, "share", "man", "man1")
            : Path.Combine(bin, "man", "man1");
    }

    private static void AppendCommand(StringBuilder page, Command command, string usage)
    {
        var arguments = string.Concat(command.Arguments.Select(a => a.Arity.MinimumNumberOfValues == 0 ? $" [<{a.Name}>]" : $" <{a.Name}>"));
        page.Append(".TP\n.B ").Append(Escape(usage)).Append(Escape(arguments)).Append('\n');
        page.Append(Escape(command.Description ?? string.Empty)).Append('\n');
        foreach (var option in command.Options.Where(o => !o.Hidden && o.Name is not "--help"))
        {
            var names = string.Join(", ", option.Aliases.Append(option.Name).Distinct().OrderBy(n => n.Length));
            page.Append(".br\n\\ \\ ").Append(Escape(names)).Append(": ").Append(Escape(option.Description ?? string.Empty)).Append('\n');
        }
    }

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("-", "\\-", StringComparison.Ordinal).Replace("\n.", "\n\\&.", StringComparison.Ordinal);
}
