// The end-to-end tests drive git hooks (sh scripts, Unix file modes): they run on Linux and macOS.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("macos")]
